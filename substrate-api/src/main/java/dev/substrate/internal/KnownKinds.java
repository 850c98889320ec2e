package dev.substrate.internal;

import dev.substrate.ResourceKind;
import java.util.List;
import java.util.Set;

/** The resource kinds Substrate's checks know about, for loading dumps. */
final class KnownKinds {
  static final List<ResourceKind> ALL = List.of(
      ResourceKind.NODES, ResourceKind.NAMESPACES, ResourceKind.SERVICES, ResourceKind.SECRETS,
      ResourceKind.CONFIG_MAPS, ResourceKind.PERSISTENT_VOLUMES, ResourceKind.DEPLOYMENTS, ResourceKind.DAEMON_SETS,
      ResourceKind.STORAGE_CLASSES, ResourceKind.CUSTOM_RESOURCE_DEFINITIONS, ResourceKind.VOLUME_SNAPSHOT_CLASSES,
      ResourceKind.CLUSTER_SECRET_STORES, ResourceKind.CLUSTER_POLICIES, ResourceKind.IP_ADDRESS_POOLS);

  static final Set<String> BUILT_IN_GROUPS = Set.of(
      "apps", "storage.k8s.io", "apiextensions.k8s.io", "rbac.authorization.k8s.io", "networking.k8s.io", "batch");

  private KnownKinds() {}
}
