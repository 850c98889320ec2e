package dev.substrate.byo.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.Profile;
import dev.substrate.RenderContext;
import dev.substrate.Storage;
import dev.substrate.StorageConfig;
import dev.substrate.spi.Check;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.StorageProvider;
import dev.substrate.spi.checks.StorageChecks;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/**
 * Storage {@code local-path}: Rancher's Local Path Provisioner, which provisions each volume as a directory on the node
 * the pod is scheduled to. Facts from rancher/local-path-provisioner at 9fa2a62 (v0.0.37): StorageClass
 * {@code local-path}, provisioner {@code rancher.io/local-path}, {@code WaitForFirstConsumer}, not default
 * (deploy/local-path-storage.yaml; chart {@code storageClass.defaultClass: false}); node-path volumes only
 * {@code ReadWriteOnce}/{@code ReadWriteOncePod} and pinned to their node by {@code kubernetes.io/hostname} node
 * affinity (provisioner.go); "No support for the volume capacity limit" (README); an external provisioner, not a CSI
 * driver (go.mod: sig-storage-lib-external-provisioner), so no snapshots.
 */
public final class LocalPathStorageProvider implements StorageProvider {
  public static final String ID = "local-path";
  static final String PROVISIONER = "rancher.io/local-path";
  static final String CLASS = "local-path";
  static final String NAMESPACE = "local-path-storage";
  static final String DEPLOYMENT = "local-path-provisioner";
  static final String PROVISIONER_CHECK = "storage.local-path";
  static final String INSTALL = "kubectl apply -f https://raw.githubusercontent.com/rancher/local-path-provisioner/"
      + "v0.0.37/deploy/local-path-storage.yaml (on Talos first a user volume and the path /var/mnt/local-path-"
      + "provisioner, as Sidero's guide \"Local Storage\" patches it)";
  static final String RWX_REMEDY = "install an RWX provisioner beside local-path: NFS through csi-driver-nfs "
      + "(kubernetes-csi/csi-driver-nfs, provisioner nfs.csi.k8s.io, on an NFS server you run) or Longhorn "
      + "(driver.longhorn.io, which needs an NFSv4 client on every node), and set storage.rwx_class to its "
      + "StorageClass";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Storage create(ProviderContext context) {
    return new LocalPath(context.config().storage(), context.config().profile());
  }

  private static final class LocalPath implements Storage {
    private final StorageConfig storage;
    private final Profile profile;
    private final String className;

    LocalPath(StorageConfig storage, Profile profile) {
      this.storage = storage;
      this.profile = profile;
      this.className = storage.defaultClass().orElse(CLASS);
    }

    @Override
    public String id() {
      return ID;
    }

    @Override
    public Optional<String> provisioner() {
      return Optional.of(PROVISIONER);
    }

    @Override
    public Optional<String> defaultClassName() {
      return Optional.of(className);
    }

    @Override
    public List<Capability> capabilities() {
      return List.of(
          Capability.of(CapabilityIds.STORAGE_DEFAULT_CLASS, CapabilityState.NEEDS_ACTION,
              "Local Path Provisioner installs the StorageClass " + className + " (" + PROVISIONER
                  + "), but not as the default class",
              "install it (" + INSTALL + ") and kubectl annotate storageclass " + className + " "
                  + StorageChecks.DEFAULT_CLASS_ANNOTATION + "=true"),
          Capability.of(CapabilityIds.STORAGE_RWX, CapabilityState.UNSUPPORTED,
              "local-path volumes are directories on one node, ReadWriteOnce or ReadWriteOncePod only", RWX_REMEDY),
          Capability.of(CapabilityIds.STORAGE_SNAPSHOTS, CapabilityState.UNSUPPORTED,
              "Local Path Provisioner is no CSI driver and cannot snapshot volumes",
              "back up at the application level (CNPG barman to object storage) or use a snapshot-capable CSI driver"),
          Capability.of(CapabilityIds.STORAGE_EXPANSION, CapabilityState.UNSUPPORTED,
              "Local Path Provisioner ignores the requested size, so a volume has no limit to expand and grows until "
                  + "its node's disk is full", "watch the nodes' disk usage, or use a CSI driver with quotas"),
          Capability.of(CapabilityIds.STORAGE_NODE_FAILOVER, CapabilityState.UNSUPPORTED,
              "each volume stays on the node it was provisioned on (node affinity kubernetes.io/hostname): when that "
                  + "node is down its pods cannot start elsewhere, and when it is lost so is the data",
              "replicate in the application (e.g. CNPG instances on several nodes), or use replicated storage such "
                  + "as Longhorn for volumes that must survive a node"));
    }

    /** Nothing: the provisioner, RBAC, ConfigMap and class are upstream's manifest, with the owner's node paths. */
    @Override
    public List<HasMetadata> resources(RenderContext context) {
      return List.of();
    }

    @Override
    public List<Check> checks() {
      return List.of(StorageChecks.defaultClass(Optional.of(className)), LocalPathChecks.provisionerRuns(className),
          LocalPathChecks.snapshots(profile), LocalPathChecks.rwx(storage));
    }
  }
}
