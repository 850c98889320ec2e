package dev.substrate.aws.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.aws.internal.AwsSubstrateProvider;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.spi.SubstrateProvider;
import dev.substrate.testkit.kit.SubstrateCompatibilityKit;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;

class AwsSubstrateKitTest extends SubstrateCompatibilityKit {
  @Override
  protected SubstrateProvider provider() {
    return new AwsSubstrateProvider();
  }

  @Override
  protected List<GenericKubernetesResource> matchingNodes() {
    return nodesOf(ClusterPreset.AWS);
  }

  @Override
  protected SubstrateConfig config() {
    return SubstrateConfig.parse(ClusterPreset.AWS.exampleConfig() + AwsFacetKits.BACKEND);
  }
}
