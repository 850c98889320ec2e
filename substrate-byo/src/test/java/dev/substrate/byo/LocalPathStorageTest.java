package dev.substrate.byo;

import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThat;

import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckStatus;
import dev.substrate.Report;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedClusterExtension;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LocalPathStorageTest {
  private static Substrate localPath(String yaml) {
    return Substrates.create(SubstrateConfig.parse("substrate: {id: byo}\ngpu_stack: none\n"
        + "storage: {provider: local-path" + yaml + "}"));
  }

  @Nested
  class Capabilities {
    @Test
    void volumesAreNodeBoundReadWriteOnceWithoutSnapshotsOrFailover() {
      Substrate s = localPath("");
      assertThat(s.storage().id()).isEqualTo("local-path");
      assertThat(s.storage().provisioner()).hasValue("rancher.io/local-path");
      assertThat(s.storage().defaultClassName()).hasValue("local-path");
      assertThat(s.capability("storage.node-failover").orElseThrow()).hasState(CapabilityState.UNSUPPORTED)
          .hasReasonContaining("kubernetes.io/hostname", "data").hasRemedyContaining("Longhorn");
      assertThat(s.capability(CapabilityIds.STORAGE_RWX).orElseThrow()).hasState(CapabilityState.UNSUPPORTED)
          .hasReasonContaining("ReadWriteOnce").hasRemedyContaining("csi-driver-nfs", "nfs.csi.k8s.io", "Longhorn",
              "storage.rwx_class");
      assertThat(s.capability(CapabilityIds.STORAGE_SNAPSHOTS).orElseThrow()).hasState(CapabilityState.UNSUPPORTED);
      assertThat(s.capability(CapabilityIds.STORAGE_DEFAULT_CLASS).orElseThrow())
          .hasState(CapabilityState.NEEDS_ACTION).hasRemedyContaining("local-path-storage.yaml",
              "storageclass.kubernetes.io/is-default-class=true");
    }

    @Test
    void itRendersNothing() {
      assertThat(localPath("").render().resources()).extracting(r -> r.getKind())
          .containsExactly("ClusterSecretStore");
    }

    @Test
    void aRenamedClassIsTheDefaultClassName() {
      assertThat(localPath(", default_class: local-nvme").storage().defaultClassName()).hasValue("local-nvme");
    }
  }

  /** The storage checks against an embedded cluster with local-path installed the way each test wants. */
  @Nested
  class OnAnEmbeddedCluster {
    @RegisterExtension
    final EmbeddedClusterExtension cluster = EmbeddedClusterExtension.withPreset(ClusterPreset.BARE);
    private KubernetesClient client;

    @BeforeEach
    void connect(KubernetesClient embedded) {
      client = embedded;
    }

    private void install(boolean isDefault, int ready) {
      client.storage().v1().storageClasses().resource(Fixtures.storageClass("local-path", "rancher.io/local-path",
          isDefault)).create();
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("local-path-storage")
          .endMetadata().build()).create();
      Deployment d = new DeploymentBuilder().withNewMetadata().withName("local-path-provisioner")
          .withNamespace("local-path-storage").endMetadata()
          .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "local-path-provisioner")
          .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "local-path-provisioner").endMetadata()
          .withNewSpec().addNewContainer().withName("local-path-provisioner")
          .withImage("rancher/local-path-provisioner:v0.0.37").endContainer().endSpec().endTemplate().endSpec()
          .withNewStatus().withReplicas(1).withReadyReplicas(ready).endStatus().build();
      client.apps().deployments().resource(d).create();
    }

    @Test
    void anInstalledDefaultLocalPathPasses() {
      install(true, 1);
      Report report = localPath("").doctor(client);
      assertThat(report).hasPassed("storage.default-class").hasPassed("storage.local-path")
          .hasSkipped("storage.snapshots").hasSkipped("storage.rwx").hasNoApiWrites();
      assertThat(report).hasCheck("storage.local-path").hasFinding("Deployment local-path-storage/local-path-provisioner "
          + "provisions StorageClass local-path (rancher.io/local-path, 1 ready)");
    }

    @Test
    void notInstalledFailsNamingUpstreamsManifest() {
      Report report = localPath("").doctor(client);
      assertThat(report).hasCheck("storage.local-path").hasStatus(CheckStatus.FAIL)
          .hasFinding("no StorageClass local-path, so Local Path Provisioner is not installed")
          .hasRemedyContaining("v0.0.37/deploy/local-path-storage.yaml", "/var/mnt/local-path-provisioner");
    }

    @Test
    void aClassThatIsNotDefaultFailsWithTheAnnotation() {
      install(false, 1);
      assertThat(localPath("").doctor(client)).hasCheck("storage.default-class").hasStatus(CheckStatus.FAIL)
          .hasRemedyContaining("kubectl annotate storageclass local-path storageclass.kubernetes.io/is-default-class=true");
    }

    @Test
    void aProvisionerWithoutReadyReplicaFails() {
      install(true, 0);
      assertThat(localPath("").doctor(client)).hasCheck("storage.local-path").hasStatus(CheckStatus.FAIL)
          .hasFindingContaining("has no ready replica").hasRemedyContaining("pod-security.kubernetes.io/enforce");
    }

    @Test
    void sharedWeightsWithoutAnRwxClassFailNamingWhatToInstall() {
      install(true, 1);
      assertThat(localPath(", shared_weights: true").doctor(client)).hasCheck("storage.rwx")
          .hasStatus(CheckStatus.FAIL).hasRemedyContaining("csi-driver-nfs", "Longhorn");
    }

    @Test
    void prodFailsSnapshotsBecauseLocalPathCannotSnapshot() {
      install(true, 1);
      Report report = Substrates.create(SubstrateConfig.parse("substrate: {id: byo}\ngpu_stack: none\nprofile: prod\n"
          + "storage: {provider: local-path}")).doctor(client);
      assertThat(report).hasCheck("storage.snapshots").hasStatus(CheckStatus.FAIL)
          .hasFindingContaining("cannot snapshot volumes at all").hasRemedyContaining("barman");
    }
  }
}
