package dev.substrate.byo;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fabric8 model objects shaped like what a cluster returns, for snapshots in tests. */
final class Fixtures {
  private Fixtures() {}

  static Node node(String name, String providerId, Map<String, String> labels, Map<String, String> allocatable) {
    Map<String, Quantity> quantities = new LinkedHashMap<>();
    allocatable.forEach((k, v) -> quantities.put(k, new Quantity(v)));
    return new NodeBuilder()
        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withProviderID(providerId).endSpec()
        .withNewStatus().withAllocatable(quantities).endStatus()
        .build();
  }

  static Node cpuNode(String name) {
    return node(name, null, Map.of(), Map.of("cpu", "8", "memory", "32Gi"));
  }

  static Node gpuNode(String name, String gpus) {
    return node(name, null, Map.of("nvidia.com/gpu.present", "true"), Map.of("cpu", "32", "nvidia.com/gpu", gpus));
  }

  static StorageClass storageClass(String name, String provisioner, boolean isDefault) {
    StorageClassBuilder b = new StorageClassBuilder().withNewMetadata().withName(name).endMetadata()
        .withProvisioner(provisioner);
    if (isDefault) {
      b.editMetadata().addToAnnotations("storageclass.kubernetes.io/is-default-class", "true").endMetadata();
    }
    return b.build();
  }

  static GenericKubernetesResource snapshotClass(String name, String driver, boolean isDefault) {
    GenericKubernetesResourceBuilder b = new GenericKubernetesResourceBuilder()
        .withApiVersion("snapshot.storage.k8s.io/v1").withKind("VolumeSnapshotClass")
        .withNewMetadata().withName(name).endMetadata()
        .addToAdditionalProperties("driver", driver)
        .addToAdditionalProperties("deletionPolicy", "Delete");
    if (isDefault) {
      b.editMetadata().addToAnnotations("snapshot.storage.kubernetes.io/is-default-class", "true").endMetadata();
    }
    return b.build();
  }

  static GenericKubernetesResource clusterPolicy(String state) {
    GenericKubernetesResourceBuilder b = new GenericKubernetesResourceBuilder()
        .withApiVersion("nvidia.com/v1").withKind("ClusterPolicy")
        .withNewMetadata().withName("cluster-policy").endMetadata()
        .addToAdditionalProperties("spec", Map.of("driver", Map.of("enabled", true)));
    if (state != null) {
      b.addToAdditionalProperties("status", Map.of("state", state, "namespace", "gpu-operator"));
    }
    return b.build();
  }

  static GenericKubernetesResource secretStore(String name, String provider, String status, String reason,
      String message) {
    GenericKubernetesResourceBuilder b = new GenericKubernetesResourceBuilder()
        .withApiVersion("external-secrets.io/v1").withKind("ClusterSecretStore")
        .withNewMetadata().withName(name).endMetadata()
        .addToAdditionalProperties("spec", Map.of("provider", Map.of(provider, Map.of())));
    if (status != null) {
      Map<String, Object> condition = new LinkedHashMap<>();
      condition.put("type", "Ready");
      condition.put("status", status);
      condition.put("reason", reason);
      condition.put("message", message);
      b.addToAdditionalProperties("status", Map.of("conditions", List.of(condition)));
    }
    return b.build();
  }

  static GenericKubernetesResource crd(String name, String... servedVersions) {
    List<Map<String, Object>> versions = new ArrayList<>();
    for (String v : servedVersions) {
      versions.add(Map.of("name", v, "served", true, "storage", v.equals(servedVersions[0])));
    }
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("apiextensions.k8s.io/v1").withKind("CustomResourceDefinition")
        .withNewMetadata().withName(name).endMetadata()
        .addToAdditionalProperties("spec", Map.of("group", name.substring(name.indexOf('.') + 1), "versions", versions))
        .build();
  }

  static GenericKubernetesResource daemonSet(String namespace, String name, Map<String, String> labels, int desired,
      int ready) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("apps/v1").withKind("DaemonSet")
        .withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).endMetadata()
        .addToAdditionalProperties("status", Map.of("desiredNumberScheduled", desired, "numberReady", ready))
        .build();
  }

  static Service service(String namespace, String name, String type, String ingressIp) {
    ServiceBuilder b = new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withNewSpec().withType(type).endSpec();
    if (ingressIp != null) {
      b.withNewStatus().withNewLoadBalancer().addNewIngress().withIp(ingressIp).endIngress().endLoadBalancer()
          .endStatus();
    }
    return b.build();
  }
}
