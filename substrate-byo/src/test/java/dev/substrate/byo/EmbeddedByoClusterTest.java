package dev.substrate.byo;

import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThat;

import dev.substrate.Report;
import dev.substrate.SecretStore.PutResult;
import dev.substrate.SecretStore;
import dev.substrate.SecretValue;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The byo substrate against the testkit's embedded cluster seeded like a kubeadm cluster. */
class EmbeddedByoClusterTest {
  private static EmbeddedCluster cluster;

  @BeforeAll
  static void start() {
    cluster = EmbeddedCluster.start(ClusterPreset.BYO);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void theSubstrateIsDetectedAsByoFromNodesWithoutProviderIds() {
    Substrate s = Substrates.builder().client(cluster.client()).build();
    assertThat(s.id()).isEqualTo("byo");
    assertThat(s.detection()).hasValueSatisfying(d -> assertThat(d.evidence()).contains("without providerID"));
  }

  @Test
  void theKubernetesSecretStoreRoundTrips() {
    cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("platform-secrets")
        .endMetadata().build()).serverSideApply();
    SecretStore store = Substrates.builder().config(SubstrateConfig.parse("substrate: {id: byo}"))
        .client(cluster.client()).build().secrets().store();
    assertThat(store.put("hf-token", SecretValue.of("t0ken"))).isEqualTo(PutResult.CREATED);
    assertThat(store.put("hf-token", SecretValue.of("t0ken"))).isEqualTo(PutResult.UNCHANGED);
    assertThat(store.put("hf-token", SecretValue.of("t0ken-2"))).isEqualTo(PutResult.UPDATED);
    assertThat(store.get("hf-token")).hasValue(SecretValue.of("t0ken-2"));
    assertThat(store.list()).containsExactly("hf-token");
    assertThat(store.delete("hf-token")).isTrue();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void doctorBeforeTheSubstrateLayerIsAppliedNamesWhatIsMissing() {
    Substrate s = Substrates.builder().config(SubstrateConfig.parse("substrate: {id: byo}")).build();
    Report report = s.doctor(cluster.client());
    assertThat(report.results()).noneSatisfy(r -> assertThat(r.finding()).contains("without declaring"));
    assertThat(report.results()).noneSatisfy(r -> assertThat(r.finding()).startsWith("check crashed"));
    assertThat(report).hasPassed("substrate.nodes")
        .hasFailed("gpu.operator.cluster-policy")
        .hasPassed("storage.default-class")
        .hasSkipped("storage.snapshots")
        .hasPassed("eso.crds")
        .hasFailed("eso.store-ready")
        .hasPassed("secrets.long-lived-credentials")
        .hasNoApiWrites();
    assertThat(report).hasCheck("storage.default-class")
        .hasFinding("the default StorageClass is local-path (provisioner rancher.io/local-path)");
  }
}
