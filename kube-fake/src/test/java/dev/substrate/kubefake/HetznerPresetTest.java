package dev.substrate.kubefake;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The parts of the Hetzner preset a self-managed GPU platform adds: the GPU Operator, an hcloud LB, ESO over WIF. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HetznerPresetTest {
  @Test
  void runs_the_gpu_operator_on_the_robot_gpu_servers() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER).nodes(8).start()) {
      KubernetesClient client = cluster.client();
      GenericKubernetesResource policy = client.genericKubernetesResources("nvidia.com/v1", "ClusterPolicy")
          .withName("cluster-policy").get();
      assertThat(((Map<?, ?>) policy.getAdditionalProperties().get("status")).get("state")).isEqualTo("ready");
      List<DaemonSet> operands = client.apps().daemonSets().inNamespace("gpu-operator").list().getItems();
      assertThat(operands).extracting(d -> d.getMetadata().getName()).contains("nvidia-driver-daemonset",
          "nvidia-device-plugin-daemonset", "nvidia-dcgm-exporter", "gpu-feature-discovery");
      assertThat(operands).allSatisfy(d -> assertThat(d.getStatus().getNumberReady()).isEqualTo(2));
      assertThat(client.nodes().withLabel("nvidia.com/gpu.deploy.driver", "true").list().getItems())
          .allSatisfy(n -> assertThat(n.getSpec().getProviderID()).startsWith("hrobot://"));
    }
  }

  @Test
  void exposes_ingress_through_an_hcloud_load_balancer_and_keeps_the_store_ready() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.HETZNER)) {
      KubernetesClient client = cluster.client();
      Service ingress = client.services().inNamespace("ingress-nginx").withName("ingress-nginx-controller").get();
      assertThat(ingress.getSpec().getType()).isEqualTo("LoadBalancer");
      assertThat(ingress.getMetadata().getAnnotations())
          .containsEntry("load-balancer.hetzner.cloud/health-check-interval", "15s")
          .containsEntry("load-balancer.hetzner.cloud/use-private-ip", "true");
      assertThat(ingress.getStatus().getLoadBalancer().getIngress()).isNotEmpty();
      GenericKubernetesResource store = client.genericKubernetesResources("external-secrets.io/v1",
          "ClusterSecretStore").withName("secret-store").get();
      assertThat(store.getAdditionalProperties().get("spec").toString()).contains("workloadIdentityFederation");
    }
  }
}
