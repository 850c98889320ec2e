package dev.substrate;

import org.immutables.value.Value;

/**
 * A Kubernetes resource type a check reads, e.g. {@code storage.k8s.io/v1 StorageClass}. Custom kinds whose CRD
 * may be absent are fine: the snapshot records them as absent rather than failing.
 */
@Value.Immutable
public abstract class ResourceKind implements Comparable<ResourceKind> {
  public static final ResourceKind NODES = of("", "v1", "Node", "nodes", false);
  public static final ResourceKind NAMESPACES = of("", "v1", "Namespace", "namespaces", false);
  public static final ResourceKind SERVICES = of("", "v1", "Service", "services", true);
  public static final ResourceKind SECRETS = of("", "v1", "Secret", "secrets", true);
  public static final ResourceKind CONFIG_MAPS = of("", "v1", "ConfigMap", "configmaps", true);
  public static final ResourceKind PERSISTENT_VOLUMES = of("", "v1", "PersistentVolume", "persistentvolumes", false);
  public static final ResourceKind DEPLOYMENTS = of("apps", "v1", "Deployment", "deployments", true);
  public static final ResourceKind DAEMON_SETS = of("apps", "v1", "DaemonSet", "daemonsets", true);
  public static final ResourceKind STORAGE_CLASSES = of("storage.k8s.io", "v1", "StorageClass", "storageclasses", false);
  public static final ResourceKind CUSTOM_RESOURCE_DEFINITIONS =
      of("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false);
  public static final ResourceKind VOLUME_SNAPSHOT_CLASSES =
      of("snapshot.storage.k8s.io", "v1", "VolumeSnapshotClass", "volumesnapshotclasses", false);
  public static final ResourceKind CLUSTER_SECRET_STORES =
      of("external-secrets.io", "v1", "ClusterSecretStore", "clustersecretstores", false);
  /** RuntimeClasses ({@code node.k8s.io/v1}): which container runtime handler a pod runs under. */
  public static final ResourceKind RUNTIME_CLASSES = of("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", false);
  public static final ResourceKind CLUSTER_POLICIES = of("nvidia.com", "v1", "ClusterPolicy", "clusterpolicies", false);
  public static final ResourceKind IP_ADDRESS_POOLS = of("metallb.io", "v1beta1", "IPAddressPool", "ipaddresspools", true);
  /**
   * Pods, in every namespace. A snapshot keeps only what GPU accounting needs: name, namespace, node, phase, the
   * containers' and init containers' names and resources, and the pod's overhead.
   */
  public static final ResourceKind PODS = of("", "v1", "Pod", "pods", true);
  /** Kueue's ClusterQueues ({@code kueue.x-k8s.io/v1beta2}, served since Kueue v0.15). */
  public static final ResourceKind CLUSTER_QUEUES = of("kueue.x-k8s.io", "v1beta2", "ClusterQueue", "clusterqueues", false);
  /** Kueue's ResourceFlavors ({@code kueue.x-k8s.io/v1beta2}). */
  public static final ResourceKind RESOURCE_FLAVORS =
      of("kueue.x-k8s.io", "v1beta2", "ResourceFlavor", "resourceflavors", false);

  /** API group; empty for the core group. */
  public abstract String group();

  public abstract String version();

  public abstract String kind();

  /** The plural resource name used in URLs, e.g. {@code storageclasses}. */
  public abstract String plural();

  public abstract boolean namespaced();

  /** {@code group/version}, or just {@code version} for the core group. */
  public String apiVersion() {
    return group().isEmpty() ? version() : group() + "/" + version();
  }

  /** {@code plural.group} as kubectl and RBAC name it, e.g. {@code clustersecretstores.external-secrets.io}. */
  public String qualifiedName() {
    return group().isEmpty() ? plural() : plural() + "." + group();
  }

  public static ResourceKind of(String group, String version, String kind, String plural, boolean namespaced) {
    return ImmutableResourceKind.builder()
        .group(group).version(version).kind(kind).plural(plural).namespaced(namespaced).build();
  }

  @Override
  public int compareTo(ResourceKind other) {
    return qualifiedName().compareTo(other.qualifiedName());
  }

  @Override
  public String toString() {
    return qualifiedName();
  }
}
