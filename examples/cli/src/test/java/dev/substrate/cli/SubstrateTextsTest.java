package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.Capability;
import dev.substrate.CheckResult;
import dev.substrate.FacetType;
import dev.substrate.Report;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every text is shown for one substrate: off GKE, no storage, LB or secrets text speaks of GKE. */
class SubstrateTextsTest {
  private static final String AUDIENCE =
      "//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/hetzner/providers/k3s-oidc";

  private static Substrate substrate(String id, String auth) {
    return Substrates.create(SubstrateConfig.parse("substrate: {id: " + id + "}\nsecret_backend: gcpsm\n"
        + "secret_store_auth: " + auth + "\ncluster: {projectID: acme-ml}\n"
        + (id.equals("hetzner") ? "hetzner: {token_env: SUBSTRATE_TEST_NO_HCLOUD_TOKEN}\n" : "")
        + (auth.equals("wif") ? "wif: {audience: '" + AUDIENCE + "'}\n" : "")));
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource({"hetzner, workload-identity", "hetzner, wif", "hetzner, sa-key", "byo, workload-identity", "byo, wif",
      "byo, sa-key"})
  void noCapabilityOffGkeSpeaksOfGke(String id, String auth) {
    Substrate s = substrate(id, auth);
    for (FacetType facet : List.of(FacetType.STORAGE, FacetType.LOAD_BALANCER, FacetType.SECRET_BACKEND)) {
      for (Capability c : s.capabilities(facet)) {
        assertThat(c.reason() + " / " + c.remedy().orElse("")).as(id + " " + c.id()).doesNotContain("GKE");
      }
    }
  }

  @Test
  void noDoctorFindingOnTheEmbeddedHetznerClusterSpeaksOfGke() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.HETZNER)) {
      for (String auth : List.of("workload-identity", "sa-key")) {
        Report report = substrate("hetzner", auth).doctor(cluster.client());
        for (CheckResult r : report.results()) {
          if (!r.id().startsWith("gpu.")) {
            assertThat(r.finding() + " / " + r.remedy().orElse("")).as(auth + " " + r.id()).doesNotContain("GKE");
          }
        }
      }
    }
  }
}
