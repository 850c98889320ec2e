package dev.substrate.hetzner;

import static dev.substrate.hetzner.HetznerFixtures.byId;
import static dev.substrate.hetzner.HetznerFixtures.hetzner;
import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.Report;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Doctor with a Hetzner config against the embedded Hetzner cluster. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EmbeddedHetznerDoctorTest {
  @TempDir Path dir;

  @Test
  void a_working_hetzner_cluster_passes_in_cost() throws IOException {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.HETZNER)) {
      Report report = hetzner("profile: cost\n" + HetznerFixtures.wifWithUploadedJwks(cluster, dir)
          + "gpu: {tenancy: {mode: time-slicing, replicas: 2, models: "
          + "[{name: llama-8b, vram_gib: 9}, {name: embed, vram_gib: 3}]}}\n").doctor(cluster.client());

      assertThat(report.failed()).as(report.toText()).isZero();
      Map<String, CheckResult> results = byId(report);
      for (String id : List.of("gpu.nodes-advertise", "gpu.tenancy.fit", "storage.default-class",
          "storage.hcloud.robot-nodes", "lb.hcloud.ccm", "lb.hcloud.default-location", "lb.hcloud.robot",
          "lb.addresses", "eso.version")) {
        assertThat(results.get(id)).as(id + "\n" + report.toText()).isNotNull();
        assertThat(results.get(id).status()).as(report.toText()).isEqualTo(CheckStatus.PASS);
      }
      assertThat(results.get("storage.snapshots").status()).isEqualTo(CheckStatus.SKIP);
    }
  }

  @Test
  void prod_fails_snapshots_with_the_object_store_remedy() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.HETZNER)) {
      CheckResult r = byId(hetzner("profile: prod\n").doctor(cluster.client())).get("storage.snapshots");
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).contains("object storage")
          .contains("snapshot-capable storage layer"));
    }
  }

  @Test
  void without_a_default_location_on_the_ccm_load_balancing_fails_with_the_remedy() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.HETZNER)) {
      cluster.client().apps().deployments().inNamespace("kube-system").withName("hcloud-cloud-controller-manager")
          .edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                .removeIf(e -> e.getName().startsWith("HCLOUD_LOAD_BALANCERS_"));
            return d;
          });
      Report report = hetzner("").doctor(cluster.client());
      CheckResult r = byId(report).get("lb.hcloud.default-location");
      assertThat(r.status()).as(report.toText()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).contains("HCLOUD_LOAD_BALANCERS_LOCATION"));
    }
  }
}
