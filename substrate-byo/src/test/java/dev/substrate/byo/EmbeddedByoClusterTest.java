package dev.substrate.byo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
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
import java.util.Map;
import java.util.stream.Collectors;
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
    Map<String, CheckStatus> status = report.results().stream()
        .collect(Collectors.toMap(CheckResult::id, CheckResult::status));
    assertThat(report.results()).noneSatisfy(r -> assertThat(r.finding()).contains("without declaring"));
    assertThat(report.results()).noneSatisfy(r -> assertThat(r.finding()).startsWith("check crashed"));
    assertThat(status).containsEntry("substrate.nodes", CheckStatus.PASS)
        .containsEntry("gpu.operator.cluster-policy", CheckStatus.FAIL)
        .containsEntry("storage.default-class", CheckStatus.PASS)
        .containsEntry("storage.snapshots", CheckStatus.SKIP)
        .containsEntry("eso.crds", CheckStatus.PASS)
        .containsEntry("eso.store-ready", CheckStatus.FAIL)
        .containsEntry("secrets.long-lived-credentials", CheckStatus.PASS);
    assertThat(report.results()).filteredOn(r -> r.id().equals("storage.default-class"))
        .extracting(CheckResult::finding).containsExactly("the default StorageClass is local-path (provisioner rancher.io/local-path)");
  }
}
