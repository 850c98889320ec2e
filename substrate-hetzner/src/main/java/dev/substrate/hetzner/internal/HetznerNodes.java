package dev.substrate.hetzner.internal;

import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Resources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What Hetzner nodes and add-ons say about themselves: providerIDs, Robot labels, CCM env. */
final class HetznerNodes {
  static final String PROVIDED_BY = "instance.hetzner.cloud/provided-by";
  static final String IS_ROOT_SERVER = "instance.hetzner.cloud/is-root-server";
  static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";
  static final String CCM_NAMESPACE = "kube-system";
  static final String CCM_NAME = "hcloud-cloud-controller-manager";

  private HetznerNodes() {}

  static String providerId(Node node) {
    return node.getSpec() == null || node.getSpec().getProviderID() == null ? "" : node.getSpec().getProviderID();
  }

  static Optional<String> label(Node node, String key) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return Optional.ofNullable(labels == null ? null : labels.get(key));
  }

  /** A dedicated (Robot) server: {@code hrobot://}, legacy {@code hcloud://bm-}, or labelled so. */
  static boolean isRobot(Node node) {
    String id = providerId(node);
    return id.startsWith("hrobot://") || id.startsWith("hcloud://bm-")
        || label(node, PROVIDED_BY).filter("robot"::equals).isPresent()
        || label(node, IS_ROOT_SERVER).filter("true"::equals).isPresent();
  }

  /**
   * A controller's pods as a Deployment or a DaemonSet: the hcloud CCM chart runs either ({@code kind: DaemonSet} in
   * hetznercloud/hcloud-cloud-controller-manager chart/values.yaml and chart/templates/daemonset.yaml).
   */
  record Controller(HasMetadata workload, PodSpec pod, int ready, int desired) {
    /** {@code deploy/NAME} or {@code ds/NAME}, for kubectl. */
    String kubectlRef() {
      return (workload instanceof DaemonSet ? "ds/" : "deploy/") + workload.getMetadata().getName();
    }

    /** {@code Deployment ns/name} or {@code DaemonSet ns/name}. */
    String describe() {
      return (workload instanceof DaemonSet ? "DaemonSet " : "Deployment ") + Resources.ref(workload);
    }

    static Controller of(Deployment d) {
      int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
      int desired = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      return new Controller(d, pod(d.getSpec() == null ? null : d.getSpec().getTemplate()), ready, desired);
    }

    static Controller of(DaemonSet d) {
      int ready = d.getStatus() == null || d.getStatus().getNumberReady() == null ? 0 : d.getStatus().getNumberReady();
      int desired = d.getStatus() == null || d.getStatus().getDesiredNumberScheduled() == null ? 0
          : d.getStatus().getDesiredNumberScheduled();
      return new Controller(d, pod(d.getSpec() == null ? null : d.getSpec().getTemplate()), ready, desired);
    }

    private static PodSpec pod(PodTemplateSpec template) {
      return template == null || template.getSpec() == null ? new PodSpec() : template.getSpec();
    }
  }

  /** Every Deployment and DaemonSet in {@code snapshot}, Deployments first. */
  static List<Controller> controllers(ClusterSnapshot snapshot) {
    List<Controller> all = new ArrayList<>();
    snapshot.list(ResourceKind.DEPLOYMENTS, Deployment.class).forEach(d -> all.add(Controller.of(d)));
    snapshot.list(ResourceKind.DAEMON_SETS, DaemonSet.class).forEach(d -> all.add(Controller.of(d)));
    return all;
  }

  /**
   * The CCM, a Deployment or a DaemonSet: {@code kube-system/hcloud-cloud-controller-manager}, else one named or
   * labelled so.
   */
  static Optional<Controller> ccm(ClusterSnapshot snapshot) {
    Controller byName = null;
    for (Controller c : controllers(snapshot)) {
      ObjectMeta meta = c.workload().getMetadata();
      boolean named = CCM_NAME.equals(meta.getName());
      if (named && CCM_NAMESPACE.equals(meta.getNamespace())) {
        return Optional.of(c);
      }
      Map<String, String> labels = meta.getLabels();
      if (byName == null && (named || (labels != null && CCM_NAME.equals(labels.get("app.kubernetes.io/name"))))) {
        byName = c;
      }
    }
    return Optional.ofNullable(byName);
  }

  /**
   * The env of the containers in {@code pod} (of those named {@code container} when given): a literal value, or a
   * description such as {@code <from Secret hcloud>} when it comes from elsewhere.
   */
  static Map<String, String> env(PodSpec pod, Optional<String> container) {
    Map<String, String> env = new LinkedHashMap<>();
    if (pod.getContainers() == null) {
      return env;
    }
    for (Container c : pod.getContainers()) {
      if (c.getEnv() == null || container.filter(n -> !n.equals(c.getName())).isPresent()) {
        continue;
      }
      for (EnvVar e : c.getEnv()) {
        if (e.getValue() != null) {
          env.put(e.getName(), e.getValue());
        } else if (e.getValueFrom() != null) {
          env.put(e.getName(), "<from " + (e.getValueFrom().getConfigMapKeyRef() != null ? "ConfigMap "
              + e.getValueFrom().getConfigMapKeyRef().getName() : e.getValueFrom().getSecretKeyRef() != null
              ? "Secret " + e.getValueFrom().getSecretKeyRef().getName() : "a reference") + ">");
        }
      }
    }
    return env;
  }

  static Map<String, String> env(Controller c) {
    return env(c.pod(), Optional.empty());
  }
}
