package dev.substrate.byo.kit;

import dev.substrate.byo.internal.ByoSubstrateProvider;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.spi.SubstrateProvider;
import dev.substrate.testkit.kit.SubstrateCompatibilityKit;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;

class ByoSubstrateKitTest extends SubstrateCompatibilityKit {
  @Override
  protected SubstrateProvider provider() {
    return new ByoSubstrateProvider();
  }

  @Override
  protected List<GenericKubernetesResource> matchingNodes() {
    return nodesOf(ClusterPreset.BYO);
  }
}
