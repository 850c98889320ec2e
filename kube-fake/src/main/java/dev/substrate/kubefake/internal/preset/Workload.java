package dev.substrate.kubefake.internal.preset;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A readable builder for a running Deployment or DaemonSet, status included. */
final class Workload {

  private final String namespace;
  private final String name;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final List<Container> containers = new ArrayList<>();
  private final List<NodeSelectorRequirement> affinity = new ArrayList<>();
  private final List<Toleration> tolerations = new ArrayList<>();
  private final Map<String, String> nodeSelector = new LinkedHashMap<>();
  private String serviceAccount;
  private String priorityClass;
  private ContainerBuilder current;
  private final List<EnvVar> env = new ArrayList<>();

  Workload(String namespace, String name, String labelKey, String labelValue) {
    this.namespace = namespace;
    this.name = name;
    labels.put(labelKey, labelValue);
  }

  Workload label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  Workload container(String containerName, String image, String... args) {
    flush();
    current = new ContainerBuilder().withName(containerName).withImage(image).withImagePullPolicy("IfNotPresent");
    if (args.length > 0) {
      current.withArgs(args);
    }
    return this;
  }

  Workload env(String key, String value) {
    env.add(new EnvVarBuilder().withName(key).withValue(value).build());
    return this;
  }

  Workload envFromSecret(String key, String secret, String secretKey) {
    env.add(new EnvVarBuilder().withName(key).withNewValueFrom().withNewSecretKeyRef().withName(secret)
        .withKey(secretKey).endSecretKeyRef().endValueFrom().build());
    return this;
  }

  Workload nodeSelector(String key, String value) {
    nodeSelector.put(key, value);
    return this;
  }

  Workload requireLabel(String key, String operator, String... values) {
    affinity.add(new NodeSelectorRequirementBuilder().withKey(key).withOperator(operator)
        .withValues(values.length == 0 ? null : List.of(values)).build());
    return this;
  }

  Workload tolerate(String key, String operator, String effect) {
    tolerations.add(new TolerationBuilder().withKey(key).withOperator(operator).withEffect(effect).build());
    return this;
  }

  Workload serviceAccount(String sa) {
    this.serviceAccount = sa;
    return this;
  }

  Workload priorityClass(String pc) {
    this.priorityClass = pc;
    return this;
  }

  Deployment deployment(int replicas) {
    PodSpec pod = podSpec();
    return new DeploymentBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels)
            .addToAnnotations("deployment.kubernetes.io/revision", "1").endMetadata()
        .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector().withMatchLabels(selector()).endSelector()
            .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withSpec(pod).endTemplate()
        .endSpec()
        .withNewStatus()
            .withObservedGeneration(1L)
            .withReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .addNewCondition().withType("Available").withStatus("True").withReason("MinimumReplicasAvailable")
                .withMessage("Deployment has minimum availability.").endCondition()
            .addNewCondition().withType("Progressing").withStatus("True").withReason("NewReplicaSetAvailable")
                .withMessage("ReplicaSet has successfully progressed.").endCondition()
        .endStatus()
        .build();
  }

  DaemonSet daemonSet(int scheduled) {
    PodSpec pod = podSpec();
    return new DaemonSetBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).endMetadata()
        .withNewSpec()
            .withNewSelector().withMatchLabels(selector()).endSelector()
            .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withSpec(pod).endTemplate()
            .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
        .endSpec()
        .withNewStatus()
            .withObservedGeneration(1L)
            .withDesiredNumberScheduled(scheduled).withCurrentNumberScheduled(scheduled)
            .withNumberReady(scheduled).withNumberAvailable(scheduled).withUpdatedNumberScheduled(scheduled)
            .withNumberMisscheduled(0)
        .endStatus()
        .build();
  }

  private Map<String, String> selector() {
    Map.Entry<String, String> first = labels.entrySet().iterator().next();
    return Map.of(first.getKey(), first.getValue());
  }

  private PodSpec podSpec() {
    flush();
    PodSpecBuilder b = new PodSpecBuilder().withContainers(containers)
        .withServiceAccountName(serviceAccount)
        .withPriorityClassName(priorityClass)
        .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
        .withTolerations(tolerations.isEmpty() ? null : tolerations);
    if (!affinity.isEmpty()) {
      b.withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
          .addNewNodeSelectorTerm().withMatchExpressions(affinity).endNodeSelectorTerm()
          .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity();
    }
    return b.build();
  }

  private void flush() {
    if (current != null) {
      if (!env.isEmpty()) {
        current.withEnv(new ArrayList<>(env));
      }
      containers.add(current.build());
      current = null;
      env.clear();
    }
  }
}
