package dev.substrate.hetzner;

import static dev.substrate.hetzner.HetznerFixtures.ccm;
import static dev.substrate.hetzner.HetznerFixtures.cloudNode;
import static dev.substrate.hetzner.HetznerFixtures.gex130;
import static dev.substrate.hetzner.HetznerFixtures.gex44;
import static dev.substrate.hetzner.HetznerFixtures.hetzner;
import static dev.substrate.hetzner.HetznerFixtures.lbService;
import static dev.substrate.hetzner.HetznerFixtures.ccmDaemonSet;
import static dev.substrate.hetzner.HetznerFixtures.csiNode;
import static dev.substrate.hetzner.HetznerFixtures.hcloudVolumes;
import static dev.substrate.hetzner.HetznerFixtures.robotNode;
import static dev.substrate.hetzner.HetznerFixtures.run;
import static dev.substrate.hetzner.HetznerFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.FacetType;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HetznerFacetsTest {
  private static final String TIME_SLICED = "gpu: {tenancy: {mode: time-slicing, replicas: 4, models: "
      + "[{name: llama-8b, vram_gib: 9}, {name: qwen-7b, vram_gib: 8}, {name: embed, vram_gib: 2.5}]}}\n";

  @Nested
  class The_gpu_stack {
    @Test
    void is_the_gpu_operator_refined_by_what_hetzner_gpu_servers_are() {
      Substrate h = hetzner("");
      assertThat(h.gpuStack().id()).isEqualTo("operator");
      Capability scale = h.capability(CapabilityIds.GPU_SCALE_TO_ZERO).orElseThrow();
      assertThat(scale.state()).isEqualTo(CapabilityState.UNSUPPORTED);
      assertThat(scale.reason()).contains("bare metal").contains("provisioned in days").contains("paid 24/7");
      assertThat(scale.remedy()).hasValueSatisfying(r -> assertThat(r).contains("KEDA").contains("pinned"));
      Capability driver = h.capability(CapabilityIds.GPU_DRIVER_MANAGEMENT).orElseThrow();
      assertThat(driver.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
      assertThat(driver.reason()).contains("Robot servers' operating system is yours");
      assertThat(driver.reason()).contains("unsigned").contains("do not load with Secure Boot on");
      assertThat(driver.remedy()).hasValueSatisfying(r -> assertThat(r).contains("precompiled")
          .contains("package repositories").contains("kernel headers").contains("turn Secure Boot off"));
      Capability mig = h.capability(CapabilityIds.GPU_MIG).orElseThrow();
      assertThat(mig.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
      assertThat(mig.reason()).contains("RTX 4000 SFF Ada (20 GiB, no MIG)").contains("RTX 6000 Ada (48 GiB, no MIG)")
          .contains("RTX PRO 6000 Blackwell (96 GiB, MIG up to 4)");
      assertThat(mig.remedy()).hasValueSatisfying(r -> assertThat(r).contains("time-slicing or MPS"));
      // shown with the GPU stack, in its place, once each; the operator's other capabilities are kept
      assertThat(h.capabilities(FacetType.GPU_STACK)).extracting(Capability::id).containsExactly(
          CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityIds.GPU_TIME_SLICING, CapabilityIds.GPU_MPS,
          CapabilityIds.GPU_MIG, CapabilityIds.GPU_SCALE_TO_ZERO);
      assertThat(h.capabilities(FacetType.GPU_STACK)).contains(scale, driver, mig);
      assertThat(h.capabilities().stream().filter(c -> c.id().startsWith("gpu."))).hasSize(5);
    }

    @Test
    void mig_needs_action_because_one_server_type_partitions_and_the_others_do_not() {
      Capability mig = hetzner("").capability(CapabilityIds.GPU_MIG).orElseThrow();
      assertThat(mig.reason()).startsWith("MIG depends on the Hetzner GPU server type")
          .contains("GEX131's RTX PRO 6000 Blackwell (96 GiB, MIG up to 4) partitions (1g.24gb x4, 2g.48gb x2, "
              + "4g.96gb x1)")
          .contains("GEX44's RTX 4000 SFF Ada (20 GiB, no MIG)").contains("GEX130's RTX 6000 Ada (48 GiB, no MIG)");
      assertThat(mig.state()).as("a reason naming a server that partitions cannot be UNSUPPORTED")
          .isEqualTo(CapabilityState.NEEDS_ACTION);
      assertThat(mig.remedy()).hasValueSatisfying(r -> assertThat(r).contains("order a GEX131")
          .contains("nvidia.com/mig.config=all-1g.24gb"));
      assertThat(hetzner("gpu_stack: external\n").capability(CapabilityIds.GPU_MIG)).contains(mig);
    }

    @Test
    void precompiled_drivers_are_signed_so_secure_boot_may_stay_on() {
      Capability driver = hetzner("gpu: {operator: {driver: {precompiled: true}}}\n")
          .capability(CapabilityIds.GPU_DRIVER_MANAGEMENT).orElseThrow();
      assertThat(driver.reason()).contains("branch 595").contains("signed").contains("load with Secure Boot on");
      assertThat(driver.remedy()).hasValueSatisfying(r -> assertThat(r).doesNotContain("Secure Boot")
          .contains("nvcr.io/nvidia/driver:595-<kernel>-<os>"));
    }

    @Test
    void gpu_texts_on_hetzner_name_no_other_substrate() {
      for (String stack : List.of("", "gpu: {operator: {driver: {precompiled: true}}}\n", "gpu_stack: external\n")) {
        assertThat(hetzner(stack).capabilities()).as(stack).filteredOn(c -> c.id().startsWith("gpu."))
            .allSatisfy(c -> assertThat(c.reason() + " " + c.remedy().orElse("")).as(c.id()).doesNotContain("GKE")
                .doesNotContain("bring-your-own"));
      }
    }

    @Test
    void checks_gpu_tenancy_as_the_substrate_whatever_the_stack() {
      for (String stack : List.of("", "gpu_stack: none\n", "gpu_stack: external\n")) {
        assertThat(hetzner(stack + TIME_SLICED).checks().stream().map(c -> c.id())).as(stack)
            .contains("gpu.tenancy.fit", "gpu.tenancy.mig-capable");
      }
      assertThat(hetzner(TIME_SLICED).checks().stream().map(c -> c.id()))
          .contains("gpu.nodes-advertise", "gpu.operator.cluster-policy");
    }

    @Test
    void without_a_gpu_stack_only_what_the_servers_are_still_applies() {
      Substrate none = hetzner("gpu_stack: none\n");
      assertThat(none.capability(CapabilityIds.GPU_SCALE_TO_ZERO).orElseThrow().reason()).contains("bare metal");
      assertThat(none.capability(CapabilityIds.GPU_MIG)).isEqualTo(none.gpuStack().capability(CapabilityIds.GPU_MIG));
      assertThat(none.capability(CapabilityIds.GPU_DRIVER_MANAGEMENT))
          .isEqualTo(none.gpuStack().capability(CapabilityIds.GPU_DRIVER_MANAGEMENT));
      Substrate external = hetzner("gpu_stack: external\n");
      assertThat(external.capability(CapabilityIds.GPU_MIG).orElseThrow().reason()).contains("GEX131");
      assertThat(external.capability(CapabilityIds.GPU_DRIVER_MANAGEMENT))
          .isEqualTo(external.gpuStack().capability(CapabilityIds.GPU_DRIVER_MANAGEMENT));
    }

    @Test
    void time_sliced_models_that_fit_every_gpu_pass() {
      CheckResult r = run(hetzner(TIME_SLICED), "gpu.tenancy.fit",
          snapshot(List.of(cloudNode("cpx-1", 1), gex44("gex44-01", 2), gex130("gex130-01", 3)), List.of(), List.of()));
      assertThat(r.status()).as(r.finding()).isEqualTo(CheckStatus.PASS);
      assertThat(r.finding()).contains("19.5 GiB together").contains("smallest of 2 GPU nodes has 20 GiB");
    }

    @Test
    void time_sliced_models_that_do_not_fit_fail_naming_models_sum_and_vram() {
      Substrate h = hetzner("gpu: {tenancy: {mode: time-slicing, replicas: 2, models: "
          + "[{name: llama-8b, vram_gib: 16}, {name: qwen-7b, vram_gib: 15}]}}\n");
      CheckResult r = run(h, "gpu.tenancy.fit",
          snapshot(List.of(gex44("gex44-01", 2), gex130("gex130-01", 3)), List.of(), List.of()));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("llama-8b (16 GiB), qwen-7b (15 GiB)").contains("need 31 GiB together")
          .contains("gex44-01 has 20 GiB (nvidia.com/gpu.memory=20475 MiB)").doesNotContain("gex130-01");
      assertThat(r.remedy()).isPresent();
    }

    @Test
    void the_robot_server_type_stands_in_for_missing_gpu_labels() {
      CheckResult r = run(hetzner(TIME_SLICED), "gpu.tenancy.fit", snapshot(List.of(robotNode("gex44-02", 9, "GEX44",
          Map.of("node.kubernetes.io/instance-type", "GEX44"))), List.of(), List.of()));
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void exclusive_gpus_skip_the_fit_check_and_reading_nothing() {
      Substrate h = hetzner("");
      CheckResult r = run(h, "gpu.tenancy.fit", ClusterSnapshot.builder().build());
      assertThat(r.status()).isEqualTo(CheckStatus.SKIP);
    }

    @Test
    void mig_on_ada_servers_fails() {
      Substrate h = hetzner("gpu: {tenancy: {mode: mig}}\n");
      CheckResult r = run(h, "gpu.tenancy.mig-capable",
          snapshot(List.of(gex44("gex44-01", 2), gex130("gex130-01", 3)), List.of(), List.of()));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("gex44-01 (RTX 4000 SFF Ada)").contains("gex130-01 (RTX 6000 Ada)");
    }

    @Test
    void an_l40_is_not_sized_as_an_l4() {
      CheckResult r = run(hetzner(TIME_SLICED), "gpu.tenancy.fit", snapshot(List.of(robotNode("l40-01", 4, "",
          Map.of("nvidia.com/gpu.present", "true", "nvidia.com/gpu.product", "NVIDIA-L40"))), List.of(), List.of()));
      assertThat(r.status()).as(r.finding()).isEqualTo(CheckStatus.WARN);
      assertThat(r.finding()).contains("GPU memory of l40-01 is unknown");
    }
  }

  @Nested
  class Storage {
    @Test
    void robot_nodes_pass_only_with_the_csi_drivers_provided_by_topology() {
      var nodes = List.of(cloudNode("cpx-1", 1), gex44("gex44-01", 2));
      CheckResult on = run(hetzner(""), "storage.hcloud.robot-nodes",
          snapshot(nodes, List.of(), List.of(csiNode(true)), List.of(hcloudVolumes(true)), List.of()));
      assertThat(on.status()).as(on.finding()).isEqualTo(CheckStatus.PASS);
      assertThat(on.finding()).contains("1 hcloud StorageClass allows only instance.hetzner.cloud/provided-by=cloud");

      CheckResult labelOnly = run(hetzner(""), "storage.hcloud.robot-nodes",
          snapshot(nodes, List.of(), List.of(csiNode(true)), List.of(hcloudVolumes(false)), List.of()));
      assertThat(labelOnly.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(labelOnly.finding()).contains("StorageClass hcloud-volumes has no allowedTopologies")
          .contains("stay Pending");
      assertThat(labelOnly.remedy()).hasValueSatisfying(x -> assertThat(x)
          .contains("global.enableProvidedByTopology=true"));

      CheckResult driverOff = run(hetzner(""), "storage.hcloud.robot-nodes",
          snapshot(nodes, List.of(), List.of(csiNode(false)), List.of(hcloudVolumes(true)), List.of()));
      assertThat(driverOff.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(driverOff.finding()).contains("DaemonSet kube-system/hcloud-csi-node")
          .contains("ENABLE_PROVIDED_BY_TOPOLOGY");
    }

    @Test
    void robot_nodes_without_the_label_fail() {
      CheckResult r = run(hetzner(""), "storage.hcloud.robot-nodes", snapshot(List.of(cloudNode("cpx-1", 1),
          robotNode("gex44-01", 2, "GEX44", Map.of("node.kubernetes.io/instance-type", "GEX44"))), List.of(), List.of()));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("gex44-01");
      assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x)
          .contains("kubectl label node gex44-01 instance.hetzner.cloud/provided-by=robot"));
    }

    @Test
    void prod_fails_snapshots_with_the_object_store_remedy() {
      ClusterSnapshot s = ClusterSnapshot.builder()
          .addObjects(ResourceKind.STORAGE_CLASSES, List.of(new StorageClassBuilder().withNewMetadata()
              .withName("hcloud-volumes").withAnnotations(Map.of("storageclass.kubernetes.io/is-default-class", "true"))
              .endMetadata().withProvisioner("csi.hetzner.cloud").build()))
          .unread(ResourceKind.VOLUME_SNAPSHOT_CLASSES, ClusterSnapshot.ReadState.ABSENT, "no CRD").build();
      CheckResult r = run(hetzner("profile: prod\n"), "storage.snapshots", s);
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).contains("object storage")
          .contains("snapshot-capable storage layer"));
      assertThat(run(hetzner(""), "storage.snapshots", s).status()).isEqualTo(CheckStatus.SKIP);
    }
  }

  @Nested
  class Load_balancing {
    private final Map<String, String> located = Map.of("HCLOUD_LOAD_BALANCERS_LOCATION", "fsn1", "ROBOT_ENABLED", "true");

    @Test
    void a_running_ccm_passes_and_a_missing_or_unready_one_fails() {
      Substrate h = hetzner("");
      assertThat(run(h, "lb.hcloud.ccm", snapshot(List.of(), List.of(ccm(1, located)), List.of())).status())
          .isEqualTo(CheckStatus.PASS);
      CheckResult unready = run(h, "lb.hcloud.ccm", snapshot(List.of(), List.of(ccm(0, located)), List.of()));
      assertThat(unready.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(unready.finding()).contains("no ready pod (0 of 1)");
      assertThat(run(h, "lb.hcloud.ccm", snapshot(List.of(), List.of(), List.of())).status())
          .isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void provisioning_is_supported_once_config_names_where_load_balancers_go() {
      Capability unnamed = hetzner("").capability(CapabilityIds.LB_PROVISIONING).orElseThrow();
      assertThat(unnamed.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
      Capability located = hetzner("load_balancer: {location: fsn1}\n").capability(CapabilityIds.LB_PROVISIONING)
          .orElseThrow();
      assertThat(located.state()).isEqualTo(CapabilityState.SUPPORTED);
      assertThat(located.reason()).contains("load_balancer.location fsn1");
    }

    @Test
    void a_ccm_run_as_a_daemon_set_counts_as_installed() {
      Substrate h = hetzner("");
      var ds = snapshot(List.of(cloudNode("cpx-1", 1), gex44("gex44-01", 2)), List.of(),
          List.of(ccmDaemonSet(3, located)), List.of(), List.of());
      CheckResult ccm = run(h, "lb.hcloud.ccm", ds);
      assertThat(ccm.status()).as(ccm.finding()).isEqualTo(CheckStatus.PASS);
      assertThat(ccm.finding()).contains("DaemonSet kube-system/hcloud-cloud-controller-manager runs (3 of 3 ready)");
      assertThat(run(h, "lb.hcloud.default-location", ds).finding()).contains("HCLOUD_LOAD_BALANCERS_LOCATION=fsn1");
      assertThat(run(h, "lb.hcloud.robot", ds).status()).isEqualTo(CheckStatus.PASS);
      CheckResult unready = run(h, "lb.hcloud.ccm", snapshot(List.of(), List.of(),
          List.of(ccmDaemonSet(0, located)), List.of(), List.of()));
      assertThat(unready.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(unready.remedy()).hasValueSatisfying(x -> assertThat(x).contains("logs ds/hcloud-cloud-controller-manager"));
    }

    @Test
    void a_default_location_or_network_zone_passes() {
      Substrate h = hetzner("");
      assertThat(run(h, "lb.hcloud.default-location", snapshot(List.of(), List.of(ccm(1, located)),
          List.of(lbService("web", Map.of(), null)))).finding()).contains("HCLOUD_LOAD_BALANCERS_LOCATION=fsn1");
      assertThat(run(h, "lb.hcloud.default-location", snapshot(List.of(), List.of(ccm(1,
          Map.of("HCLOUD_LOAD_BALANCERS_NETWORK_ZONE", "eu-central"))), List.of())).status())
          .isEqualTo(CheckStatus.PASS);
    }

    @Test
    void without_a_default_every_service_must_name_a_location() {
      Substrate h = hetzner("");
      var noDefault = List.of(ccm(1, Map.of()));
      CheckResult named = run(h, "lb.hcloud.default-location", snapshot(List.of(), noDefault, List.of(
          lbService("web", Map.of("load-balancer.hetzner.cloud/location", "nbg1"), "1.2.3.4"),
          lbService("api", Map.of("load-balancer.hetzner.cloud/network-zone", "eu-central"), "1.2.3.5"))));
      assertThat(named.status()).as(named.finding()).isEqualTo(CheckStatus.PASS);
      CheckResult unnamed = run(h, "lb.hcloud.default-location", snapshot(List.of(), noDefault, List.of(
          lbService("web", Map.of("load-balancer.hetzner.cloud/location", "nbg1"), "1.2.3.4"),
          lbService("api", Map.of(), null))));
      assertThat(unnamed.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(unnamed.finding()).contains("default/api").contains("refuses").doesNotContain("default/web");
      assertThat(unnamed.remedy()).hasValueSatisfying(r -> assertThat(r).contains("HCLOUD_LOAD_BALANCERS_LOCATION"));
      assertThat(run(h, "lb.hcloud.default-location", snapshot(List.of(), noDefault, List.of())).status())
          .isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void robot_nodes_need_robot_support_in_the_ccm() {
      Substrate h = hetzner("");
      var nodes = List.of(cloudNode("cpx-1", 1), gex44("gex44-01", 2));
      assertThat(run(h, "lb.hcloud.robot", snapshot(nodes, List.of(ccm(1, located)), List.of())).status())
          .isEqualTo(CheckStatus.PASS);
      CheckResult off = run(h, "lb.hcloud.robot", snapshot(nodes, List.of(ccm(1,
          Map.of("HCLOUD_LOAD_BALANCERS_LOCATION", "fsn1"))), List.of()));
      assertThat(off.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(off.finding()).contains("gex44-01").contains("ROBOT_ENABLED=<unset>");
      assertThat(run(h, "lb.hcloud.robot", snapshot(List.of(cloudNode("cpx-1", 1)), List.of(ccm(1, Map.of())),
          List.of())).status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void pending_services_fail_the_shared_address_check() {
      CheckResult r = run(hetzner(""), "lb.addresses", snapshot(List.of(), List.of(), List.of(
          lbService("web", Map.of(), null))));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
    }
  }
}
