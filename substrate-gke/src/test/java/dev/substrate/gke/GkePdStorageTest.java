package dev.substrate.gke;

import static dev.substrate.gke.GkeFixtures.gke;
import static dev.substrate.gke.GkeFixtures.gkeStorageClasses;
import static dev.substrate.gke.GkeFixtures.run;
import static dev.substrate.gke.GkeFixtures.snapshotClass;
import static dev.substrate.gke.GkeFixtures.storage;
import static dev.substrate.gke.GkeFixtures.storageClass;
import static dev.substrate.gke.GkeFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ConfigException;
import dev.substrate.RenderContext;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.spi.Check;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GkePdStorageTest {
  private static final String FILESTORE = "filestore.csi.storage.gke.io";

  private static List<HasMetadata> rendered(Substrate s, String kind) {
    return s.render().resources().stream().filter(r -> r.getKind().equals(kind)).toList();
  }

  @Nested
  class Capabilities {
    @Test
    void pd_is_the_default_rwo_class_and_expands() {
      Substrate s = gke("");
      assertThat(s.storage().provisioner()).contains("pd.csi.storage.gke.io");
      assertThat(s.storage().defaultClassName()).contains("standard-rwo");
      assertThat(s.capability(CapabilityIds.STORAGE_DEFAULT_CLASS).orElseThrow().state())
          .isEqualTo(CapabilityState.SUPPORTED);
      assertThat(s.capability(CapabilityIds.STORAGE_EXPANSION).orElseThrow().state())
          .isEqualTo(CapabilityState.SUPPORTED);
    }

    @Test
    void snapshots_need_the_rendered_volume_snapshot_class_applied() {
      Capability prod = gke("profile: prod\n").capability(CapabilityIds.STORAGE_SNAPSHOTS).orElseThrow();
      assertThat(prod.state()).as("the rendered layer gives it").isEqualTo(CapabilityState.SUPPORTED);
      assertThat(prod.reason()).contains("GKE ships no VolumeSnapshotClass").contains("renders the default one, "
          + "pd-snapshot-class");
      assertThat(gke("profile: cost\n").capability(CapabilityIds.STORAGE_SNAPSHOTS).orElseThrow().state())
          .isEqualTo(CapabilityState.NEEDS_ACTION);
      assertThat(gke("profile: cost\n").capability(CapabilityIds.STORAGE_SNAPSHOTS).orElseThrow().remedy())
          .hasValueSatisfying(r -> assertThat(r).contains("set profile: prod"));
    }

    @Test
    void rwx_is_filestore_through_the_rendered_class_once_the_addon_is_enabled() {
      Capability without = gke("").capability(CapabilityIds.STORAGE_RWX).orElseThrow();
      assertThat(without.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
      assertThat(without.reason()).contains("ReadWriteOnce");
      assertThat(without.remedy()).hasValueSatisfying(r -> assertThat(r).contains("storage.shared_weights: true"));

      Capability shared = gke("storage: {shared_weights: true}\n").capability(CapabilityIds.STORAGE_RWX).orElseThrow();
      assertThat(shared.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
      assertThat(shared.reason()).contains("substrate-rwx").contains(FILESTORE)
          .contains("tier standard").contains("smallest volume is 100 GiB on GKE 1.33 or later").doesNotContain("every");
      assertThat(without.reason()).contains("tier standard: 100 GiB").doesNotContain("start at 1 TiB");
      assertThat(gke("storage: {shared_weights: true}\ngke: {filestore_tier: premium}\n")
          .capability(CapabilityIds.STORAGE_RWX).orElseThrow().reason()).contains("tier premium")
          .contains("smallest volume is 2.5 TiB");
      assertThat(shared.remedy()).hasValueSatisfying(r -> assertThat(r)
          .contains("gcloud container clusters update prod --location europe-west4 "
              + "--update-addons=GcpFilestoreCsiDriver=ENABLED"));

      Capability own = gke("storage: {shared_weights: true, rwx_class: team-nfs}\n").capability(CapabilityIds.STORAGE_RWX)
          .orElseThrow();
      assertThat(own.state()).isEqualTo(CapabilityState.SUPPORTED);
      assertThat(own.reason()).contains("team-nfs");
    }
  }

  @Nested
  class Rendering {
    @Test
    void cost_renders_no_volume_snapshot_class(@TempDir Path dir) throws Exception {
      Substrate cost = gke("profile: cost\n");
      assertThat(cost.storage().resources(RenderContext.of(cost.id(), cost.config()))).isEmpty();
      assertThat(cost.render().resources()).extracting(HasMetadata::getKind).containsExactly("ClusterSecretStore");
      cost.render().writeTo(dir);
      assertThat(validate(dir)).contains("1 custom resources checked").contains(", 0 with problems");
    }

    @Test
    void prod_renders_the_default_pd_volume_snapshot_class_in_the_clusters_region(@TempDir Path dir)
        throws Exception {
      Substrate prod = gke("profile: prod\n");
      List<HasMetadata> classes = rendered(prod, "VolumeSnapshotClass");
      assertThat(classes).hasSize(1);
      GenericKubernetesResource vsc = (GenericKubernetesResource) classes.get(0);
      assertThat(vsc.getApiVersion()).isEqualTo("snapshot.storage.k8s.io/v1");
      assertThat(vsc.getMetadata().getName()).isEqualTo("pd-snapshot-class");
      assertThat(vsc.getMetadata().getNamespace()).isNull();
      assertThat(vsc.getMetadata().getAnnotations())
          .containsExactly(Map.entry("snapshot.storage.kubernetes.io/is-default-class", "true"));
      assertThat(vsc.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "substrate");
      assertThat(vsc.getAdditionalProperties()).containsExactly(
          Map.entry("driver", "pd.csi.storage.gke.io"),
          Map.entry("deletionPolicy", "Delete"),
          Map.entry("parameters", Map.of("storage-locations", "europe-west4")));

      prod.render().writeTo(dir);
      assertThat(Files.readString(dir.resolve("kustomization.yaml"))).contains("volumesnapshotclass");
      assertThat(validate(dir)).contains("2 custom resources checked").contains(", 0 with problems");
    }

    @Test
    void a_zonal_cluster_stores_snapshots_in_its_region_and_no_location_leaves_the_choice_to_gce() {
      GenericKubernetesResource zonal = (GenericKubernetesResource) rendered(Substrates.create(SubstrateConfig.parse(
          "substrate: {id: gke}\nprofile: prod\ncluster: {projectID: acme-ml, location: us-central1-c}\n")),
          "VolumeSnapshotClass").get(0);
      Map<String, Object> parameters = zonal.get("parameters");
      assertThat(parameters).containsExactly(Map.entry("storage-locations", "us-central1"));

      GenericKubernetesResource anywhere = (GenericKubernetesResource) rendered(Substrates.create(SubstrateConfig.parse(
          "substrate: {id: gke}\nprofile: prod\ncluster: {projectID: acme-ml}\n")), "VolumeSnapshotClass").get(0);
      assertThat(anywhere.getAdditionalProperties()).doesNotContainKey("parameters");
    }

    @Test
    void shared_weights_render_a_filestore_class_that_does_not_clash_with_gkes_own(@TempDir Path dir)
        throws Exception {
      Substrate shared = gke("storage: {shared_weights: true}\n");
      List<HasMetadata> classes = rendered(shared, "StorageClass");
      assertThat(classes).hasSize(1);
      StorageClass rwx = (StorageClass) classes.get(0);
      assertThat(rwx.getApiVersion()).isEqualTo("storage.k8s.io/v1");
      assertThat(rwx.getMetadata().getName()).isEqualTo("substrate-rwx").isNotIn("standard-rwx", "premium-rwx");
      assertThat(rwx.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "substrate");
      assertThat(rwx.getProvisioner()).isEqualTo(FILESTORE);
      assertThat(rwx.getParameters()).containsExactly(Map.entry("tier", "standard"));
      assertThat(rwx.getVolumeBindingMode()).isEqualTo("WaitForFirstConsumer");
      assertThat(rwx.getAllowVolumeExpansion()).isTrue();
      assertThat(rendered(shared, "VolumeSnapshotClass")).isEmpty();

      shared.render().writeTo(dir);
      assertThat(Files.readString(dir.resolve("kustomization.yaml"))).contains("storageclass");
      assertThat(validate(dir)).contains(", 0 with problems");
    }

    @Test
    void the_gke_section_sets_the_filestore_network_and_the_snapshot_deletion_policy() {
      Substrate s = gke("profile: prod\nstorage: {shared_weights: true}\n"
          + "gke: {filestore_network: ml-vpc, snapshot_deletion_policy: Retain}\n");
      assertThat(((StorageClass) rendered(s, "StorageClass").get(0)).getParameters())
          .containsExactly(Map.entry("tier", "standard"), Map.entry("network", "ml-vpc"));
      assertThat(((StorageClass) rendered(gke("storage: {shared_weights: true}\ngke: {filestore_tier: zonal}\n"),
          "StorageClass").get(0)).getParameters()).containsExactly(Map.entry("tier", "zonal"));
      String policy = ((GenericKubernetesResource) rendered(s, "VolumeSnapshotClass").get(0)).get("deletionPolicy");
      assertThat(policy).isEqualTo("Retain");
    }

    @Test
    void a_bad_gke_section_reports_every_problem_at_once() {
      assertThatThrownBy(() -> gke("gke: {filestore_netwrok: x, snapshot_deletion_policy: Keep, filestore_network: '', "
          + "filestore_tier: high_scale}\n"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("gke.filestore_netwrok is not a known key (known: filestore_network, filestore_tier, "
              + "snapshot_deletion_policy)")
          .hasMessageContaining("gke.filestore_tier was 'high_scale' but must be one of standard, basic_hdd, premium, "
              + "basic_ssd, zonal, regional, enterprise")
          .hasMessageContaining("gke.snapshot_deletion_policy was 'Keep' but must be Delete or Retain")
          .hasMessageContaining("gke.filestore_network was '' but must name a VPC network");
    }

    @Test
    void an_rwx_class_of_the_users_own_is_not_rendered() {
      assertThat(rendered(gke("storage: {shared_weights: true, rwx_class: team-nfs}\n"), "StorageClass")).isEmpty();
    }
  }

  @Nested
  class Checks {
    private final Substrate prod = gke("profile: prod\n");

    @Test
    void are_the_shared_default_class_snapshots_and_rwx_checks() {
      assertThat(prod.storage().checks()).extracting(Check::id)
          .containsExactly("storage.default-class", "storage.snapshots", "storage.rwx");
      assertThat(gke("storage: {shared_weights: true}\n").storage().checks()).extracting(Check::id)
          .containsExactly("storage.default-class", "storage.snapshots", "storage.rwx", "storage.gke.filestore-driver");
      Substrate own = gke("storage: {shared_weights: true, rwx_class: team-nfs}\n");
      assertThat(own.storage().checks()).extracting(Check::id)
          .containsExactly("storage.default-class", "storage.snapshots", "storage.rwx");
      assertThat(run(own, "storage.rwx", storage(gkeStorageClasses(), List.of())).finding())
          .isEqualTo("storage.rwx_class is team-nfs but no StorageClass has that name");
    }

    @Test
    void prod_passes_once_the_rendered_volume_snapshot_class_exists() {
      CheckResult r = run(prod, "storage.snapshots", storage(gkeStorageClasses(),
          List.of(snapshotClass("pd-snapshot-class", "pd.csi.storage.gke.io", true))));
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
      assertThat(r.finding()).contains("pd-snapshot-class").contains("standard-rwo");
      assertThat(run(prod, "storage.default-class", storage(gkeStorageClasses(), List.of())).status())
          .isEqualTo(CheckStatus.PASS);
    }

    @Test
    void prod_without_it_fails_with_the_remedy_to_apply_it() {
      CheckResult r = run(prod, "storage.snapshots", storage(gkeStorageClasses(), List.of()));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("no default VolumeSnapshotClass");
      assertThat(r.remedy()).contains(
          "apply the rendered VolumeSnapshotClass pd-snapshot-class (substrate apply, or through GitOps)");
    }

    @Test
    void prod_with_the_rendered_class_present_but_not_default_says_how_to_make_one_default() {
      CheckResult r = run(prod, "storage.snapshots", storage(gkeStorageClasses(), List.of(
          snapshotClass("pd-snapshot-class", "pd.csi.storage.gke.io", false))));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.remedy()).hasValueSatisfying(rem -> assertThat(rem).startsWith("create a VolumeSnapshotClass"));
    }

    @Test
    void prod_with_the_rendered_class_present_but_wrong_keeps_the_shared_remedy() {
      CheckResult r = run(prod, "storage.snapshots", storage(gkeStorageClasses(), List.of(
          snapshotClass("pd-snapshot-class", "pd.csi.storage.gke.io", true),
          snapshotClass("other", "pd.csi.storage.gke.io", true))));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.remedy()).hasValueSatisfying(rem -> assertThat(rem).doesNotStartWith("apply the rendered"));
    }

    @Test
    void cost_and_dev_skip_snapshots() {
      assertThat(run(gke("profile: cost\n"), "storage.snapshots", storage(gkeStorageClasses(), List.of())).status())
          .isEqualTo(CheckStatus.SKIP);
    }

    @Test
    void shared_weights_pass_with_the_filestore_class_and_driver_and_fail_without() {
      Substrate shared = gke("storage: {shared_weights: true}\n");
      List<StorageClass> withRwx = new ArrayList<>(gkeStorageClasses());
      withRwx.add(storageClass("substrate-rwx", FILESTORE, false));
      assertThat(run(shared, "storage.rwx", storage(withRwx, List.of(), "pd.csi.storage.gke.io", FILESTORE)).status())
          .isEqualTo(CheckStatus.PASS);
      assertThat(run(shared, "storage.gke.filestore-driver", storage(withRwx, List.of(), FILESTORE)).status())
          .isEqualTo(CheckStatus.PASS);

      List<StorageClass> gkesOwnOnly = new ArrayList<>(gkeStorageClasses());
      gkesOwnOnly.add(storageClass("standard-rwx", FILESTORE, false));
      CheckResult missing = run(shared, "storage.rwx", storage(gkesOwnOnly, List.of()));
      assertThat(missing.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(missing.finding()).isEqualTo(
          "storage.shared_weights is true but the StorageClass substrate-rwx rendered for it does not exist");
      assertThat(missing.remedy()).contains("apply the rendered StorageClass substrate-rwx (substrate apply, or through GitOps)");
      CheckResult noDriver = run(shared, "storage.gke.filestore-driver", storage(withRwx, List.of(), "pd.csi.storage.gke.io"));
      assertThat(noDriver.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(noDriver.finding()).contains("filestore.csi.storage.gke.io is not installed");
      assertThat(noDriver.remedy()).hasValueSatisfying(rem -> assertThat(rem)
          .contains("--update-addons=GcpFilestoreCsiDriver=ENABLED"));
    }
  }
}
