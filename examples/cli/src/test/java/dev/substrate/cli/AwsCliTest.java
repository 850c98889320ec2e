package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The substrate command on AWS: the embedded EKS cluster is a working platform cluster; diff and render know aws. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AwsCliTest {
  /** One config two clouds read: GCP Secret Manager needs the project, AWS's the region (cluster.location). */
  private static final String CLUSTER = "cluster: {name: llm-prod, projectID: acme-ml, location: eu-west-1}\n";

  @TempDir Path tmp;

  private String config(String yaml) throws IOException {
    return Files.writeString(tmp.resolve("config.yaml"), yaml).toString();
  }

  @Test
  void doctor_passes_on_an_embedded_eks_cluster() {
    Cli.Result r = Cli.run("doctor", "--embedded", "aws");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).contains("detected substrate aws").contains("aws://");
    assertThat(r.out().lines()).as(r.toString()).noneMatch(l -> l.startsWith("FAIL") || l.startsWith("WARN"));
    assertThat(r.out()).contains("PASS  gpu.eks.device-plugin").contains("PASS  gpu.eks.accelerator-labels")
        .contains("PASS  storage.aws.ebs-driver").contains("PASS  lb.aws.controller").contains("PASS  lb.addresses")
        .contains("PASS  eso.store-ready").containsPattern("\\d+ passed / 0 failed / 0 warnings");
  }

  @Test
  void doctor_fails_on_a_bare_cluster_with_a_remedy_under_every_failure() throws IOException {
    Cli.Result r = Cli.run("doctor", "--embedded", "bare", "--substrate", "aws", "-c",
        config(CLUSTER + "storage: {shared_weights: true}\n"));

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    List<String> lines = r.out().lines().toList();
    for (String id : List.of("gpu.eks.device-plugin", "storage.default-class", "storage.aws.ebs-driver",
        "storage.aws.efs-driver", "lb.aws.controller", "eso.store-ready")) {
      assertThat(lines).as(r.toString()).anyMatch(l -> l.startsWith("FAIL  " + id));
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("FAIL")) {
        assertThat(lines.get(i + 1)).as(lines.get(i)).matches("\\s+→ \\S.*");
      }
    }
  }

  @Test
  void capabilities_of_aws_say_what_the_substrate_gives_with_reasons() {
    Cli.Result r = Cli.run("capabilities", "--substrate", "aws");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("substrate aws").contains("GPU stack: eks-accelerated").contains("aws-ebs")
        .contains("aws-nlb").contains("aws-secrets-manager")
        .containsPattern("gpu.scale-to-zero +SUPPORTED +EKS managed node groups scale from and to zero");
  }

  @Test
  void diff_gke_aws_lists_gpu_stack_rwx_snapshots_lb_and_secrets_differences() throws IOException {
    Cli.Result r = Cli.run("diff", "gke", "aws", "-c", config(CLUSTER + "profile: prod\n"));

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("gpu_stack +gke-managed → eks-accelerated")
        .containsPattern("storage +gke-pd → aws-ebs")
        .containsPattern("load_balancer +gke → aws-nlb")
        .containsPattern("secret_backend +gcp-secret-manager → aws-secrets-manager")
        .containsPattern("storage.rwx +NEEDS_ACTION → NEEDS_ACTION +EBS volumes are ReadWriteOnce; ReadWriteMany "
            + "shared weights use EFS")
        .containsPattern("lb.provisioning +SUPPORTED → NEEDS_ACTION")
        .containsPattern("lb.health-check +UNSUPPORTED → SUPPORTED")
        .containsPattern("secrets.keyless +SUPPORTED → SUPPORTED +IRSA")
        .contains("~ clustersecretstore secret-store").contains("+ application argocd/nvidia-device-plugin")
        .contains("volumesnapshotclass");
  }

  @Test
  void the_example_eks_config_diffs_against_gke_and_renders_a_valid_layer() throws Exception {
    String example = Path.of("../../examples/config/aws.yaml").toAbsolutePath().normalize().toString();
    Cli.Result diff = Cli.run("diff", "gke", "aws", "-c", example);
    assertThat(diff.code()).as(diff.toString()).isZero();
    assertThat(diff.out()).containsPattern("storage.rwx +NEEDS_ACTION → NEEDS_ACTION +shared weights use the rendered "
        + "EFS StorageClass efs-sc").contains("+ storageclass efs-sc").contains("+ serviceaccount "
        + "external-secrets/external-secrets");

    Path dir = tmp.resolve("example");
    Cli.Result render = Cli.run("render", "--substrate", "aws", "-c", example, "-o", dir.toString());
    assertThat(render.code()).as(render.toString()).isZero();
    ManifestValidator.validate(dir, tmp);
  }

  @Test
  void diff_aws_hetzner_lists_what_changes_off_the_managed_cloud() throws IOException {
    Cli.Result r = Cli.run("diff", "aws", "hetzner", "-c", config(CLUSTER + "profile: prod\n"
        + "load_balancer: {location: fsn1}\n"
        + "wif: {audience: //iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/llm-prod/providers/k3s-oidc}\n"));

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("gpu_stack +eks-accelerated → operator")
        .containsPattern("gpu.scale-to-zero +SUPPORTED → UNSUPPORTED")
        .containsPattern("storage.rwx +NEEDS_ACTION → UNSUPPORTED")
        .containsPattern("storage.snapshots +SUPPORTED → UNSUPPORTED")
        .containsPattern("secret_backend +aws-secrets-manager → gcp-secret-manager");
  }

  @Test
  void render_passes_the_crd_schema_validation() throws Exception {
    Path dir = tmp.resolve("layer");
    Cli.Result r = Cli.run("render", "--substrate", "aws", "-c", config(CLUSTER + "profile: prod\n"
        + "storage: {shared_weights: true}\n"
        + "gpu: {tenancy: {mode: time-slicing, replicas: 4}}\n"
        + "aws: {account_id: '123456789012', role_arn: 'arn:aws:iam::123456789012:role/eso', "
        + "efs_file_system_id: fs-0123456789abcdef0}\n"), "-o", dir.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    String all;
    try (var files = Files.list(dir)) {
      all = String.join("\n---\n", files.filter(p -> p.toString().endsWith(".yaml")).map(p -> {
        try {
          return Files.readString(p);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList());
    }
    assertThat(all).contains("provisioner: ebs.csi.aws.com").contains("provisioner: efs.csi.aws.com")
        .contains("kind: VolumeSnapshotClass").contains("chart: nvidia-device-plugin")
        .contains("service: SecretsManager").contains("eks.amazonaws.com/role-arn");

    assertThat(ManifestValidator.validate(dir, tmp)).contains("2 custom resources checked");
  }
}
