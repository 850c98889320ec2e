package dev.substrate.byo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.GpuConfig;
import dev.substrate.GpuConfig.TenancyMode;
import dev.substrate.Report;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import dev.substrate.spi.checks.GpuTenancyChecks;
import dev.substrate.spi.checks.GpuTenancyChecks.MigSlice;
import dev.substrate.spi.gpu.GpuCatalog;
import io.fabric8.kubernetes.api.model.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** gpu.tenancy against nodes of several catalog products, the same on every substrate. */
class GpuTenancyChecksTest {
  private static final GpuCatalog CATALOG = GpuCatalog.shipped();

  private static Node gpu(String name, String product, String... moreLabels) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("nvidia.com/gpu.present", "true");
    labels.put("nvidia.com/gpu.product", product);
    for (int i = 0; i < moreLabels.length; i += 2) {
      labels.put(moreLabels[i], moreLabels[i + 1]);
    }
    return Fixtures.node(name, null, labels, Map.of("nvidia.com/gpu", "1"));
  }

  /** One node of each: L4, A100 40GB, A100 80GB, H100 80GB, H200, with GFD's product labels only. */
  private static List<Node> fleet() {
    return List.of(Fixtures.cpuNode("cpu-1"), gpu("l4", "NVIDIA-L4"), gpu("a100-40", "NVIDIA-A100-SXM4-40GB"),
        gpu("a100-80", "NVIDIA-A100-SXM4-80GB"), gpu("h100", "NVIDIA-H100-80GB-HBM3"), gpu("h200", "NVIDIA-H200"));
  }

  private static ClusterSnapshot nodes(List<Node> nodes) {
    return ClusterSnapshot.builder().addObjects(ResourceKind.NODES, nodes).build();
  }

  private static GpuConfig tenancy(TenancyMode mode, int replicas, double... gib) {
    GpuConfig.Builder b = GpuConfig.builder().tenancyMode(mode).tenancyReplicas(replicas);
    for (int i = 0; i < gib.length; i++) {
      b.addTenancyModels(GpuConfig.Model.of("model-" + (char) ('a' + i), gib[i]));
    }
    return b.build();
  }

  private static CheckResult fit(GpuConfig gpu, List<Node> nodes) {
    return Checks.run(GpuTenancyChecks.fit(gpu, CATALOG), nodes(nodes));
  }

  @Nested
  class TimeSlicingAndMps {
    @Test
    void timeSlicedModelsMustJointlyFitEveryProductsVram() {
      CheckResult r = fit(tenancy(TenancyMode.TIME_SLICING, 4, 14, 16), fleet());
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("need 30 GiB together").contains("1 GPU node: l4 has 24 GiB (L4)")
          .doesNotContain("a100-40");
      assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).contains("nodeSelector on nvidia.com/gpu.product")
          .contains("A100 40GB, 40 GiB"));

      CheckResult over40 = fit(tenancy(TenancyMode.TIME_SLICING, 4, 30, 16), fleet());
      assertThat(over40.finding()).contains("l4 has 24 GiB (L4), a100-40 has 40 GiB (A100 40GB)")
          .doesNotContain("a100-80").doesNotContain("h100").doesNotContain("h200");

      CheckResult fits = fit(tenancy(TenancyMode.TIME_SLICING, 4, 10, 12), fleet());
      assertThat(fits.status()).isEqualTo(CheckStatus.PASS);
      assertThat(fits.finding()).isEqualTo("the time-sliced models need 22 GiB together; the smallest of 5 GPU nodes "
          + "has 24 GiB");
    }

    @Test
    void underMpsTheLargestModelMustFitOneReplicasShareOfEachProduct() {
      CheckResult r = fit(tenancy(TenancyMode.MPS, 4, 15, 8), fleet());
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("l4 has 24 GiB (L4), a100-40 has 40 GiB (A100 40GB)")
          .doesNotContain("a100-80").doesNotContain("h200");
      assertThat(fit(tenancy(TenancyMode.MPS, 4, 15), List.of(gpu("a100-80", "NVIDIA-A100-SXM4-80GB"),
          gpu("h100", "NVIDIA-H100-80GB-HBM3"), gpu("h200", "NVIDIA-H200"))).status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void gfdsMemoryLabelWinsOverTheCatalogAndAnUnknownGpuWarns() {
      CheckResult r = fit(tenancy(TenancyMode.TIME_SLICING, 2, 23),
          List.of(gpu("l4", "NVIDIA-L4", "nvidia.com/gpu.memory", "23034")));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("l4 has 22.5 GiB (nvidia.com/gpu.memory=23034 MiB)");
      CheckResult unknown = fit(tenancy(TenancyMode.TIME_SLICING, 2, 10), List.of(gpu("b300", "NVIDIA-B300")));
      assertThat(unknown.status()).isEqualTo(CheckStatus.WARN);
      assertThat(unknown.finding()).contains("GPU memory of b300 is unknown");
    }

    @Test
    void aSubstratesOfferingsNameTheGpuWithoutGfdLabels() {
      GpuCatalog gke = CATALOG.withOffering("nvidia-l4", GpuCatalog.L4).withOffering("nvidia-h200-141gb",
          GpuCatalog.H200);
      Node l4 = Fixtures.node("gke-l4", "gce://p/z/gke-l4", Map.of("cloud.google.com/gke-accelerator", "nvidia-l4"),
          Map.of("nvidia.com/gpu", "1"));
      CheckResult r = Checks.run(GpuTenancyChecks.fit(tenancy(TenancyMode.TIME_SLICING, 2, 20, 10), gke),
          nodes(List.of(l4)));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("gke-l4 has 24 GiB (L4)");
      assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).endsWith("(nvidia-h200-141gb: H200, 141 GiB)"));
    }
  }

  @Nested
  class MigSlices {
    @Test
    void eachProductsProfilesAreSizedAsAShareOfItsMemory() {
      assertThat(GpuTenancyChecks.migSlices(GpuCatalog.A100_40GB, 40)).extracting(MigSlice::profile, MigSlice::maxGib)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("1g.5gb", 5.0),
              org.assertj.core.groups.Tuple.tuple("1g.10gb", 10.0), org.assertj.core.groups.Tuple.tuple("2g.10gb", 10.0),
              org.assertj.core.groups.Tuple.tuple("3g.20gb", 20.0), org.assertj.core.groups.Tuple.tuple("4g.20gb", 20.0),
              org.assertj.core.groups.Tuple.tuple("7g.40gb", 40.0));
      assertThat(GpuTenancyChecks.migSlices(GpuCatalog.H100_80GB, 80)).first()
          .isEqualTo(new MigSlice("1g.10gb", 7, 9.0, 10.0));
      assertThat(GpuTenancyChecks.migSlices(GpuCatalog.RTX_PRO_6000_BLACKWELL, 96)).extracting(MigSlice::profile)
          .containsExactly("1g.24gb", "2g.48gb", "4g.96gb");
      assertThat(GpuTenancyChecks.migSlices(GpuCatalog.L4, 24)).isEmpty();
    }

    @Test
    void theLargestModelPicksTheSmallestSliceThatHoldsItOnEachProduct() {
      CheckResult r = fit(tenancy(TenancyMode.MIG, 1, 9, 4), fleet());
      assertThat(r.status()).as(r.finding()).isEqualTo(CheckStatus.PASS);
      assertThat(r.finding()).isEqualTo("under MIG the largest model, model-a (9 GiB), fits a100-40's A100 40GB as "
          + "1g.10gb slices (about 9-10 GiB, 4 per GPU; label nvidia.com/mig.config=all-1g.10gb), a100-80's A100 80GB "
          + "as 1g.10gb slices (about 9-10 GiB, 7 per GPU; label nvidia.com/mig.config=all-1g.10gb), h100's H100 80GB "
          + "as 1g.10gb slices (about 9-10 GiB, 7 per GPU; label nvidia.com/mig.config=all-1g.10gb), h200's H200 as "
          + "1g.18gb slices (about 15.9-17.6 GiB, 7 per GPU; label nvidia.com/mig.config=all-1g.18gb)");
      CheckResult capable = Checks.run(GpuTenancyChecks.migCapable(tenancy(TenancyMode.MIG, 1, 9), CATALOG),
          nodes(fleet()));
      assertThat(capable.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(capable.finding()).endsWith("a GPU without MIG: l4 (L4)");
    }

    @Test
    void aModelLargerThanTheWholeGpuFailsAndOneInTheDriversReserveWarns() {
      List<Node> big = List.of(gpu("a100-80", "NVIDIA-A100-SXM4-80GB"), gpu("h200", "NVIDIA-H200"));
      CheckResult r = fit(tenancy(TenancyMode.MIG, 1, 100), big);
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).isEqualTo("under MIG each model runs in one slice, and model-a (100 GiB) fits no slice "
          + "of a100-80's A100 80GB (its largest slice, 7g.80gb, holds about 80 GiB)");
      assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).contains("H200, 141 GiB"));

      CheckResult tight = fit(tenancy(TenancyMode.MIG, 1, 17), List.of(gpu("h200", "NVIDIA-H200",
          "nvidia.com/mig.config", "all-1g.18gb")));
      assertThat(tight.status()).isEqualTo(CheckStatus.WARN);
      assertThat(tight.finding()).contains("h200's H200 1g.18gb slices (about 15.9-17.6 GiB)");
      assertThat(fit(tenancy(TenancyMode.MIG, 1, 20), List.of(gpu("h200", "NVIDIA-H200", "nvidia.com/mig.config",
          "all-1g.18gb"))).status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void underTheSingleStrategyGfdsMemoryLabelIsTheSlicesExactMemory() {
      Node sliced = gpu("h200", "NVIDIA-H200-MIG-1g.18gb", "nvidia.com/gpu.memory", "16384");
      assertThat(fit(tenancy(TenancyMode.MIG, 1, 15.5), List.of(sliced)).status()).isEqualTo(CheckStatus.PASS);
      CheckResult r = fit(tenancy(TenancyMode.MIG, 1, 16.5), List.of(sliced));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("h200's H200 1g.18gb slices (16 GiB, nvidia.com/gpu.memory)");
    }
  }

  @Test
  void byoRunsTheTenancyChecksAndSizesItsL40sByWhatNvmlReports() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO)) {
      Substrate s = Substrates.builder().config(SubstrateConfig.parse("substrate: {id: byo}\ngpu: {tenancy: {mode: "
          + "time-slicing, replicas: 4, models: [{name: llama-70b-awq, vram_gib: 40}, {name: embed, vram_gib: 6}]}}"))
          .build();
      Report report = s.doctor(cluster.client());
      CheckResult r = report.results().stream().filter(c -> c.id().equals(GpuTenancyChecks.FIT)).findFirst()
          .orElseThrow();
      assertThat(r.status()).as("an L40S is sold as 48 GB, but NVML reports 46068 MiB").isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("need 46 GiB together, more than 1 GPU node: gpu-1 has 45 GiB "
          + "(nvidia.com/gpu.memory=46068 MiB)");
    }
  }
}
