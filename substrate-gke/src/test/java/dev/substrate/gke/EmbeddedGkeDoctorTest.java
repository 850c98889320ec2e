package dev.substrate.gke;

import static dev.substrate.gke.GkeFixtures.gke;
import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.ApplyOptions;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.Report;
import dev.substrate.Substrate;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Doctor with a GKE config against embedded clusters: the GKE preset is a working platform cluster, bare is not. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EmbeddedGkeDoctorTest {
  private static Map<String, CheckResult> byId(Report report) {
    return report.results().stream().collect(Collectors.toMap(CheckResult::id, r -> r));
  }

  @Test
  void a_working_gke_cluster_has_no_failure() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.GKE)) {
      Report report = gke("").doctor(cluster.client());

      assertThat(report.failed()).as(report.toText()).isZero();
      Map<String, CheckResult> results = byId(report);
      for (String id : List.of("substrate.nodes", "gpu.nodes-advertise", "gpu.gke.device-plugin", "gpu.gke.dcgm",
          "storage.default-class", "lb.addresses", "eso.crds", "eso.store-ready", "eso.version",
          "secrets.long-lived-credentials")) {
        assertThat(results.get(id).status()).as(report.toText()).isEqualTo(CheckStatus.PASS);
      }
      assertThat(results.get("gpu.gke.dcgm").finding()).contains("gke-managed-system/dcgm-exporter");
      assertThat(results.get("eso.store-ready").finding()).contains("Ready (Valid)");
    }
  }

  @Test
  void gpu_tenancy_is_sized_on_the_l4_pool_known_by_its_accelerator_label_alone() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.GKE)) {
      Report report = gke("gpu: {tenancy: {mode: time-slicing, replicas: 4, models: [{name: llama-8b, vram_gib: 16}, "
          + "{name: qwen-7b, vram_gib: 15}]}}\n").doctor(cluster.client());
      CheckResult fit = byId(report).get("gpu.tenancy.fit");
      assertThat(fit.status()).as(report.toText()).isEqualTo(CheckStatus.FAIL);
      assertThat(fit.finding()).contains("need 31 GiB together").contains("has 24 GiB (L4)");
      assertThat(fit.remedy()).hasValueSatisfying(r -> assertThat(r).contains("nvidia-tesla-a100: A100 40GB, 40 GiB")
          .doesNotContain("nvidia-l4:"));

      Report mig = gke("gpu: {tenancy: {mode: mig}}\n").doctor(cluster.client());
      assertThat(byId(mig).get("gpu.tenancy.mig-capable").finding()).contains("a GPU without MIG").contains("(L4)");
    }
  }

  @Test
  void prod_fails_for_want_of_the_volume_snapshot_class_until_the_rendered_one_is_applied() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.GKE)) {
      Substrate prod = gke("profile: prod\n");
      CheckResult before = byId(prod.doctor(cluster.client())).get("storage.snapshots");
      assertThat(before.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(before.remedy()).hasValueSatisfying(r -> assertThat(r)
          .startsWith("apply the rendered VolumeSnapshotClass pd-snapshot-class"));

      prod.apply(cluster.client(), ApplyOptions.defaults());

      Report after = prod.doctor(cluster.client());
      assertThat(after.failed()).as(after.toText()).isZero();
      assertThat(byId(after).get("storage.snapshots").status()).isEqualTo(CheckStatus.PASS);
    }
  }

  @Test
  void a_bare_cluster_fails_with_a_remedy_on_every_failure() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BARE)) {
      Report report = gke("profile: prod\nstorage: {shared_weights: true}\n").doctor(cluster.client());

      assertThat(report.failed()).as(report.toText()).isGreaterThan(0);
      Map<String, CheckResult> results = byId(report);
      assertThat(results.get("gpu.gke.device-plugin").status()).isEqualTo(CheckStatus.FAIL);
      assertThat(results.get("storage.default-class").status()).isEqualTo(CheckStatus.FAIL);
      assertThat(results.get("gpu.nodes-advertise").status()).isEqualTo(CheckStatus.WARN);
      assertThat(results.get("gpu.gke.dcgm").status()).isEqualTo(CheckStatus.WARN);
      for (CheckResult r : report.results()) {
        if (r.status() == CheckStatus.FAIL || r.status() == CheckStatus.WARN) {
          assertThat(r.remedy()).as(r.id()).hasValueSatisfying(remedy -> assertThat(remedy).isNotBlank());
        }
      }
    }
  }

  @Test
  void the_gpu_operator_on_gke_is_allowed_but_doctor_warns_about_gpu_nodes_running_gkes_own_stack() {
    Substrate operator = gke("gpu_stack: operator\n");
    assertThat(operator.gpuStack().id()).isEqualTo("operator");
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.GKE)) {
      CheckResult runtime = byId(operator.doctor(cluster.client())).get("gpu.operator.gke-runtime");

      assertThat(runtime.status()).isEqualTo(CheckStatus.WARN);
      assertThat(runtime.finding()).contains("gpu_stack is operator on GKE")
          .contains("GKE installs its driver (gpu-driver-version default)");
      assertThat(runtime.remedy()).isPresent();
    }
  }
}
