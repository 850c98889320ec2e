package dev.substrate.gke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.ClusterSnapshot;
import dev.substrate.LoadBalancerIntent;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.spi.SubstrateProvider;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class GkeProvidersTest {
  @Test
  void everyGkeProviderIsFoundByItsId() {
    var ids = Substrates.availableIds();
    assertThat(ids.get("substrate")).contains("gke");
    assertThat(ids.get("gpu_stack")).contains("gke-managed");
    assertThat(ids.get("storage")).contains("gke-pd");
    assertThat(ids.get("load_balancer")).contains("gke");
  }

  @Test
  void theGkeSubstrateUsesItsDefaults() {
    Substrate gke = Substrates.create(SubstrateConfig.parse("substrate: {id: gke}\ncluster: {projectID: acme-ml}\n"));
    assertThat(gke.gpuStack().id()).isEqualTo("gke-managed");
    assertThat(gke.storage().id()).isEqualTo("gke-pd");
    assertThat(gke.storage().provisioner()).contains("pd.csi.storage.gke.io");
    assertThat(gke.loadBalancer().id()).isEqualTo("gke");
    assertThat(gke.secrets().id()).isEqualTo("gcp-secret-manager");
    assertThat(gke.capability(CapabilityIds.GPU_SCALE_TO_ZERO).orElseThrow().state())
        .isEqualTo(CapabilityState.SUPPORTED);
  }

  @Test
  void anInternalIntentBecomesTheGkeAnnotation() {
    Substrate gke = Substrates.create(SubstrateConfig.parse("substrate: {id: gke}"));
    assertThat(gke.loadBalancer().serviceAnnotations(LoadBalancerIntent.of(LoadBalancerIntent.Exposure.INTERNAL)))
        .containsEntry("networking.gke.io/load-balancer-type", "Internal");
    assertThat(gke.loadBalancer().serviceAnnotations(LoadBalancerIntent.of(LoadBalancerIntent.Exposure.PUBLIC)))
        .isEmpty();
  }

  @Test
  void aHealthCheckIsNotRenderedAndTheCapabilitySaysSo() {
    Substrate gke = Substrates.create(SubstrateConfig.parse("substrate: {id: gke}"));
    LoadBalancerIntent.HealthCheck hc = LoadBalancerIntent.HealthCheck.builder()
        .protocol(LoadBalancerIntent.HealthCheck.Protocol.HTTP).httpPath("/healthz").retries(3).build();
    assertThat(gke.loadBalancer().serviceAnnotations(LoadBalancerIntent.builder().healthCheck(hc).build())).isEmpty();
    var capability = gke.capability(CapabilityIds.LB_HEALTH_CHECK).orElseThrow();
    assertThat(capability.state()).isEqualTo(CapabilityState.UNSUPPORTED);
    assertThat(capability.reason()).contains("GKE makes an L4 load balancer's health check itself")
        .contains("not rendered");
    assertThat(capability.remedy()).hasValueSatisfying(r -> assertThat(r).contains("HealthCheckPolicy")
        .contains("BackendConfig"));
  }

  @Test
  void gceNodesAreRecognisedAndOthersAreNot() {
    SubstrateProvider gke = ServiceLoader.load(SubstrateProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.id().equals("gke")).findFirst().orElseThrow();
    assertThat(gke.detect(nodes("gce://acme-ml/europe-west4-a/gke-prod-pool-1"))).hasValueSatisfying(d -> {
      assertThat(d.score()).isEqualTo(90);
      assertThat(d.evidence()).contains("gce://");
    });
    assertThat(gke.detect(nodes("hcloud://123"))).isEmpty();
  }

  private static ClusterSnapshot nodes(String providerId) {
    Node node = new NodeBuilder().withNewMetadata().withName("n1")
        .addToLabels("cloud.google.com/gke-nodepool", "pool").endMetadata()
        .withNewSpec().withProviderID(providerId).endSpec().build();
    return ClusterSnapshot.builder().addObjects(ResourceKind.NODES, List.of(node)).build();
  }
}
