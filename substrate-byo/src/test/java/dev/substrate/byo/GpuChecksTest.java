package dev.substrate.byo;

import dev.substrate.spi.checks.GpuChecks;
import static dev.substrate.byo.Fixtures.cpuNode;
import static dev.substrate.byo.Fixtures.gpuNode;
import static dev.substrate.byo.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Check;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GpuChecksTest {
  private static ClusterSnapshot nodes(Object... nodes) {
    return ClusterSnapshot.builder().addObjects(ResourceKind.NODES, List.of(nodes)).build();
  }

  @Nested
  class NodesAdvertise {
    private final Check check = GpuChecks.nodesAdvertise("look at the device plugin");

    @Test
    void passesWhenEveryGpuNodeAdvertisesGpus() {
      CheckResult r = Checks.run(check, nodes(cpuNode("cpu-1"), gpuNode("gpu-1", "2"), gpuNode("gpu-2", "4")));
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
      assertThat(r.finding()).isEqualTo("2 GPU nodes advertise 6 allocatable GPUs in total");
    }

    @Test
    void failsNamingGpuNodesThatAdvertiseNothing() {
      CheckResult r = Checks.run(check, nodes(gpuNode("gpu-1", "2"), gpuNode("gpu-2", "0"),
          node("gpu-3", null, Map.of("feature.node.kubernetes.io/pci-10de.present", "true"), Map.of("cpu", "8"))));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).isEqualTo("2 of 3 GPU nodes advertise no allocatable nvidia.com/gpu: gpu-2, gpu-3");
      assertThat(r.remedy()).contains("look at the device plugin");
    }

    @Test
    void countsSharedGpusAsAdvertised() {
      CheckResult r = Checks.run(check, nodes(node("gpu-1", null, Map.of("nvidia.com/gpu.present", "true"),
          Map.of("nvidia.com/gpu.shared", "8"))));
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
      assertThat(r.finding()).contains("8 allocatable GPUs");
    }

    @Test
    void warnsWhenThereAreNoGpuNodes() {
      CheckResult r = Checks.run(check, nodes(cpuNode("cpu-1"), cpuNode("cpu-2")));
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.finding()).startsWith("no GPU nodes");
    }
  }

  @Nested
  class NoGpuStack {
    @Test
    void passesWhenNoNodeAdvertisesGpus() {
      assertThat(Checks.run(GpuChecks.noGpuStack(), nodes(cpuNode("cpu-1"))).status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void warnsWhenNodesAdvertiseGpusAnyway() {
      CheckResult r = Checks.run(GpuChecks.noGpuStack(), nodes(cpuNode("cpu-1"), gpuNode("gpu-1", "1")));
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.finding()).isEqualTo("1 node advertises nvidia.com/gpu but gpu_stack is none: gpu-1");
    }
  }

  @Nested
  class ClusterPolicy {
    private final Check check = GpuChecks.clusterPolicy();

    @Test
    void failsWhenTheOperatorIsNotInstalled() {
      ClusterSnapshot absent = ClusterSnapshot.builder()
          .unread(ResourceKind.CLUSTER_POLICIES, ClusterSnapshot.ReadState.ABSENT, "not served").build();
      CheckResult r = Checks.run(check, absent);
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).startsWith("GPU Operator not installed");
    }

    @Test
    void passesWhenReady() {
      CheckResult r = Checks.run(check, policies(Fixtures.clusterPolicy("ready")));
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
      assertThat(r.finding()).isEqualTo("ClusterPolicy cluster-policy is ready");
    }

    @Test
    void failsWithTheStateWhenNotReady() {
      CheckResult r = Checks.run(check, policies(Fixtures.clusterPolicy("notReady")));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).isEqualTo("ClusterPolicy cluster-policy is notReady");
    }

    @Test
    void failsWhenThePolicyHasNoStateYet() {
      CheckResult r = Checks.run(check, policies(Fixtures.clusterPolicy(null)));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("has no state yet");
    }

    @Test
    void failsWhenTheCrdExistsButNoPolicyDoes() {
      CheckResult r = Checks.run(check, ClusterSnapshot.builder().add(ResourceKind.CLUSTER_POLICIES, List.of()).build());
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("there is no ClusterPolicy");
    }

    private ClusterSnapshot policies(Object... policies) {
      return ClusterSnapshot.builder().addObjects(ResourceKind.CLUSTER_POLICIES, List.of(policies)).build();
    }
  }

  @Nested
  class DcgmExporter {
    @Test
    void passesForTheOperatorsDaemonSet() {
      CheckResult r = Checks.run(GpuChecks.dcgmExporter(CheckStatus.FAIL), daemonSets(
          Fixtures.daemonSet("kube-system", "kube-proxy", Map.of(), 3, 3),
          Fixtures.daemonSet("gpu-operator", "nvidia-dcgm-exporter", Map.of("app", "nvidia-dcgm-exporter"), 2, 2)));
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
      assertThat(r.finding()).contains("gpu-operator/nvidia-dcgm-exporter");
    }

    @Test
    void recognisesTheExporterByItsLabel() {
      CheckResult r = Checks.run(GpuChecks.dcgmExporter(CheckStatus.FAIL), daemonSets(
          Fixtures.daemonSet("monitoring", "gpu-metrics", Map.of("app", "nvidia-dcgm-exporter"), 1, 1)));
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void warnsWhenPodsAreNotReady() {
      CheckResult r = Checks.run(GpuChecks.dcgmExporter(CheckStatus.FAIL), daemonSets(
          Fixtures.daemonSet("gpu-operator", "nvidia-dcgm-exporter", Map.of(), 3, 1)));
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.finding()).contains("1 of 3 pods ready");
    }

    @Test
    void reportsAMissingExporterWithTheGivenStatus() {
      ClusterSnapshot none = daemonSets(Fixtures.daemonSet("kube-system", "kube-proxy", Map.of(), 3, 3));
      assertThat(Checks.run(GpuChecks.dcgmExporter(CheckStatus.FAIL), none).status()).isEqualTo(CheckStatus.FAIL);
      assertThat(Checks.run(GpuChecks.dcgmExporter(CheckStatus.WARN), none).status()).isEqualTo(CheckStatus.WARN);
    }

    private ClusterSnapshot daemonSets(Object... ds) {
      return ClusterSnapshot.builder().addObjects(ResourceKind.DAEMON_SETS, List.of(ds)).build();
    }
  }
}
