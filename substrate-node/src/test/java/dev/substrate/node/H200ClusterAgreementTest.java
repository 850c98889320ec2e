package dev.substrate.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.DeclaredReads;
import dev.substrate.GpuConfig;
import dev.substrate.GpuConfig.TenancyMode;
import dev.substrate.ResourceKind;
import dev.substrate.spi.checks.DriverPreflightChecks;
import dev.substrate.spi.checks.GpuTenancyChecks;
import dev.substrate.spi.checks.GpuTenancyChecks.MigSlice;
import dev.substrate.spi.gpu.DriverImages;
import dev.substrate.spi.gpu.DriverPreflight;
import dev.substrate.spi.gpu.Finding;
import dev.substrate.spi.gpu.GpuCatalog;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The live H200 capture seen from both sides: what its node preflight reads and what the cluster checks predict from
 * the Node object GPU feature discovery and the kubelet would publish for it agree with each other and the catalog.
 */
class H200ClusterAgreementTest {
  private static NodePreflight fixture() throws IOException {
    return NodePreflight.of(NodeFacts.fromDirectory(NodePreflightTest.H200));
  }

  /** The Node as GFD labels it (product name with dashes, NVML's MiB) and as the kubelet reports it. */
  private static Node asNode(NodePreflight p, Map<String, String> extra) {
    Gpu gpu = p.gpus().get(0);
    return new NodeBuilder().withNewMetadata().withName("h200").addToLabels("nvidia.com/gpu.present", "true")
        .addToLabels("nvidia.com/gpu.product", gpu.product().replace(' ', '-'))
        .addToLabels("nvidia.com/gpu.memory", String.valueOf(gpu.vramMib().getAsLong()))
        .addToLabels("kubernetes.io/arch", "amd64").addToLabels(extra).endMetadata()
        .withNewStatus().withNewNodeInfo().withKernelVersion(p.facts().kernelRelease().orElseThrow())
        .withOsImage(p.facts().os().orElseThrow()).withArchitecture("amd64").endNodeInfo().endStatus().build();
  }

  private static CheckResult run(dev.substrate.spi.Check check, Node node) {
    return DeclaredReads.run(check, ClusterSnapshot.builder().addObjects(ResourceKind.NODES, List.of(node)).build());
  }

  @Test
  void theFixturesMigProfilesLieWithinTheSlicesTheTenancyCheckSizes() throws IOException {
    NodePreflight p = fixture();
    Gpu gpu = p.gpus().get(0);
    double gib = gpu.vramMib().getAsLong() / 1024.0;
    Map<String, MigSlice> sized = GpuTenancyChecks.migSlices(GpuCatalog.H200, gib).stream()
        .collect(Collectors.toMap(MigSlice::profile, Function.identity()));
    List<MigProfile> plain = gpu.migProfiles().stream().filter(m -> m.name().matches("\\d+g\\.\\d+gb"))
        .collect(Collectors.toList());
    assertThat(plain).extracting(MigProfile::name).containsExactlyInAnyOrderElementsOf(sized.keySet());
    for (MigProfile listed : plain) {
      MigSlice slice = sized.get(listed.name());
      assertThat(listed.memoryGib()).as(listed.name() + " listed vs sized " + slice)
          .isBetween(slice.minGib(), slice.maxGib());
      assertThat(listed.instances()).as(listed.name()).isEqualTo(slice.instances());
    }
  }

  @Test
  void tenancyFitSizesTheNodeByWhatNvmlReportsForTheCatalogsH200() throws IOException {
    Node node = asNode(fixture(), Map.of());
    assertThat(GpuCatalog.shipped().byProductLabel(node.getMetadata().getLabels().get("nvidia.com/gpu.product")))
        .hasValue(GpuCatalog.H200);
    GpuConfig fits = GpuConfig.builder().tenancyMode(TenancyMode.TIME_SLICING).tenancyReplicas(2)
        .addTenancyModels(GpuConfig.Model.of("llama-70b-fp8", 75), GpuConfig.Model.of("qwen-32b", 65)).build();
    CheckResult r = run(GpuTenancyChecks.fit(fits, GpuCatalog.shipped()), node);
    assertThat(r.status()).isEqualTo(CheckStatus.PASS);
    assertThat(r.finding()).endsWith("has 140.4 GiB");
    GpuConfig over = GpuConfig.builder().from(fits).addTenancyModels(GpuConfig.Model.of("embed", 1)).build();
    CheckResult tooMuch = run(GpuTenancyChecks.fit(over, GpuCatalog.shipped()), node);
    assertThat(tooMuch.status()).as("141 GiB as sold is 140.4 GiB to NVML").isEqualTo(CheckStatus.FAIL);
    assertThat(tooMuch.finding()).contains("h200 has 140.4 GiB (nvidia.com/gpu.memory=143771 MiB)");
  }

  @Test
  void theClusterPredictsTheSameMissingPrecompiledImageAsTheNodeForItsCustomKernel() throws IOException {
    NodePreflight fresh = fixture();
    Node node = asNode(fresh, Map.of());
    GpuConfig precompiled = GpuConfig.builder().driverPrecompiled(true).build();
    Finding cluster = DriverPreflightChecks.predict(node, precompiled, GpuCatalog.shipped(), false).stream()
        .filter(f -> f.id().equals(DriverPreflight.DRIVER_IMAGE)).findFirst().orElseThrow();
    DriverImages.Prediction nodeSide = fresh.precompiled().orElseThrow();
    assertThat(nodeSide.published()).isFalse();
    assertThat(cluster.status()).isEqualTo(Finding.Status.FAIL);
    assertThat(cluster.message()).contains(nodeSide.image()).contains(nodeSide.reason())
        .contains("nvcr.io/nvidia/driver:595-6.18.44-fc-v1252-gpu-ubuntu24.04");
  }

  @Test
  void migDisabledOnTheNodeAndNoLayoutLabelWarnOnlyWhenMigTenancyIsAskedFor() throws IOException {
    NodePreflight p = fixture();
    assertThat(p.gpus().get(0).migEnabled()).isFalse();
    GpuConfig mig = GpuConfig.builder().tenancyMode(TenancyMode.MIG).build();
    Finding f = DriverPreflightChecks.predict(asNode(p, Map.of()), mig, GpuCatalog.shipped(), false).stream()
        .filter(x -> x.id().equals(DriverPreflight.MIG)).findFirst().orElseThrow();
    assertThat(f.status()).isEqualTo(Finding.Status.WARN);
    assertThat(f.remedy()).hasValue("kubectl label node h200 --overwrite nvidia.com/mig.config=all-1g.18gb");
    Finding wrong = DriverPreflightChecks.predict(asNode(p, Map.of("nvidia.com/mig.config", "all-1g.10gb")), mig,
        GpuCatalog.shipped(), false).stream().filter(x -> x.id().equals(DriverPreflight.MIG)).findFirst().orElseThrow();
    assertThat(wrong.status()).as("the fixture lists no 1g.10gb").isEqualTo(Finding.Status.FAIL);
    assertThat(p.gpus().get(0).migProfiles()).extracting(MigProfile::name).doesNotContain("1g.10gb");
  }
}
