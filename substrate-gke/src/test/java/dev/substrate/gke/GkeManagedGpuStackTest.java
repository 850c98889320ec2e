package dev.substrate.gke;

import static dev.substrate.gke.GkeFixtures.cpuNode;
import static dev.substrate.gke.GkeFixtures.daemonSet;
import static dev.substrate.gke.GkeFixtures.daemonSets;
import static dev.substrate.gke.GkeFixtures.gke;
import static dev.substrate.gke.GkeFixtures.gkeDaemonSets;
import static dev.substrate.gke.GkeFixtures.gpuNode;
import static dev.substrate.gke.GkeFixtures.nodes;
import static dev.substrate.gke.GkeFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.RenderContext;
import dev.substrate.Substrate;
import dev.substrate.spi.Check;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GkeManagedGpuStackTest {
  private static final Substrate GKE = gke("");

  @Nested
  class Capabilities {
    @Test
    void gke_manages_the_driver_and_scales_gpu_pools_to_zero() {
      assertThat(GKE.gpuStack().id()).isEqualTo("gke-managed");
      Capability driver = GKE.capability(CapabilityIds.GPU_DRIVER_MANAGEMENT).orElseThrow();
      assertThat(driver.state()).isEqualTo(CapabilityState.SUPPORTED);
      assertThat(driver.reason()).contains("gpu-driver-version=default or latest").contains("device plugin")
          .contains("DCGM");
      assertThat(GKE.capability(CapabilityIds.GPU_SCALE_TO_ZERO).orElseThrow().state())
          .isEqualTo(CapabilityState.SUPPORTED);
    }

    @Test
    void mig_names_the_accelerators_that_partition_and_those_that_do_not() {
      Capability mig = GKE.capability(CapabilityIds.GPU_MIG).orElseThrow();
      assertThat(mig.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
      assertThat(mig.reason()).contains("nvidia-tesla-a100", "nvidia-a100-80gb", "nvidia-h100-80gb",
          "nvidia-h100-mega-80gb", "nvidia-h200-141gb").contains("nvidia-tesla-t4 and nvidia-l4 do not");
      assertThat(mig.remedy()).hasValueSatisfying(r -> assertThat(r).contains("gpu-partition-size="));
    }

    @Test
    void time_sharing_and_mps_are_node_pool_flags_with_the_configured_client_count() {
      Substrate timeSliced = gke("gpu: {tenancy: {mode: time-slicing, replicas: 4}}\n");
      Capability ts = timeSliced.capability(CapabilityIds.GPU_TIME_SLICING).orElseThrow();
      assertThat(ts.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
      assertThat(ts.reason()).startsWith("gpu.tenancy.mode is time-slicing: ");
      assertThat(ts.remedy()).hasValueSatisfying(r -> assertThat(r)
          .contains("gpu-sharing-strategy=time-sharing,max-shared-clients-per-gpu=4")
          .contains("cloud.google.com/gke-gpu-sharing-strategy=time-sharing"));

      Capability mps = gke("gpu: {tenancy: {mode: mps, replicas: 3}}\n").capability(CapabilityIds.GPU_MPS)
          .orElseThrow();
      assertThat(mps.remedy()).hasValueSatisfying(r -> assertThat(r)
          .contains("gpu-sharing-strategy=mps,max-shared-clients-per-gpu=3"));
      assertThat(GKE.capability(CapabilityIds.GPU_MPS).orElseThrow().remedy())
          .hasValueSatisfying(r -> assertThat(r).contains("max-shared-clients-per-gpu=N"));
    }
  }

  @Nested
  class Rendering {
    @Test
    void renders_nothing_whatever_the_tenancy_because_gke_runs_the_device_plugin_and_dcgm_exporter() {
      for (String tenancy : List.of("exclusive", "time-slicing", "mps", "mig")) {
        Substrate s = gke("gpu: {tenancy: {mode: " + tenancy + ", replicas: 2}}\n");
        assertThat(s.gpuStack().resources(RenderContext.of(s.id(), s.config()))).as(tenancy).isEmpty();
        assertThat(s.render().resources()).extracting(HasMetadata::getKind).as(tenancy)
            .doesNotContain("DaemonSet", "Application", "ConfigMap");
      }
    }
  }

  @Nested
  class Checks {
    @Test
    void are_the_node_device_plugin_and_dcgm_checks() {
      assertThat(GKE.gpuStack().checks()).extracting(Check::id)
          .containsExactly("gpu.nodes-advertise", "gpu.gke.device-plugin", "gpu.gke.dcgm");
    }

    @Test
    void accelerator_nodes_that_advertise_gpus_pass() {
      CheckResult r = run(GKE, "gpu.nodes-advertise",
          nodes(cpuNode("cpu-1"), gpuNode("gpu-1", "default", "1"), gpuNode("gpu-2", "latest", "2")));
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
      assertThat(r.finding()).isEqualTo("2 GPU nodes advertise 3 allocatable GPUs in total");
    }

    @Test
    void an_accelerator_node_with_no_allocatable_gpu_fails_naming_it() {
      CheckResult r = run(GKE, "gpu.nodes-advertise",
          nodes(gpuNode("gpu-1", "default", "1"), gpuNode("gpu-2", "default", "0"), gpuNode("gpu-3", "default", null)));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).startsWith("2 of 3 GPU nodes advertise no allocatable nvidia.com/gpu: ")
          .contains("gpu-2 (nvidia-l4, gpu-driver-version default)").contains("gpu-3").doesNotContain("gpu-1 ");
      assertThat(r.remedy()).hasValueSatisfying(rem -> assertThat(rem).contains("once GKE has installed its driver")
          .doesNotContain("disabled"));
    }

    @Test
    void a_node_without_gke_drivers_fails_with_the_driver_version_remedy() {
      CheckResult r = run(GKE, "gpu.nodes-advertise", nodes(gpuNode("gpu-1", "disabled", "0"), gpuNode("gpu-2", null, null)));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("gpu-1 (nvidia-l4, gpu-driver-version disabled)")
          .contains("gpu-2 (nvidia-l4, gpu-driver-version not set)");
      assertThat(r.remedy()).hasValueSatisfying(rem -> assertThat(rem).contains("gpu-driver-version=default")
          .contains("nvidia-driver-installer"));
    }

    @Test
    void a_node_where_gkes_device_plugin_is_switched_off_says_so() {
      Node off = new NodeBuilder(gpuNode("gpu-1", "default", null)).editMetadata()
          .addToLabels("gke-no-default-nvidia-gpu-device-plugin", "true").endMetadata().build();
      CheckResult r = run(GKE, "gpu.nodes-advertise", nodes(off));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("GKE device plugin disabled");
      assertThat(r.remedy()).hasValueSatisfying(rem -> assertThat(rem)
          .contains("gke-no-default-nvidia-gpu-device-plugin=true").contains("gpu_stack: operator"));
    }

    @Test
    void no_gpu_node_only_warns_because_the_autoscaler_may_have_scaled_the_gpu_pools_to_zero() {
      CheckResult r = run(GKE, "gpu.nodes-advertise", nodes(cpuNode("cpu-1"), cpuNode("cpu-2")));
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.finding()).contains("no node is labelled cloud.google.com/gke-accelerator")
          .contains("scaled to zero by the cluster autoscaler");
      assertThat(r.remedy()).hasValueSatisfying(rem -> assertThat(rem).contains("--min-nodes 0"));
    }

    @Test
    void gkes_device_plugin_passes_by_name_or_by_label() {
      Node gpu = gpuNode("gpu-1", "default", "1");
      CheckResult byName = run(GKE, "gpu.gke.device-plugin", daemonSets(gkeDaemonSets(1), gpu));
      assertThat(byName.status()).isEqualTo(CheckStatus.PASS);
      assertThat(byName.finding()).contains("kube-system/nvidia-gpu-device-plugin-small-cos").contains("1 of 1 pods ready");

      CheckResult byLabel = run(GKE, "gpu.gke.device-plugin", daemonSets(List.of(daemonSet("kube-system",
          "gpu-plugin", Map.of("k8s-app", "nvidia-gpu-device-plugin"), 1, 1)), gpu));
      assertThat(byLabel.status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void a_missing_device_plugin_fails_with_a_remedy() {
      CheckResult r = run(GKE, "gpu.gke.device-plugin", daemonSets(List.of(
          daemonSet("gpu-operator", "nvidia-device-plugin-daemonset", Map.of("app", "nvidia-device-plugin-daemonset"), 1, 1),
          daemonSet("default", "nvidia-gpu-device-plugin", Map.of(), 1, 1)), gpuNode("gpu-1", "default", "0")));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("GKE's NVIDIA device plugin is missing").contains("kube-system")
          .doesNotContain("no node is labelled");
      assertThat(r.remedy()).hasValueSatisfying(rem -> assertThat(rem).contains("node-pools create")
          .contains("--accelerator"));

      assertThat(run(GKE, "gpu.gke.device-plugin", daemonSets(List.of(), cpuNode("cpu-1"))).finding())
          .contains("no node is labelled cloud.google.com/gke-accelerator");
    }

    @Test
    void a_device_plugin_with_pods_not_ready_warns() {
      CheckResult r = run(GKE, "gpu.gke.device-plugin", daemonSets(List.of(daemonSet("kube-system",
          "nvidia-gpu-device-plugin-small-cos", Map.of("k8s-app", "nvidia-gpu-device-plugin"), 2, 1)),
          gpuNode("gpu-1", "default", "1")));
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.finding()).contains("1 of 2 pods ready");
      assertThat(r.remedy()).hasValueSatisfying(rem -> assertThat(rem)
          .contains("kubectl -n kube-system describe daemonset nvidia-gpu-device-plugin-small-cos"));
    }

    @Test
    void gkes_managed_dcgm_exporter_passes_in_gke_managed_system_or_gmp_public() {
      assertThat(run(GKE, "gpu.gke.dcgm", daemonSets(gkeDaemonSets(1))).status()).isEqualTo(CheckStatus.PASS);
      CheckResult gmp = run(GKE, "gpu.gke.dcgm", daemonSets(List.of(
          daemonSet("gmp-public", "nvidia-dcgm-exporter", Map.of("app.kubernetes.io/name", "nvidia-dcgm-exporter"), 1, 1))));
      assertThat(gmp.status()).isEqualTo(CheckStatus.PASS);
      assertThat(gmp.finding()).contains("gmp-public/nvidia-dcgm-exporter");
    }

    @Test
    void a_missing_dcgm_exporter_warns_and_says_substrate_renders_none() {
      CheckResult r = run(GKE, "gpu.gke.dcgm", daemonSets(List.of(
          daemonSet("monitoring", "dcgm-exporter", Map.of(), 1, 1),
          daemonSet("kube-system", "nvidia-gpu-device-plugin-small-cos", Map.of(), 1, 1))));
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.finding()).contains("gke-managed-system").contains("deliberately renders no exporter");
      assertThat(r.remedy()).hasValueSatisfying(rem -> assertThat(rem)
          .contains("gcloud container clusters update prod --location europe-west4 --monitoring=SYSTEM,DCGM"));
    }
  }
}
