package dev.substrate.aws;

import static dev.substrate.aws.AwsFixtures.aws;
import static dev.substrate.aws.AwsFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.storage.CSIDriverBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EbsStorageTest {
  private static final ResourceKind CSI_DRIVERS = ResourceKind.of("storage.k8s.io", "v1", "CSIDriver", "csidrivers",
      false);

  @TempDir Path tmp;

  private static List<HasMetadata> storage(Substrate s) {
    return s.storage().resources(null);
  }

  @Test
  void renders_an_encrypted_gp3_default_class_on_the_ebs_csi_driver() {
    StorageClass gp3 = (StorageClass) storage(aws("")).get(0);
    assertThat(gp3.getMetadata().getName()).isEqualTo("gp3");
    assertThat(gp3.getMetadata().getAnnotations()).containsEntry("storageclass.kubernetes.io/is-default-class", "true");
    assertThat(gp3.getProvisioner()).isEqualTo("ebs.csi.aws.com");
    assertThat(gp3.getParameters()).containsExactly(Map.entry("type", "gp3"),
        Map.entry("csi.storage.k8s.io/fstype", "ext4"), Map.entry("encrypted", "true"));
    assertThat(gp3.getAllowVolumeExpansion()).isTrue();
    assertThat(gp3.getVolumeBindingMode()).isEqualTo("WaitForFirstConsumer");

    StorageClass withKey = (StorageClass) storage(aws("aws: {ebs_kms_key_id: "
        + "'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'}\n")).get(0);
    assertThat(withKey.getParameters()).containsEntry("kmsKeyId",
        "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    assertThat(storage(aws("storage: {default_class: io2-fast}\n"))).isEmpty();
  }

  @Test
  void prod_renders_a_default_volume_snapshot_class_and_cost_does_not() {
    GenericKubernetesResource vsc = (GenericKubernetesResource) storage(aws("profile: prod\n")).stream()
        .filter(r -> r.getKind().equals("VolumeSnapshotClass")).findFirst().orElseThrow();
    assertThat(vsc.getMetadata().getName()).isEqualTo("ebs-snapshot-class");
    assertThat(vsc.getAdditionalProperties()).containsEntry("driver", "ebs.csi.aws.com")
        .containsEntry("deletionPolicy", "Delete");
    assertThat(vsc.getMetadata().getAnnotations())
        .containsEntry("snapshot.storage.kubernetes.io/is-default-class", "true");
    assertThat(storage(aws("profile: prod\naws: {snapshot_deletion_policy: Retain}\n")).stream()
        .filter(r -> r.getKind().equals("VolumeSnapshotClass"))).singleElement()
        .satisfies(r -> assertThat(((GenericKubernetesResource) r).getAdditionalProperties())
            .containsEntry("deletionPolicy", "Retain"));
    assertThat(storage(aws("profile: cost\n"))).noneMatch(r -> r.getKind().equals("VolumeSnapshotClass"));
    assertThat(aws("profile: prod\n").capability(CapabilityIds.STORAGE_SNAPSHOTS).orElseThrow().state())
        .isEqualTo(CapabilityState.SUPPORTED);
  }

  @Test
  void shared_weights_render_an_efs_access_point_class_once_a_file_system_is_named() {
    Substrate named = aws("storage: {shared_weights: true}\naws: {efs_file_system_id: fs-0123456789abcdef0}\n");
    StorageClass efs = (StorageClass) storage(named).stream().filter(r -> r.getMetadata().getName().equals("efs-sc"))
        .findFirst().orElseThrow();
    assertThat(efs.getProvisioner()).isEqualTo("efs.csi.aws.com");
    assertThat(efs.getParameters()).containsEntry("provisioningMode", "efs-ap")
        .containsEntry("fileSystemId", "fs-0123456789abcdef0").containsEntry("directoryPerms", "700");
    assertThat(named.capability(CapabilityIds.STORAGE_RWX).orElseThrow().reason()).contains("fs-0123456789abcdef0");

    Substrate unnamed = aws("storage: {shared_weights: true}\n");
    assertThat(storage(unnamed)).noneMatch(r -> r.getMetadata().getName().equals("efs-sc"));
    var rwx = unnamed.capability(CapabilityIds.STORAGE_RWX).orElseThrow();
    assertThat(rwx.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
    assertThat(rwx.remedy()).hasValueSatisfying(r -> assertThat(r).contains("aws.efs_file_system_id"));
  }

  @Test
  void doctor_checks_that_the_csi_drivers_exist() {
    Substrate s = aws("storage: {shared_weights: true}\naws: {efs_file_system_id: fs-0123456789abcdef0, "
        + "ebs_csi_role_arn: 'arn:aws:iam::123456789012:role/ebs'}\n");
    ClusterSnapshot none = ClusterSnapshot.builder().add(CSI_DRIVERS, List.of()).build();
    CheckResult ebs = run(s, "storage.aws.ebs-driver", none);
    assertThat(ebs.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(ebs.finding()).contains("ebs.csi.aws.com is not installed");
    assertThat(ebs.remedy()).hasValueSatisfying(r -> assertThat(r).contains("--addon-name aws-ebs-csi-driver")
        .contains("--cluster-name prod --region eu-west-1").contains("arn:aws:iam::123456789012:role/ebs"));
    assertThat(run(s, "storage.aws.efs-driver", none).status()).isEqualTo(CheckStatus.FAIL);

    ClusterSnapshot both = ClusterSnapshot.builder().addObjects(CSI_DRIVERS, List.of(driver("ebs.csi.aws.com"),
        driver("efs.csi.aws.com"))).build();
    assertThat(run(s, "storage.aws.ebs-driver", both).status()).isEqualTo(CheckStatus.PASS);
    assertThat(run(s, "storage.aws.efs-driver", both).status()).isEqualTo(CheckStatus.PASS);
    assertThat(aws("").checks()).noneMatch(c -> c.id().equals("storage.aws.efs-driver"));
  }

  @Test
  void a_missing_default_class_is_remedied_by_applying_the_rendered_gp3() {
    CheckResult none = run(aws(""), "storage.default-class",
        ClusterSnapshot.builder().add(ResourceKind.STORAGE_CLASSES, List.of()).build());
    assertThat(none.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(none.remedy()).hasValueSatisfying(r -> assertThat(r).startsWith("apply the rendered StorageClass gp3"));
  }

  @Test
  void the_rendered_layer_passes_the_upstream_crd_schemas() throws Exception {
    Substrate s = aws("profile: prod\nstorage: {shared_weights: true}\naws: {efs_file_system_id: fs-01234567}\n");
    s.render().writeTo(tmp);
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.contains("volumesnapshotclass"));
    }
    AwsFixtures.validate(tmp);
  }

  private static Object driver(String name) {
    return new CSIDriverBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec().build();
  }
}
