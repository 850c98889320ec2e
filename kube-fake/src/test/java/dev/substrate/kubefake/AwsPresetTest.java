package dev.substrate.kubefake;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The EKS preset: EC2 nodes with EKS and Karpenter labels, one p5 GPU node, EBS/EFS CSI, the LB controller, ESO. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AwsPresetTest {
  @Test
  void nodes_are_ec2_instances_of_a_managed_node_group_and_one_karpenter_p5() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.AWS)) {
      List<Node> nodes = cluster.client().nodes().list().getItems();

      assertThat(nodes).hasSize(4).allSatisfy(n -> {
        assertThat(n.getSpec().getProviderID()).matches("aws:///eu-west-1[abc]/i-0[0-9a-f]{16}");
        assertThat(n.getMetadata().getName()).matches("ip-10-0-\\d+-\\d+\\.eu-west-1\\.compute\\.internal");
        assertThat(n.getMetadata().getLabels()).containsEntry("topology.kubernetes.io/region", "eu-west-1")
            .containsKeys("node.kubernetes.io/instance-type", "topology.kubernetes.io/zone");
      });
      assertThat(nodes).filteredOn(n -> n.getMetadata().getLabels().containsKey("eks.amazonaws.com/nodegroup"))
          .hasSize(3);
      assertThat(nodes).filteredOn(n -> "p5.48xlarge".equals(n.getMetadata().getLabels()
          .get("node.kubernetes.io/instance-type"))).singleElement().satisfies(n -> {
            assertThat(n.getMetadata().getLabels()).containsEntry("karpenter.sh/nodepool", "gpu")
                .containsEntry("karpenter.k8s.aws/instance-gpu-name", "h100")
                .containsEntry("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3");
            assertThat(n.getStatus().getAllocatable()).containsEntry("nvidia.com/gpu", new Quantity("8"));
          });
      assertThat(cluster.oidc().issuer()).matches("https://oidc\\.eks\\.eu-west-1\\.amazonaws\\.com/id/[0-9A-F]{32}");
    }
  }

  @Test
  void runs_the_csi_drivers_the_lb_controller_and_a_ready_store_on_secrets_manager() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.AWS)) {
      KubernetesClient client = cluster.client();
      assertThat(client.storage().v1().csiDrivers().list().getItems()).extracting(d -> d.getMetadata().getName())
          .contains("ebs.csi.aws.com", "efs.csi.aws.com");
      assertThat(client.apps().deployments().inNamespace("kube-system").withName("aws-load-balancer-controller").get()
          .getStatus().getReadyReplicas()).isEqualTo(2);
      Service ingress = client.services().inNamespace("ingress-nginx").withName("ingress-nginx-controller").get();
      assertThat(ingress.getMetadata().getAnnotations())
          .containsEntry("service.beta.kubernetes.io/aws-load-balancer-type", "external");
      assertThat(ingress.getStatus().getLoadBalancer().getIngress()).singleElement()
          .satisfies(i -> assertThat(i.getHostname()).endsWith(".elb.eu-west-1.amazonaws.com"));
      GenericKubernetesResource store = client.genericKubernetesResources("external-secrets.io/v1",
          "ClusterSecretStore").withName("secret-store").get();
      Map<?, ?> provider = (Map<?, ?>) ((Map<?, ?>) store.getAdditionalProperties().get("spec")).get("provider");
      assertThat(((Map<?, ?>) provider.get("aws")).get("service")).isEqualTo("SecretsManager");
      assertThat(client.serviceAccounts().inNamespace("external-secrets").withName("external-secrets").get()
          .getMetadata().getAnnotations()).containsKey("eks.amazonaws.com/role-arn");
      assertThat(ClusterPreset.AWS.exampleConfig()).contains("location: eu-west-1");
    }
  }
}
