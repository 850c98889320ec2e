package dev.substrate.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.Report;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Doctor with an AWS config against embedded clusters: the EKS preset is a working platform cluster, bare is not. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EmbeddedAwsDoctorTest {
  private static final List<String> AWS_CHECKS = List.of("substrate.nodes", "gpu.nodes-advertise",
      "gpu.eks.device-plugin", "gpu.eks.accelerator-labels", "storage.default-class", "storage.aws.ebs-driver",
      "lb.aws.controller", "lb.addresses");

  private static Map<String, CheckResult> byId(Report report) {
    return report.results().stream().collect(Collectors.toMap(CheckResult::id, r -> r));
  }


  @Test
  void the_eks_preset_is_detected_and_passes_the_aws_checks() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.AWS)) {
      Substrate detected = Substrates.builder().config(SubstrateConfig.parse(AwsFixtures.BACKEND))
          .client(cluster.client()).build();
      assertThat(detected.id()).isEqualTo("aws");

      Report report = AwsFixtures.aws("profile: prod\nstorage: {shared_weights: true}\n"
          + "aws: {account_id: '123456789012', gpu_nodes: karpenter, efs_file_system_id: fs-0123456789abcdef0}\n")
          .doctor(cluster.client());
      Map<String, CheckResult> results = byId(report);
      for (String id : AWS_CHECKS) {
        assertThat(results.get(id).status()).as(id + "\n" + report.toText()).isEqualTo(CheckStatus.PASS);
      }
      assertThat(results.get("storage.aws.efs-driver").status()).as(report.toText()).isEqualTo(CheckStatus.PASS);
      assertThat(results.get("gpu.nodes-advertise").finding()).contains("8 allocatable GPUs");
      assertThat(results.get("lb.aws.controller").finding()).contains("kube-system/aws-load-balancer-controller");
    }
  }

  @Test
  void doctor_with_the_config_the_preset_was_made_for_has_no_failure_and_no_warning() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.AWS)) {
      Report report = Substrates.builder().config(SubstrateConfig.parse(ClusterPreset.AWS.exampleConfig()))
          .client(cluster.client()).build().doctor(cluster.client());

      assertThat(report.failed()).as(report.toText()).isZero();
      assertThat(report.warnings()).as(report.toText()).isZero();
      Map<String, CheckResult> results = byId(report);
      assertThat(results.get("eso.store-ready").status()).as(report.toText()).isEqualTo(CheckStatus.PASS);
      assertThat(results.get("secrets.long-lived-credentials").finding()).startsWith("0 long-lived credentials");
    }
  }

  @Test
  void a_bare_cluster_fails_the_aws_checks_with_a_remedy_on_every_failure() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BARE)) {
      Report report = AwsFixtures.aws("storage: {shared_weights: true}\n").doctor(cluster.client());
      Map<String, CheckResult> results = byId(report);
      for (String id : List.of("gpu.eks.device-plugin", "storage.default-class", "storage.aws.ebs-driver",
          "storage.aws.efs-driver", "lb.aws.controller")) {
        assertThat(results.get(id).status()).as(id + "\n" + report.toText()).isEqualTo(CheckStatus.FAIL);
      }
      assertThat(results.get("gpu.nodes-advertise").status()).isEqualTo(CheckStatus.WARN);
      for (CheckResult r : report.results()) {
        if (r.status() == CheckStatus.FAIL || r.status() == CheckStatus.WARN) {
          assertThat(r.remedy()).as(r.id()).hasValueSatisfying(remedy -> assertThat(remedy).isNotBlank());
        }
      }
    }
  }
}
