package dev.substrate.aws;

import static dev.substrate.aws.AwsFixtures.aws;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ConfigException;
import dev.substrate.LoadBalancerIntent;
import dev.substrate.LoadBalancerIntent.HealthCheck;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.Substrates;
import dev.substrate.spi.SubstrateProvider;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AwsProvidersTest {
  private static final String LB = "service.beta.kubernetes.io/aws-load-balancer-";

  @Test
  void every_aws_provider_is_found_by_its_id() {
    var ids = Substrates.availableIds();
    assertThat(ids.get("substrate")).contains("aws");
    assertThat(ids.get("gpu_stack")).contains("eks-accelerated");
    assertThat(ids.get("storage")).contains("aws-ebs");
    assertThat(ids.get("load_balancer")).contains("aws-nlb");
  }

  @Test
  void the_aws_substrate_uses_its_defaults_and_aws_secrets_manager() {
    SubstrateProvider aws = provider();
    assertThat(aws.defaults().gpuStack()).isEqualTo("eks-accelerated");
    assertThat(aws.defaults().storage()).isEqualTo("aws-ebs");
    assertThat(aws.defaults().loadBalancer()).isEqualTo("aws-nlb");
    assertThat(aws.defaults().secretBackend()).isEqualTo("aws-secrets-manager");

    Substrate substrate = aws("");
    assertThat(substrate.storage().provisioner()).contains("ebs.csi.aws.com");
    assertThat(substrate.capability(CapabilityIds.GPU_SCALE_TO_ZERO).orElseThrow().state())
        .isEqualTo(CapabilityState.SUPPORTED);
  }

  @Test
  void the_aws_section_holds_the_substrates_keys_and_the_secrets_backends_alike() {
    Substrate s = aws("aws: {account_id: '123456789012', role_arn: 'arn:aws:iam::123456789012:role/eso', "
        + "gpu_ami: bottlerocket, efs_file_system_id: fs-01234567}\n");
    assertThat(s.secrets().id()).isEqualTo("aws-secrets-manager");
    assertThat(s.config().secretStoreAuth()).hasValueSatisfying(a -> assertThat(a.id()).isEqualTo("workload-identity"));
    var keyless = s.capability(CapabilityIds.SECRETS_KEYLESS).orElseThrow();
    assertThat(keyless.state()).isEqualTo(CapabilityState.SUPPORTED);
    assertThat(keyless.reason()).contains("IRSA");
    assertThat(s.capability(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS).orElseThrow().count()).hasValue(0);
    assertThat(s.render().files().keySet()).anyMatch(f -> f.contains("clustersecretstore"));
  }

  @Test
  void ec2_nodes_are_recognised_more_surely_with_eks_labels_and_others_are_not() {
    SubstrateProvider aws = provider();
    assertThat(aws.detect(nodes("aws:///eu-west-1a/i-0123456789abcdef0", "eks.amazonaws.com/nodegroup")))
        .hasValueSatisfying(d -> {
          assertThat(d.score()).isEqualTo(90);
          assertThat(d.evidence()).contains("aws://").contains("eks.amazonaws.com/nodegroup");
        });
    assertThat(aws.detect(nodes("aws:///eu-west-1a/i-0123456789abcdef0", "karpenter.sh/nodepool")))
        .hasValueSatisfying(d -> assertThat(d.score()).isEqualTo(90));
    assertThat(aws.detect(nodes("aws:///eu-west-1a/i-0123456789abcdef0", "example.com/other")))
        .hasValueSatisfying(d -> assertThat(d.score()).isEqualTo(60));
    assertThat(aws.detect(nodes("gce://acme/europe-west4-a/n1", "eks.amazonaws.com/nodegroup"))).isEmpty();
  }

  @Test
  void the_portable_intent_becomes_load_balancer_controller_annotations() {
    Substrate substrate = aws("");
    assertThat(substrate.loadBalancer().serviceAnnotations(LoadBalancerIntent.of(LoadBalancerIntent.Exposure.PUBLIC)))
        .containsExactly(Map.entry(LB + "type", "external"), Map.entry(LB + "nlb-target-type", "ip"),
            Map.entry(LB + "scheme", "internet-facing"));
    assertThat(substrate.loadBalancer().serviceAnnotations(LoadBalancerIntent.of(LoadBalancerIntent.Exposure.INTERNAL)))
        .containsEntry(LB + "scheme", "internal");
    assertThat(aws("aws: {lb_target_type: instance}\n").loadBalancer()
        .serviceAnnotations(LoadBalancerIntent.of(LoadBalancerIntent.Exposure.PUBLIC)))
        .containsEntry(LB + "nlb-target-type", "instance");
  }

  @Test
  void a_health_check_becomes_the_controllers_healthcheck_annotations() {
    HealthCheck hc = HealthCheck.builder().protocol(HealthCheck.Protocol.HTTP).port(10254).httpPath("/healthz")
        .interval(Duration.ofSeconds(15)).timeout(Duration.ofSeconds(5)).retries(3).build();
    Map<String, String> a = aws("").loadBalancer().serviceAnnotations(LoadBalancerIntent.builder().healthCheck(hc)
        .build());
    assertThat(a).containsEntry(LB + "healthcheck-protocol", "http").containsEntry(LB + "healthcheck-port", "10254")
        .containsEntry(LB + "healthcheck-path", "/healthz").containsEntry(LB + "healthcheck-interval", "15")
        .containsEntry(LB + "healthcheck-unhealthy-threshold", "3")
        .doesNotContainKey(LB + "healthcheck-timeout");
    assertThat(aws("").capability(CapabilityIds.LB_HEALTH_CHECK).orElseThrow().reason())
        .contains("ignores a timeout on NLBs");
  }

  @Test
  void a_health_check_an_nlb_cannot_take_is_a_config_error_naming_the_key() {
    assertThatThrownBy(() -> aws("load_balancer: {health_check: {interval: 2, retries: 1}}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("load_balancer.health_check.interval was '2s' but must be whole seconds from 5 to 300")
        .hasMessageContaining("load_balancer.health_check.retries was '1' but must be from 2 to 10");
  }

  @Test
  void lb_provisioning_needs_the_controller_and_states_the_in_tree_fallback() {
    var provisioning = aws("").capability(CapabilityIds.LB_PROVISIONING).orElseThrow();
    assertThat(provisioning.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
    assertThat(provisioning.reason()).contains("in-tree AWS cloud provider ignores such Services")
        .contains("Classic Load Balancer");
    assertThat(provisioning.remedy()).hasValueSatisfying(r -> assertThat(r).contains("eks/aws-load-balancer-controller")
        .contains("clusterName=prod"));
  }

  @Test
  void the_aws_section_reports_every_problem_at_once_naming_each_key() {
    assertThatThrownBy(() -> aws("aws: {account_id: 12345, efs_file_system_id: efs-1, gpu_ami: ubuntu, "
        + "lb_controller_role_arn: 'arn:aws:iam::999999999999:role/lbc', acount: x}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("aws.account_id was '12345' but must be the 12-digit AWS account id")
        .hasMessageContaining("aws.efs_file_system_id was 'efs-1' but must be an EFS file system id")
        .hasMessageContaining("aws.gpu_ami was 'ubuntu' but must be al2023 or bottlerocket")
        .hasMessageContaining("aws.acount")
        .hasMessageContaining("account_id");
    assertThatThrownBy(() -> aws("aws: {account_id: '123456789012', "
        + "ebs_csi_role_arn: 'arn:aws:iam::999999999999:role/ebs'}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("aws.ebs_csi_role_arn was 'arn:aws:iam::999999999999:role/ebs' but must be a role of "
            + "aws.account_id 123456789012");
  }

  private static SubstrateProvider provider() {
    return ServiceLoader.load(SubstrateProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.id().equals("aws")).findFirst().orElseThrow();
  }

  private static ClusterSnapshot nodes(String providerId, String label) {
    Node node = new NodeBuilder().withNewMetadata().withName("n1").addToLabels(label, "x").endMetadata()
        .withNewSpec().withProviderID(providerId).endSpec().build();
    return ClusterSnapshot.builder().addObjects(ResourceKind.NODES, List.of(node)).build();
  }
}
