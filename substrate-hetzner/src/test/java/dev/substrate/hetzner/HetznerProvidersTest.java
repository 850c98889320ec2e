package dev.substrate.hetzner;

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

class HetznerProvidersTest {
  @Test
  void everyHetznerProviderIsFoundByItsId() {
    var ids = Substrates.availableIds();
    assertThat(ids.get("substrate")).contains("hetzner");
    assertThat(ids.get("storage")).contains("hcloud-volumes");
    assertThat(ids.get("load_balancer")).contains("hcloud");
  }

  @Test
  void theHetznerSubstrateUsesItsDefaults() {
    Substrate hetzner = Substrates.create(SubstrateConfig.parse("substrate: {id: hetzner}"));
    assertThat(hetzner.gpuStack().id()).isEqualTo("hetzner-gpu");
    assertThat(hetzner.storage().provisioner()).contains("csi.hetzner.cloud");
    assertThat(hetzner.storage().defaultClassName()).contains("hcloud-volumes");
    assertThat(hetzner.capability(CapabilityIds.STORAGE_RWX).orElseThrow().state())
        .isEqualTo(CapabilityState.UNSUPPORTED);
    assertThat(hetzner.capability(CapabilityIds.STORAGE_SNAPSHOTS).orElseThrow().state())
        .isEqualTo(CapabilityState.UNSUPPORTED);
    assertThat(hetzner.config().secretStoreAuth()).hasValueSatisfying(a -> assertThat(a.id()).isEqualTo("wif"));
  }

  @Test
  void aLoadBalancerIntentBecomesCcmAnnotations() {
    Substrate hetzner = Substrates.create(SubstrateConfig.parse("substrate: {id: hetzner}"));
    var annotations = hetzner.loadBalancer().serviceAnnotations(LoadBalancerIntent.builder()
        .exposure(LoadBalancerIntent.Exposure.INTERNAL).location("fsn1").lbType("lb11").build());
    assertThat(annotations)
        .containsEntry("load-balancer.hetzner.cloud/location", "fsn1")
        .containsEntry("load-balancer.hetzner.cloud/type", "lb11")
        .containsEntry("load-balancer.hetzner.cloud/disable-public-network", "true")
        .containsEntry("load-balancer.hetzner.cloud/use-private-ip", "true");
  }

  @Test
  void cloudAndRobotNodesAreRecognised() {
    SubstrateProvider hetzner = ServiceLoader.load(SubstrateProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.id().equals("hetzner")).findFirst().orElseThrow();
    ClusterSnapshot mixed = ClusterSnapshot.builder().addObjects(ResourceKind.NODES,
        List.of(node("cpx41-1", "hcloud://4711"), node("gex44-1", "hrobot://2345678"))).build();
    assertThat(hetzner.detect(mixed)).hasValueSatisfying(d -> {
      assertThat(d.score()).isEqualTo(90);
      assertThat(d.evidence()).contains("1 hcloud://").contains("1 hrobot://");
    });
    ClusterSnapshot gke = ClusterSnapshot.builder().addObjects(ResourceKind.NODES,
        List.of(node("gke-1", "gce://p/z/gke-1"))).build();
    assertThat(hetzner.detect(gke)).isEmpty();
  }

  private static Node node(String name, String providerId) {
    return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withProviderID(providerId).endSpec().build();
  }
}
