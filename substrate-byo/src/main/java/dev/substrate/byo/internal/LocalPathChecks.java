package dev.substrate.byo.internal;

import static dev.substrate.byo.internal.LocalPathStorageProvider.DEPLOYMENT;
import static dev.substrate.byo.internal.LocalPathStorageProvider.INSTALL;
import static dev.substrate.byo.internal.LocalPathStorageProvider.PROVISIONER;
import static dev.substrate.byo.internal.LocalPathStorageProvider.PROVISIONER_CHECK;
import static dev.substrate.byo.internal.LocalPathStorageProvider.RWX_REMEDY;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.Profile;
import dev.substrate.ResourceKind;
import dev.substrate.StorageConfig;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import dev.substrate.spi.checks.StorageChecks;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of storage {@code local-path}, apart from its provider so that listing providers loads no Fabric8 model
 * class.
 */
final class LocalPathChecks {
  private LocalPathChecks() {}

  /**
   * {@value LocalPathStorageProvider#PROVISIONER_CHECK}: StorageClass {@code className} is provisioned by
   * {@code rancher.io/local-path}, and the provisioner's Deployment has a ready replica.
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
          .filter(LocalPathChecks::isProvisioner).findFirst();
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
