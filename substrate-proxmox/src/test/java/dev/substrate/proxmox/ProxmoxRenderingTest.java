package dev.substrate.proxmox;

import static dev.substrate.proxmox.ProxmoxFixtures.proxmox;
import static dev.substrate.proxmox.ProxmoxFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProxmoxRenderingTest {
  private static Optional<StorageClass> storageClass(Substrate s, String name) {
    return s.render().resources().stream().filter(r -> r instanceof StorageClass && name.equals(r.getMetadata().getName()))
        .map(r -> (StorageClass) r).findFirst();
  }

  private static Optional<HasMetadata> ofKind(Substrate s, String kind) {
    return s.render().resources().stream().filter(r -> kind.equals(r.getKind())).findFirst();
  }

  @Test
  void renders_the_default_storage_class_for_the_proxmox_storage() {
    StorageClass sc = storageClass(proxmox("proxmox: {storage: local-lvm}\n"), "proxmox-csi").orElseThrow();

    assertThat(sc.getProvisioner()).isEqualTo("csi.proxmox.sinextra.dev");
    assertThat(sc.getParameters()).isEqualTo(Map.of("storage", "local-lvm", "csi.storage.k8s.io/fstype", "ext4"));
    assertThat(sc.getMetadata().getAnnotations()).containsEntry("storageclass.kubernetes.io/is-default-class", "true");
    assertThat(sc.getVolumeBindingMode()).isEqualTo("WaitForFirstConsumer");
    assertThat(sc.getAllowVolumeExpansion()).isTrue();
    assertThat(sc.getReclaimPolicy()).isEqualTo("Delete");
    assertThat(sc.getAllowedTopologies()).isEmpty();
  }

  @Test
  void a_region_restricts_the_class_to_it_and_xfs_is_passed_on() {
    StorageClass sc = storageClass(proxmox("proxmox: {storage: data, fstype: xfs, region: home}\n"), "proxmox-csi")
        .orElseThrow();

    assertThat(sc.getParameters()).containsEntry("csi.storage.k8s.io/fstype", "xfs").containsEntry("storage", "data");
    assertThat(sc.getAllowedTopologies()).singleElement().satisfies(t -> assertThat(t.getMatchLabelExpressions())
        .singleElement().satisfies(e -> {
          assertThat(e.getKey()).isEqualTo("topology.kubernetes.io/region");
          assertThat(e.getValues()).containsExactly("home");
        }));
  }

  @Test
  void renders_no_class_without_a_storage_or_when_config_names_another_default() {
    assertThat(storageClass(proxmox(""), "proxmox-csi")).isEmpty();
    Substrate other = proxmox("storage: {default_class: ceph-block}\nproxmox: {storage: local-lvm}\n");
    assertThat(storageClass(other, "proxmox-csi")).isEmpty();
    assertThat(other.storage().defaultClassName()).contains("ceph-block");
  }

  @Test
  void prod_renders_a_default_snapshot_class_for_the_driver() {
    assertThat(ofKind(proxmox("proxmox: {storage: local-lvm}\n"), "VolumeSnapshotClass")).isEmpty();
    GenericKubernetesResource vsc = (GenericKubernetesResource) ofKind(proxmox("profile: prod\n"
        + "proxmox: {storage: local-lvm, snapshot_deletion_policy: Retain}\n"), "VolumeSnapshotClass").orElseThrow();

    assertThat(vsc.getMetadata().getName()).isEqualTo("proxmox-snapshot");
    assertThat(vsc.getAdditionalProperties()).containsEntry("driver", "csi.proxmox.sinextra.dev")
        .containsEntry("deletionPolicy", "Retain");
    assertThat(vsc.getMetadata().getAnnotations()).containsEntry("snapshot.storage.kubernetes.io/is-default-class",
        "true");
  }

  @Test
  void the_rendered_layer_validates_against_the_upstream_schemas(@TempDir Path dir) throws Exception {
    Substrate s = proxmox("profile: prod\nproxmox: {storage: local-lvm, region: home}\n");
    s.render().writeTo(dir);

    assertThat(s.render().resources()).extracting(HasMetadata::getKind)
        .contains("StorageClass", "VolumeSnapshotClass", "IPAddressPool", "L2Advertisement");
    validate(dir);
  }

  @Test
  void the_example_config_renders_and_validates(@TempDir Path dir) throws Exception {
    Path example = Path.of(System.getProperty("substrate.root", ".."), "examples", "config", "proxmox.yaml");
    Substrate s = Substrates.create(SubstrateConfig.load(example));
    s.render().writeTo(dir);

    assertThat(s.id()).isEqualTo("proxmox");
    assertThat(storageClass(s, "proxmox-csi")).isPresent();
    validate(dir);
  }

  @Test
  void as_a_pool_beside_another_substrate_its_class_is_not_the_default() {
    Substrate cluster = Substrates.create(SubstrateConfig.parse("substrate:\n  id: byo\n  pools:\n"
        + "    home: {substrate: proxmox}\nproxmox: {storage: local-lvm}\n"));

    StorageClass sc = storageClass(cluster, "proxmox-csi").orElseThrow();
    assertThat(sc.getMetadata().getAnnotations()).doesNotContainKey("storageclass.kubernetes.io/is-default-class");
    assertThat(cluster.pool("home")).hasValueSatisfying(p -> assertThat(p.substrate().storage().id())
        .isEqualTo("proxmox-csi"));
    assertThat(List.of(cluster.describe())).singleElement().asString().contains("proxmox");
  }
}
