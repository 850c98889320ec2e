package dev.substrate.byo;

import dev.substrate.spi.checks.StorageChecks;
import static dev.substrate.byo.Fixtures.snapshotClass;
import static dev.substrate.byo.Fixtures.storageClass;
import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.Profile;
import dev.substrate.ResourceKind;
import dev.substrate.StorageConfig;
import dev.substrate.spi.Check;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class StorageChecksTest {
  private static ClusterSnapshot.Builder classes(Object... classes) {
    return ClusterSnapshot.builder().addObjects(ResourceKind.STORAGE_CLASSES, List.of(classes));
  }

  @Nested
  class DefaultClass {
    private final Check any = StorageChecks.defaultClass(Optional.empty());

    @Test
    void failsWithNoDefaultClass() {
      CheckResult r = Checks.run(any, classes(storageClass("fast", "csi.example.com", false)).build());
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).startsWith("no default StorageClass among 1 class (fast)");
      assertThat(r.remedy()).hasValue("kubectl annotate storageclass fast storageclass.kubernetes.io/is-default-class=true");
    }

    @Test
    void passesWithExactlyOne() {
      CheckResult r = Checks.run(any, classes(storageClass("fast", "csi.example.com", false),
          storageClass("standard", "rancher.io/local-path", true)).build());
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
      assertThat(r.finding()).isEqualTo("the default StorageClass is standard (provisioner rancher.io/local-path)");
    }

    @Test
    void failsWithTwoNamingBoth() {
      CheckResult r = Checks.run(any, classes(storageClass("b", "x", true), storageClass("a", "y", true)).build());
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).isEqualTo("2 StorageClasses are marked default: a, b");
    }

    @Test
    void failsWhenTheDefaultIsNotTheConfiguredOne() {
      CheckResult r = Checks.run(StorageChecks.defaultClass(Optional.of("fast")),
          classes(storageClass("fast", "x", false), storageClass("standard", "y", true)).build());
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).isEqualTo("the default StorageClass is standard but storage.default_class is fast");
    }

    @Test
    void passesWhenTheDefaultIsTheConfiguredOne() {
      CheckResult r = Checks.run(StorageChecks.defaultClass(Optional.of("standard")),
          classes(storageClass("standard", "y", true)).build());
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
    }
  }

  @Nested
  class Snapshots {
    private final Check prod = StorageChecks.snapshots(Profile.PROD);

    @Test
    void skipsForCostAndDevWithoutReadingAnything() {
      for (Profile p : List.of(Profile.COST, Profile.DEV)) {
        Check check = StorageChecks.snapshots(p);
        assertThat(check.reads()).isEmpty();
        CheckResult r = Checks.run(check, ClusterSnapshot.builder().build());
        assertThat(r.status()).isEqualTo(CheckStatus.SKIP);
        assertThat(r.finding()).contains("cost and dev take no backups");
      }
    }

    @Test
    void failsForProdWithoutTheSnapshotCrd() {
      ClusterSnapshot s = classes(storageClass("standard", "csi.example.com", true))
          .unread(ResourceKind.VOLUME_SNAPSHOT_CLASSES, ClusterSnapshot.ReadState.ABSENT, "not served").build();
      CheckResult r = Checks.run(prod, s);
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("volumesnapshotclasses.snapshot.storage.k8s.io is absent");
    }

    @Test
    void passesWithAMatchingDefaultSnapshotClass() {
      ClusterSnapshot s = classes(storageClass("standard", "csi.example.com", true))
          .addObjects(ResourceKind.VOLUME_SNAPSHOT_CLASSES, List.of(snapshotClass("other", "other.csi", false),
              snapshotClass("snap", "csi.example.com", true))).build();
      CheckResult r = Checks.run(prod, s);
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
      assertThat(r.finding()).contains("snap").contains("standard").contains("csi.example.com");
    }

    @Test
    void failsWhenTheDriverDoesNotMatchTheDefaultClass() {
      ClusterSnapshot s = classes(storageClass("standard", "csi.example.com", true))
          .addObjects(ResourceKind.VOLUME_SNAPSHOT_CLASSES, List.of(snapshotClass("snap", "other.csi", true))).build();
      CheckResult r = Checks.run(prod, s);
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).isEqualTo("the default VolumeSnapshotClass snap uses driver other.csi but the default "
          + "StorageClass standard is provisioned by csi.example.com");
      assertThat(r.remedy()).hasValueSatisfying(m -> assertThat(m).contains("driver: csi.example.com"));
    }

    @Test
    void failsWithNoDefaultSnapshotClass() {
      ClusterSnapshot s = classes(storageClass("standard", "csi.example.com", true))
          .addObjects(ResourceKind.VOLUME_SNAPSHOT_CLASSES, List.of(snapshotClass("snap", "csi.example.com", false)))
          .build();
      CheckResult r = Checks.run(prod, s);
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).startsWith("no default VolumeSnapshotClass (1 VolumeSnapshotClass");
    }

    @Test
    void failsWithTwoDefaultSnapshotClasses() {
      ClusterSnapshot s = classes(storageClass("standard", "csi.example.com", true))
          .addObjects(ResourceKind.VOLUME_SNAPSHOT_CLASSES, List.of(snapshotClass("a", "csi.example.com", true),
              snapshotClass("b", "csi.example.com", true))).build();
      CheckResult r = Checks.run(prod, s);
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).isEqualTo("2 VolumeSnapshotClasses are marked default: a, b");
    }
  }

  @Nested
  class Rwx {
    private final StorageConfig shared = StorageConfig.builder().sharedWeights(true).build();

    @Test
    void skipsWhenWeightsAreNotShared() {
      Check check = StorageChecks.rwx(StorageConfig.builder().build());
      assertThat(check.reads()).isEmpty();
      assertThat(Checks.run(check, ClusterSnapshot.builder().build()).status()).isEqualTo(CheckStatus.SKIP);
    }

    @Test
    void passesWithAClassOfAKnownRwxProvisioner() {
      CheckResult r = Checks.run(StorageChecks.rwx(shared), classes(storageClass("standard", "rancher.io/local-path", true),
          storageClass("longhorn", "driver.longhorn.io", false)).build());
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
      assertThat(r.finding()).contains("longhorn").contains("share-manager");
    }

    @Test
    void failsWithoutAnRwxClass() {
      CheckResult r = Checks.run(StorageChecks.rwx(shared),
          classes(storageClass("hcloud-volumes", "csi.hetzner.cloud", true)).build());
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("no StorageClass serves ReadWriteMany").contains("csi.hetzner.cloud");
      assertThat(r.remedy()).hasValueSatisfying(m -> assertThat(m).contains("Longhorn").contains("LINSTOR"));
    }

    @Test
    void acceptsAConfiguredClassThatExists() {
      StorageConfig config = StorageConfig.builder().sharedWeights(true).rwxClass("shared").build();
      CheckResult r = Checks.run(StorageChecks.rwx(config),
          classes(storageClass("shared", "example.com/custom-rwx", false)).build());
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void failsWhenTheConfiguredClassIsMissing() {
      StorageConfig config = StorageConfig.builder().sharedWeights(true).rwxClass("shared").build();
      CheckResult r = Checks.run(StorageChecks.rwx(config),
          classes(storageClass("nfs", "nfs.csi.k8s.io", false)).build());
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).isEqualTo("storage.rwx_class is shared but no StorageClass has that name");
    }
  }
}
