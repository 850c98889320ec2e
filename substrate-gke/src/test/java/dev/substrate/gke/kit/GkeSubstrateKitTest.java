package dev.substrate.gke.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.gke.internal.GkeSubstrateProvider;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.spi.SubstrateProvider;
import dev.substrate.testkit.kit.SubstrateCompatibilityKit;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;

class GkeSubstrateKitTest extends SubstrateCompatibilityKit {
  @Override
  protected SubstrateProvider provider() {
    return new GkeSubstrateProvider();
  }

  @Override
  protected List<GenericKubernetesResource> matchingNodes() {
    return nodesOf(ClusterPreset.GKE);
  }

  @Override
  protected SubstrateConfig config() {
    return SubstrateConfig.parse("cluster: {projectID: acme-ml, name: prod}");
  }
}
