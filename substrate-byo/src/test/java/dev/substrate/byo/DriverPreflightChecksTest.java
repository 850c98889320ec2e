package dev.substrate.byo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.GpuConfig;
import dev.substrate.GpuConfig.TenancyMode;
import dev.substrate.ResourceKind;
import dev.substrate.Report;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import dev.substrate.spi.Check;
import dev.substrate.spi.checks.DriverPreflightChecks;
import dev.substrate.spi.gpu.Finding;
import dev.substrate.spi.gpu.GpuCatalog;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Driver preflight from the cluster, on embedded clusters seeded like the presets, plus GPU nodes whose
 * {@code status.nodeInfo} and labels vary.
 */
class DriverPreflightChecksTest {
  private static final Set<ResourceKind> READS = Set.of(ResourceKind.NODES, ResourceKind.CLUSTER_POLICIES);
  private static final GpuConfig COMPILED = GpuConfig.builder().build();
  private static final GpuConfig PRECOMPILED = GpuConfig.builder().driverPrecompiled(true).build();

  /** A GPU node as GPU feature discovery labels one, with the kubelet's node info. */
  private static Node gpuNode(String name, String kernel, String osImage, String arch, Map<String, String> extra) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/arch", arch);
    labels.put("feature.node.kubernetes.io/pci-10de.present", "true");
    labels.put("nvidia.com/gpu.present", "true");
    labels.putAll(extra);
    return new NodeBuilder()
        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewStatus().withNewNodeInfo().withKernelVersion(kernel).withOsImage(osImage).withArchitecture(arch)
        .withContainerRuntimeVersion("containerd://1.7.27").withKubeletVersion("v1.32.4").withOperatingSystem("linux")
        .endNodeInfo().endStatus()
        .build();
  }

  private static ClusterSnapshot snapshot(ClusterPreset preset, Node... extra) {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(preset).objects(extra).start()) {
      return ClusterSnapshot.read(cluster.client(), READS);
    }
  }

  private static Map<String, CheckResult> run(GpuConfig gpu, ClusterSnapshot snapshot) {
    Map<String, CheckResult> out = new LinkedHashMap<>();
    for (Check c : DriverPreflightChecks.checks(gpu, GpuCatalog.shipped())) {
      out.put(c.id(), Checks.run(c, snapshot));
    }
    return out;
  }

  @Nested
  class PrecompiledImages {
    @Test
    void aGenericUbuntuKernelPassesAndALowlatencyOneIsPredictedToStayInImagePullBackOff() {
      ClusterSnapshot s = snapshot(ClusterPreset.BYO,
          gpuNode("gpu-lowlatency", "6.8.0-57-lowlatency", "Ubuntu 24.04.2 LTS", "amd64", Map.of()));
      CheckResult r = run(PRECOMPILED, s).get(DriverPreflightChecks.IMAGE);

      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).startsWith("gpu-lowlatency: precompiled driver image "
          + "nvcr.io/nvidia/driver:595-6.8.0-57-lowlatency-ubuntu24.04 is not published, so the driver pod would "
          + "stay in ImagePullBackOff: kernel 6.8.0-57-lowlatency is of flavour 'lowlatency'")
          .contains("predicted from NVIDIA's published build matrix")
          .as("the preset's own GPU node (6.8.0-57-generic) is not among the failures").doesNotContain("gpu-1");
      assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).startsWith("set gpu.operator.driver.precompiled: "
          + "false (--set driver.usePrecompiled=false): the conventional image "
          + "nvcr.io/nvidia/driver:595.91.07-ubuntu24.04 compiles the module on the node"));

      CheckResult preset = run(PRECOMPILED, snapshot(ClusterPreset.BYO)).get(DriverPreflightChecks.IMAGE);
      assertThat(preset.status()).isEqualTo(CheckStatus.PASS);
      assertThat(preset.finding()).isEqualTo("gpu-1: precompiled driver image "
          + "nvcr.io/nvidia/driver:595-6.8.0-57-generic-ubuntu24.04 is published: NVIDIA builds precompiled images of "
          + "branch 595 for ubuntu24.04 kernels of line 6.8, flavour generic (predicted from NVIDIA's published build "
          + "matrix, not asked of the registry)");
    }

    @Test
    void theNvidiaFlavourOnUbuntu2204PassesAndTheBriefsExampleTagIsTheOperatorsScheme() {
      GpuConfig branch580 = GpuConfig.builder().driverPrecompiled(true).driverBranch("580").build();
      CheckResult r = run(branch580, snapshot(ClusterPreset.BARE,
          gpuNode("dgx-1", "5.15.0-1033-nvidia", "Ubuntu 22.04.5 LTS", "amd64", Map.of()))).get(DriverPreflightChecks.IMAGE);
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
      assertThat(r.finding()).startsWith("dgx-1: precompiled driver image nvcr.io/nvidia/driver:580-5.15.0-1033-nvidia"
          + "-ubuntu22.04 is published");

      GpuConfig branch535 = GpuConfig.builder().driverPrecompiled(true).driverBranch("535").build();
      CheckResult old = run(branch535, snapshot(ClusterPreset.BARE,
          gpuNode("dgx-1", "5.15.0-1033-nvidia", "Ubuntu 22.04.5 LTS", "amd64", Map.of()))).get(DriverPreflightChecks.IMAGE);
      assertThat(old.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(old.finding()).contains("nvcr.io/nvidia/driver:535-5.15.0-1033-nvidia-ubuntu22.04 is not published")
          .contains("driver branches 580 and 595");
    }

    @Test
    void nfdLabelsWinOverNodeInfoAsTheOperatorReadsThem() {
      Node n = gpuNode("gpu-nfd", "6.8.0-57-generic", "Ubuntu 24.04.2 LTS", "amd64", Map.of(
          "feature.node.kubernetes.io/kernel-version.full", "6.8.0-1021-azure",
          "feature.node.kubernetes.io/system-os_release.ID", "ubuntu",
          "feature.node.kubernetes.io/system-os_release.VERSION_ID", "22.04"));
      List<Finding> f = DriverPreflightChecks.predict(n, PRECOMPILED, GpuCatalog.shipped(), false);
      assertThat(f.get(0).message()).startsWith("precompiled driver image "
          + "nvcr.io/nvidia/driver:595-6.8.0-1021-azure-ubuntu22.04 is published");
    }

    @Test
    void containerOptimizedOsHasNoDriverContainerAtAll() {
      CheckResult r = run(COMPILED, snapshot(ClusterPreset.BARE, gpuNode("cos-1", "6.6.87+",
          "Container-Optimized OS from Google", "amd64", Map.of()))).get(DriverPreflightChecks.IMAGE);
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).startsWith("cos-1: driver image nvcr.io/nvidia/driver:595.91.07-cos is not published");
      assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).contains("set gpu.operator.driver.enabled: false"));
    }
  }

  @Nested
  class HostDriver {
    @Test
    void gfdCudaLabelsBeforeTheOperatorMeanAHostDriverAndTheDriverMustBeOff() {
      Node labelled = gpuNode("gpu-host", "6.8.0-57-generic", "Ubuntu 24.04.2 LTS", "amd64",
          Map.of("nvidia.com/cuda.driver-version.major", "580"));
      ClusterSnapshot s = snapshot(ClusterPreset.BYO, labelled);

      CheckResult r = run(COMPILED, s).get(DriverPreflightChecks.HOST_DRIVER);
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).isEqualTo("gpu-host: a driver is already on the host: GPU feature discovery reports a "
          + "loaded driver (nvidia.com/cuda.driver-version.major=580) while the GPU Operator's driver does not run; "
          + "the operator's driver container cannot load its module over it");
      assertThat(r.remedy()).hasValue("install the GPU Operator with the driver disabled: --set driver.enabled=false "
          + "(gpu.operator.driver.enabled: false)");

      GpuConfig off = GpuConfig.builder().driverEnabled(false).build();
      CheckResult disabled = run(off, s).get(DriverPreflightChecks.HOST_DRIVER);
      assertThat(disabled.status()).as("gpu-1 has no host driver, yet the operator would install none")
          .isEqualTo(CheckStatus.WARN);
      assertThat(disabled.finding()).startsWith("gpu-1: gpu.operator.driver.enabled is false, but nothing on the node "
          + "shows a host driver");
      assertThat(run(off, snapshot(ClusterPreset.BARE, labelled)).get(DriverPreflightChecks.HOST_DRIVER).status())
          .isEqualTo(CheckStatus.PASS);
    }

    @Test
    void gkeAndBottlerocketNvidiaNodesCarryTheirOwnDriver() {
      ClusterSnapshot s = snapshot(ClusterPreset.BARE,
          gpuNode("gke-gpu", "6.6.87+", "Container-Optimized OS from Google", "amd64",
              Map.of("cloud.google.com/gke-gpu-driver-version", "default")),
          gpuNode("br-gpu", "6.1.128", "Bottlerocket OS 1.21.1 (aws-k8s-1.31-nvidia)", "amd64", Map.of()));
      CheckResult r = run(COMPILED, s).get(DriverPreflightChecks.HOST_DRIVER);
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("gke-gpu: a driver is already on the host: GKE installs its driver on it "
          + "(cloud.google.com/gke-gpu-driver-version=default)")
          .contains("br-gpu: a driver is already on the host: its OS, Bottlerocket OS 1.21.1 (aws-k8s-1.31-nvidia), is "
              + "a Bottlerocket NVIDIA variant, which ships the driver");
    }

    @Test
    void theOperatorsOwnDriverLabelsAreNotAHostDriver() {
      CheckResult r = run(COMPILED, snapshot(ClusterPreset.HETZNER)).get(DriverPreflightChecks.HOST_DRIVER);
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
      assertThat(r.finding()).endsWith("no sign of a host driver: the operator's driver container installs it");
    }
  }

  @Nested
  class WhatTheClusterCannotSee {
    @Test
    void compiledModulesWarnAboutSecureBootAndSayHowToCheck() {
      Map<String, CheckResult> r = run(COMPILED, snapshot(ClusterPreset.BYO));
      CheckResult sb = r.get(DriverPreflightChecks.SECURE_BOOT);
      assertThat(sb.status()).isEqualTo(CheckStatus.WARN);
      assertThat(sb.finding()).isEqualTo("gpu-1: the driver container compiles the module at run time, unsigned, so it "
          + "loads only with Secure Boot off; Secure Boot is not visible from the cluster (kernel 6.8.0-57-generic, "
          + "Ubuntu 24.04.2 LTS)");
      assertThat(sb.remedy()).hasValueSatisfying(x -> assertThat(x).startsWith("check with `mokutil --sb-state` on "
          + "the node (or run `substrate node preflight` there)")
          .contains("nvcr.io/nvidia/driver:595-6.8.0-57-generic-ubuntu24.04"));

      CheckResult headers = r.get(DriverPreflightChecks.KERNEL_HEADERS);
      assertThat(headers.status()).isEqualTo(CheckStatus.PASS);
      assertThat(headers.finding()).contains("installs from the OS package repositories");
      assertThat(headers.remedy()).hasValueSatisfying(x -> assertThat(x).contains("linux-headers-6.8.0-57-generic"));

      CheckResult nouveau = r.get(DriverPreflightChecks.NOUVEAU);
      assertThat(nouveau.status()).isEqualTo(CheckStatus.PASS);
      assertThat(nouveau.remedy()).hasValueSatisfying(x -> assertThat(x).startsWith("check with `lsmod | grep "
          + "nouveau` on each GPU node").contains("blacklist-nouveau.conf"));
    }

    @Test
    void precompiledModulesAreSignedOnAmd64OnlyAndNeedNoHeaders() {
      ClusterSnapshot s = snapshot(ClusterPreset.BARE,
          gpuNode("x86", "6.8.0-57-generic", "Ubuntu 24.04.2 LTS", "amd64", Map.of()),
          gpuNode("arm", "6.8.0-57-generic", "Ubuntu 24.04.2 LTS", "arm64", Map.of()));
      Map<String, CheckResult> r = run(PRECOMPILED, s);
      CheckResult sb = r.get(DriverPreflightChecks.SECURE_BOOT);
      assertThat(sb.status()).isEqualTo(CheckStatus.WARN);
      assertThat(sb.finding()).startsWith("arm: precompiled modules are signed on amd64 only").doesNotContain("x86");
      assertThat(r.get(DriverPreflightChecks.KERNEL_HEADERS).status()).isEqualTo(CheckStatus.PASS);
      assertThat(r.get(DriverPreflightChecks.KERNEL_HEADERS).finding())
          .isEqualTo("arm, x86: precompiled modules need no kernel headers");
    }

    @Test
    void aCustomKernelWarnsThatItsHeadersPackageIsLikelyMissing() {
      CheckResult r = run(COMPILED, snapshot(ClusterPreset.BARE, gpuNode("h200", "6.18.44-fc-v1252-gpu",
          "Ubuntu 24.04.3 LTS", "amd64", Map.of()))).get(DriverPreflightChecks.KERNEL_HEADERS);
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.finding()).startsWith("h200: kernel 6.18.44-fc-v1252-gpu is not an Ubuntu archive kernel");
    }

    @Test
    void aReadyClusterPolicyMeansTheDriverRuns() {
      Map<String, CheckResult> r = run(COMPILED, snapshot(ClusterPreset.HETZNER));
      assertThat(r.values()).allSatisfy(c -> assertThat(c.status()).as(c.toString()).isEqualTo(CheckStatus.PASS));
      assertThat(r.get(DriverPreflightChecks.SECURE_BOOT).finding())
          .endsWith("the GPU Operator's driver runs (a ClusterPolicy is ready), so its modules load");
    }
  }

  @Nested
  class Mig {
    private Node h200(String name, Map<String, String> labels) {
      Map<String, String> all = new LinkedHashMap<>(Map.of("nvidia.com/gpu.product", "NVIDIA-H200"));
      all.putAll(labels);
      return gpuNode(name, "6.8.0-57-generic", "Ubuntu 24.04.2 LTS", "amd64", all);
    }

    @Test
    void aLayoutTheGpuDoesNotHaveFailsAndOneItHasPasses() {
      ClusterSnapshot s = snapshot(ClusterPreset.BARE,
          h200("h200-a", Map.of("nvidia.com/mig.config", "all-1g.10gb")),
          h200("h200-b", Map.of("nvidia.com/mig.config", "all-1g.18gb.me")));
      CheckResult r = run(COMPILED, s).get(DriverPreflightChecks.MIG);
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).isEqualTo("h200-a: nvidia.com/mig.config=all-1g.10gb names MIG profile 1g.10gb, which "
          + "H200 does not have (its profiles: 1g.18gb, 1g.18gb+me, 1g.35gb, 2g.35gb, 3g.71gb, 4g.71gb, 7g.141gb), so "
          + "the MIG manager cannot apply it");
      assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).startsWith("kubectl label node h200-a --overwrite "
          + "nvidia.com/mig.config=all-1g.18gb"));
    }

    @Test
    void migOnAGpuWithoutMigFailsAndMigTenancyWithoutALayoutWarns() {
      Node l4 = gpuNode("l4", "6.8.0-57-generic", "Ubuntu 24.04.2 LTS", "amd64",
          Map.of("nvidia.com/gpu.product", "NVIDIA-L4", "nvidia.com/mig.config", "all-enabled"));
      assertThat(run(COMPILED, snapshot(ClusterPreset.BARE, l4)).get(DriverPreflightChecks.MIG).finding())
          .isEqualTo("l4: nvidia.com/mig.config=all-enabled asks for MIG, but L4 has no MIG");

      GpuConfig mig = GpuConfig.builder().tenancyMode(TenancyMode.MIG).build();
      CheckResult r = run(mig, snapshot(ClusterPreset.BARE, h200("h200", Map.of()))).get(DriverPreflightChecks.MIG);
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.finding()).isEqualTo("h200: gpu.tenancy.mode is mig, but there is no nvidia.com/mig.config label, "
          + "so H200 stays one whole GPU");

      GpuConfig mps = GpuConfig.builder().tenancyMode(TenancyMode.MPS).tenancyReplicas(4).build();
      CheckResult both = run(mps, snapshot(ClusterPreset.BARE, h200("h200", Map.of("nvidia.com/mig.config",
          "all-3g.71gb")))).get(DriverPreflightChecks.MIG);
      assertThat(both.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(both.finding()).contains("the device plugin shares only full GPUs through MPS");
    }

    @Test
    void migConfigKeysMapToTheCatalogsProfileNames() {
      assertThat(DriverPreflightChecks.migProfile("all-1g.18gb")).hasValue("1g.18gb");
      assertThat(DriverPreflightChecks.migProfile("all-1g.18gb.me")).hasValue("1g.18gb+me");
      assertThat(DriverPreflightChecks.migProfile("all-1g.24gb.me.all")).hasValue("1g.24gb+me.all");
      assertThat(DriverPreflightChecks.migProfile("all-1g.24gb-me")).hasValue("1g.24gb-me");
      assertThat(DriverPreflightChecks.migProfile("all-2g.48gb.gfx")).hasValue("2g.48gb+gfx");
      assertThat(DriverPreflightChecks.migProfile("all-balanced")).isEmpty();
      assertThat(DriverPreflightChecks.migProfile("all-disabled")).isEmpty();
    }
  }

  @Test
  void byoDoctorRunsThePreflightOnTheOperatorStack() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO)) {
      Substrate s = Substrates.builder().config(SubstrateConfig.parse("substrate: {id: byo}")).build();
      Report report = s.doctor(cluster.client());
      assertThat(report.results()).extracting(CheckResult::id).contains(DriverPreflightChecks.IMAGE,
          DriverPreflightChecks.HOST_DRIVER, DriverPreflightChecks.SECURE_BOOT, DriverPreflightChecks.KERNEL_HEADERS,
          DriverPreflightChecks.NOUVEAU, DriverPreflightChecks.MIG);
      assertThat(report.results()).filteredOn(r -> r.id().equals(DriverPreflightChecks.IMAGE)).singleElement()
          .satisfies(r -> assertThat(r.finding()).startsWith("gpu-1: driver image "
              + "nvcr.io/nvidia/driver:595.91.07-ubuntu24.04 is published"));
    }
  }

  /** The six checks predict a snapshot's nodes once between them; another snapshot gets its own predictions. */
  @Test
  void checksKeptAcrossSnapshotsJudgeEachSnapshotByItsOwnNodes() {
    List<Check> checks = DriverPreflightChecks.checks(PRECOMPILED, GpuCatalog.shipped());
    ClusterSnapshot generic = snapshot(ClusterPreset.BYO,
        gpuNode("gpu-generic", "6.8.0-57-generic", "Ubuntu 24.04.2 LTS", "amd64", Map.of()));
    ClusterSnapshot lowlatency = snapshot(ClusterPreset.BYO,
        gpuNode("gpu-lowlatency", "6.8.0-57-lowlatency", "Ubuntu 24.04.2 LTS", "amd64", Map.of()));

    for (ClusterSnapshot s : List.of(generic, lowlatency, generic)) {
      Map<String, CheckResult> kept = new LinkedHashMap<>();
      checks.forEach(c -> kept.put(c.id(), Checks.run(c, s)));
      assertThat(kept).isEqualTo(run(PRECOMPILED, s));
    }
    assertThat(Checks.run(checks.get(0), lowlatency).status()).isEqualTo(CheckStatus.FAIL);
    assertThat(Checks.run(checks.get(0), generic).finding()).contains("gpu-generic").doesNotContain("lowlatency");
  }
}
