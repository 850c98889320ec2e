package dev.substrate.byo.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.Profile;
import dev.substrate.RenderContext;
import dev.substrate.ResourceKind;
import dev.substrate.Storage;
import dev.substrate.StorageConfig;
import dev.substrate.spi.Check;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.Resources;
import dev.substrate.spi.StorageProvider;
import dev.substrate.spi.checks.StorageChecks;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
  static final String FAILOVER = "storage.failover";
  static final String PROVISIONER_CHECK = "storage.local-path";
  static final String INSTALL = "kubectl apply -f https://raw.githubusercontent.com/rancher/local-path-provisioner/"
      + "v0.0.37/deploy/local-path-storage.yaml (on Talos first a user volume and the path /var/mnt/local-path-"
      + "provisioner, as Sidero's guide \"Local Storage\" patches it)";
  static final String RWX_REMEDY = "install an RWX provisioner beside local-path: NFS through csi-driver-nfs "
      + "(kubernetes-csi/csi-driver-nfs, provisioner nfs.csi.k8s.io, on an NFS server you run) or Longhorn "
      + "(driver.longhorn.io, which needs an NFSv4 client on every node), and set storage.rwx_class to its StorageClass";

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
          Capability.of(FAILOVER, CapabilityState.UNSUPPORTED,
              "each volume stays on the node it was provisioned on (node affinity kubernetes.io/hostname): when that "
                  + "node is down its pods cannot start elsewhere, and when it is lost so is the data",
              "replicate in the application (e.g. CNPG instances on several nodes), or use replicated storage such "
                  + "as Longhorn for volumes that must survive a node"));
    }

    /** Nothing: the provisioner, its RBAC, ConfigMap and class are upstream's manifest, with node paths of its owner. */
    @Override
    public List<HasMetadata> resources(RenderContext context) {
      return List.of();
    }

    @Override
    public List<Check> checks() {
      return List.of(StorageChecks.defaultClass(Optional.of(className)), provisionerRuns(className), snapshots(profile),
          rwx(storage));
    }
  }

  /**
   * {@value #PROVISIONER_CHECK}: StorageClass {@code className} is provisioned by {@code rancher.io/local-path}, and
   * the provisioner's Deployment has a ready replica.
   */
  static Check provisionerRuns(String className) {
    return Check.of(PROVISIONER_CHECK, Set.of(ResourceKind.STORAGE_CLASSES, ResourceKind.DEPLOYMENTS), snapshot -> {
      Optional<StorageClass> sc = snapshot.list(ResourceKind.STORAGE_CLASSES, StorageClass.class).stream()
          .filter(c -> className.equals(c.getMetadata().getName())).findFirst();
      if (sc.isEmpty()) {
        return CheckResult.fail(PROVISIONER_CHECK, "no StorageClass " + className + ", so Local Path Provisioner is "
            + "not installed", INSTALL);
      }
      if (!PROVISIONER.equals(sc.get().getProvisioner())) {
        return CheckResult.fail(PROVISIONER_CHECK, "StorageClass " + className + " is provisioned by "
            + sc.get().getProvisioner() + ", not " + PROVISIONER,
            "set storage.default_class to Local Path Provisioner's class, or storage.provider to the one that "
                + "provisions " + className);
      }
      Optional<Deployment> deployment = snapshot.list(ResourceKind.DEPLOYMENTS, Deployment.class).stream()
          .filter(LocalPathStorageProvider::isProvisioner).findFirst();
      if (deployment.isEmpty()) {
        return CheckResult.fail(PROVISIONER_CHECK, "StorageClass " + className + " exists but no "
            + DEPLOYMENT + " Deployment runs, so its PVCs stay Pending", INSTALL);
      }
      Deployment d = deployment.get();
      int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
          : d.getStatus().getReadyReplicas();
      if (ready < 1) {
        return CheckResult.fail(PROVISIONER_CHECK, "Deployment " + Resources.ref(d) + " has no ready replica, so "
            + className + " PVCs stay Pending", "kubectl -n " + d.getMetadata().getNamespace()
            + " describe deployment " + d.getMetadata().getName() + " and its pods' events (on Talos the namespace "
            + "needs pod-security.kubernetes.io/enforce=privileged)");
      }
      return CheckResult.pass(PROVISIONER_CHECK, "Deployment " + Resources.ref(d) + " provisions StorageClass "
          + className + " (" + PROVISIONER + ", " + ready + " ready)");
    });
  }

  private static boolean isProvisioner(Deployment d) {
    if (DEPLOYMENT.equals(d.getMetadata().getName())) {
      return true;
    }
    if (d.getSpec() == null || d.getSpec().getTemplate() == null || d.getSpec().getTemplate().getSpec() == null) {
      return false;
    }
    for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
      if (c.getImage() != null && c.getImage().contains("rancher/local-path-provisioner")) {
        return true;
      }
    }
    return false;
  }

  /** {@code storage.snapshots}: as everywhere, with the reason local-path cannot satisfy {@code prod}. */
  static Check snapshots(Profile profile) {
    Check shared = StorageChecks.snapshots(profile);
    return Check.of(shared.id(), shared.reads(), snapshot -> {
      CheckResult r = shared.run(snapshot);
      if (r.status() != CheckStatus.FAIL) {
        return r;
      }
      return CheckResult.fail(r.id(), r.finding() + "; Local Path Provisioner (" + PROVISIONER + ") cannot snapshot "
          + "volumes at all", "back up at the application level (CNPG barman to object storage), or keep prod data "
          + "on a CSI driver that snapshots, with its default VolumeSnapshotClass");
    });
  }

  /** {@code storage.rwx}: as everywhere, but the remedy names what to install beside local-path. */
  static Check rwx(StorageConfig storage) {
    Check shared = StorageChecks.rwx(storage);
    return Check.of(shared.id(), shared.reads(), snapshot -> {
      CheckResult r = shared.run(snapshot);
      return r.status() == CheckStatus.FAIL && storage.rwxClass().isEmpty()
          ? CheckResult.fail(r.id(), r.finding(), RWX_REMEDY) : r;
    });
  }
}
