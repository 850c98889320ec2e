package dev.substrate.proxmox;

import static dev.substrate.proxmox.ProxmoxFixtures.node;
import static dev.substrate.proxmox.ProxmoxFixtures.nodes;
import static dev.substrate.proxmox.ProxmoxFixtures.proxmox;
import static dev.substrate.proxmox.ProxmoxFixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.Capability;
import dev.substrate.CapabilityState;
import dev.substrate.ConfigException;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.proxmox.internal.ProxmoxSubstrateProvider;
import dev.substrate.spi.Detection;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProxmoxProvidersTest {
  private final ProxmoxSubstrateProvider provider = new ProxmoxSubstrateProvider();

  @Test
  void recognises_nodes_with_proxmox_provider_ids_and_says_what_it_saw() {
    Optional<Detection> d = provider.detect(nodes(vm("pve-worker-1", "home", 201, "pve-1"),
        vm("pve-worker-2", "home", 202, "pve-2")));

    assertThat(d).hasValueSatisfying(detection -> {
      assertThat(detection.substrateId()).isEqualTo("proxmox");
      assertThat(detection.score()).isEqualTo(90);
      assertThat(detection.evidence()).contains("2 nodes: 2 proxmox://")
          .contains("topology.proxmox.sinextra.dev/region on 2").contains("proxmox://home/201");
    });
  }

  @Test
  void scores_a_mixed_cluster_by_its_share_of_proxmox_nodes_and_knows_capmox_provider_ids() {
    Optional<Detection> d = provider.detect(nodes(
        node("cp", "hcloud://61234567", Map.of()),
        node("capmox-1", "proxmox://9f1c6e1a-4a4b-4d47-9a5e-0b8f2e0a1c11", Map.of())));

    assertThat(d).hasValueSatisfying(detection -> {
      assertThat(detection.score()).isEqualTo(42);
      assertThat(detection.evidence()).contains("1 hcloud://").contains("1 proxmox://")
          .contains("proxmox://9f1c6e1a-4a4b-4d47-9a5e-0b8f2e0a1c11");
    });
  }

  @Test
  void claims_no_cluster_without_proxmox_nodes() {
    assertThat(provider.detect(nodes(node("a", "hcloud://1", Map.of()), node("b", null, Map.of())))).isEmpty();
    assertThat(provider.detect(nodes())).isEmpty();
  }

  @Test
  void is_detected_from_the_nodes_over_byo() {
    Substrate s = Substrates.builder()
        .config(SubstrateConfig.parse("load_balancer: {addresses: [192.168.1.240-192.168.1.250]}\n"))
        .nodes(nodes(vm("pve-worker-1", "home", 201, "pve-1"))).build();

    assertThat(s.id()).isEqualTo("proxmox");
    assertThat(s.detection()).hasValueSatisfying(d -> assertThat(d.evidence()).contains("proxmox://home/201"));
  }

  @Test
  void defaults_to_the_gpu_operator_proxmox_csi_metallb_and_kubernetes_secrets() {
    Substrate s = proxmox("proxmox: {storage: local-lvm}\n");

    assertThat(s.gpuStack().id()).isEqualTo("operator");
    assertThat(s.storage().id()).isEqualTo("proxmox-csi");
    assertThat(s.loadBalancer().id()).isEqualTo("metallb");
    assertThat(s.secrets().id()).isEqualTo("kubernetes");
    assertThat(s.storage().provisioner()).contains("csi.proxmox.sinextra.dev");
    assertThat(s.storage().defaultClassName()).contains("proxmox-csi");
  }

  @Test
  void gpus_need_pci_passthrough_and_do_not_scale_to_zero_by_themselves() {
    Substrate s = proxmox("proxmox: {storage: local-lvm}\n");

    assertThat(s.capability("gpu.pci-passthrough")).hasValueSatisfying(c -> {
      assertThat(c.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
      assertThat(c.reason()).contains("passes the whole device through").contains("live-migrated");
      assertThat(c.remedy()).hasValueSatisfying(r -> assertThat(r).contains("vfio-pci").contains("--hostpci0")
          .contains("pcie=1").contains("q35"));
    });
    assertThat(s.capability("gpu.scale-to-zero")).hasValueSatisfying(c -> {
      assertThat(c.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
      assertThat(c.reason()).contains("passed-through GPU");
      assertThat(c.remedy()).hasValueSatisfying(r -> assertThat(r).contains("KEDA"));
    });
    Substrate noGpu = proxmox("gpu_stack: none\nproxmox: {storage: local-lvm}\n");
    assertThat(noGpu.capability("gpu.pci-passthrough")).isEmpty();
  }

  @Test
  void storage_is_read_write_once_and_names_what_to_install_for_read_write_many() {
    Capability rwx = proxmox("proxmox: {storage: local-lvm}\n").capability("storage.rwx").orElseThrow();

    assertThat(rwx.state()).isEqualTo(CapabilityState.UNSUPPORTED);
    assertThat(rwx.reason()).contains("ReadWriteOnce only");
    assertThat(rwx.remedy()).hasValueSatisfying(r -> assertThat(r).contains("csi-driver-nfs/csi-driver-nfs")
        .contains("nfs.csi.k8s.io").contains("longhorn/longhorn").contains("storage.rwx_class"));

    Capability shared = proxmox("storage: {shared_weights: true, rwx_class: nfs-csi}\nproxmox: {storage: local-lvm}\n")
        .capability("storage.rwx").orElseThrow();
    assertThat(shared.state()).isEqualTo(CapabilityState.SUPPORTED);
    assertThat(shared.reason()).contains("nfs-csi");
  }

  @Test
  void volumes_fail_over_between_hosts_only_on_shared_storage() {
    Capability local = proxmox("proxmox: {storage: local-lvm}\n").capability("storage.node-failover").orElseThrow();
    assertThat(local.state()).isEqualTo(CapabilityState.UNSUPPORTED);
    assertThat(local.reason()).contains("one PVE host");
    assertThat(local.remedy()).hasValueSatisfying(r -> assertThat(r).contains("proxmox.shared_storage: true")
        .contains("pvecsictl"));

    Capability shared = proxmox("proxmox: {storage: ceph-rbd, shared_storage: true}\n")
        .capability("storage.node-failover").orElseThrow();
    assertThat(shared.state()).isEqualTo(CapabilityState.SUPPORTED);
    assertThat(shared.reason()).contains("proxmox.storage ceph-rbd is shared");
  }

  @Test
  void snapshots_are_experimental_full_copies_and_expansion_is_supported() {
    Substrate prod = proxmox("profile: prod\nproxmox: {storage: local-lvm}\n");
    assertThat(prod.capability("storage.snapshots")).hasValueSatisfying(c -> {
      assertThat(c.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
      assertThat(c.reason()).contains("full copy").contains("root@pam").contains("proxmox-snapshot");
      assertThat(c.remedy()).hasValueSatisfying(r -> assertThat(r).contains("controller.snapshotter.enabled=true"));
    });
    assertThat(prod.capability("storage.expansion").map(Capability::state)).contains(CapabilityState.SUPPORTED);
  }

  @Test
  void without_a_proxmox_storage_the_default_class_needs_action() {
    Capability c = proxmox("").capability("storage.default-class").orElseThrow();

    assertThat(c.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
    assertThat(c.reason()).contains("proxmox.storage names no Proxmox storage");
    assertThat(c.remedy()).hasValueSatisfying(r -> assertThat(r).contains("set proxmox.storage")
        .contains("oci://ghcr.io/sergelogvinov/charts/proxmox-csi-plugin"));
  }

  @Test
  void bad_settings_are_one_line_each_naming_the_key() {
    assertThatThrownBy(() -> proxmox("proxmox: {storage: 'local lvm', fstype: btrfs, region: 'a/b', "
        + "shared_storage: maybe, snapshot_deletion_policy: Keep, storag: x}\n"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> {
          String m = e.getMessage();
          assertThat(m).contains("proxmox.storage was 'local lvm' but must be a Proxmox storage id such as local-lvm")
              .contains("proxmox.fstype was 'btrfs' but must be ext4 or xfs")
              .contains("proxmox.region was 'a/b' but must be the region of the Proxmox cluster")
              .contains("proxmox.shared_storage was 'maybe' but must be true or false")
              .contains("proxmox.snapshot_deletion_policy was 'Keep' but must be Delete or Retain")
              .contains("proxmox.storag").contains("storage");
          assertThat(((ConfigException) e).problems()).hasSize(6)
              .allSatisfy(p -> assertThat(p).startsWith("proxmox.").doesNotContain("\n"));
        });
  }

  @Test
  void a_proxmox_section_that_is_not_a_mapping_is_an_error_naming_it() {
    assertThatThrownBy(() -> SubstrateConfig.parse("proxmox: local-lvm\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("proxmox was 'local-lvm' but must be a mapping");
  }

  @Test
  void metallb_by_default_needs_addresses() {
    assertThatThrownBy(() -> Substrates.create(SubstrateConfig.parse("substrate: {id: proxmox}\n")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("load_balancer.addresses");
    Substrate none = Substrates.create(SubstrateConfig.parse("substrate: {id: proxmox}\n"
        + "load_balancer: {provider: none}\n"));
    assertThat(none.loadBalancer().id()).isEqualTo("none");
  }
}
