package dev.substrate.internal;

import dev.substrate.ResourceKind;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The resource kinds Substrate's checks know about, for loading dumps, and the model types snapshots hold them as. */
final class KnownKinds {
  static final List<ResourceKind> ALL = List.of(
      ResourceKind.NODES, ResourceKind.NAMESPACES, ResourceKind.SERVICES, ResourceKind.SECRETS,
      ResourceKind.CONFIG_MAPS, ResourceKind.PERSISTENT_VOLUMES, ResourceKind.DEPLOYMENTS, ResourceKind.DAEMON_SETS,
      ResourceKind.STORAGE_CLASSES, ResourceKind.CUSTOM_RESOURCE_DEFINITIONS, ResourceKind.VOLUME_SNAPSHOT_CLASSES,
      ResourceKind.CLUSTER_SECRET_STORES, ResourceKind.CLUSTER_POLICIES, ResourceKind.IP_ADDRESS_POOLS,
      ResourceKind.PODS, ResourceKind.CLUSTER_QUEUES, ResourceKind.RESOURCE_FLAVORS, ResourceKind.RUNTIME_CLASSES);

  static final Set<String> BUILT_IN_GROUPS = Set.of(
      "apps", "storage.k8s.io", "apiextensions.k8s.io", "rbac.authorization.k8s.io", "networking.k8s.io", "batch",
      "node.k8s.io");

  /**
   * Built-in kinds that snapshots hold as Fabric8 model objects, parsed once from the wire, because checks read them
   * so. CustomResourceDefinitions stay generic: checks read them generic, and the typed schema model is large.
   */
  private static final Map<String, Class<? extends HasMetadata>> MODELS = Map.ofEntries(
      Map.entry("v1 Node", Node.class),
      Map.entry("v1 Namespace", Namespace.class),
      Map.entry("v1 Service", Service.class),
      Map.entry("v1 Secret", Secret.class),
      Map.entry("v1 ConfigMap", ConfigMap.class),
      Map.entry("v1 PersistentVolume", PersistentVolume.class),
      Map.entry("v1 Pod", Pod.class),
      Map.entry("apps/v1 Deployment", Deployment.class),
      Map.entry("apps/v1 DaemonSet", DaemonSet.class),
      Map.entry("storage.k8s.io/v1 StorageClass", StorageClass.class));

  private KnownKinds() {}

  /** The model type a snapshot holds objects of {@code apiVersion} and {@code kind} as; null to hold them generic. */
  static Class<? extends HasMetadata> modelType(String apiVersion, String kind) {
    return MODELS.get(apiVersion + " " + kind);
  }
}
