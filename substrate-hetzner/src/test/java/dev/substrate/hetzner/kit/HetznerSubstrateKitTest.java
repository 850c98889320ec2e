package dev.substrate.hetzner.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.hetzner.internal.HetznerSubstrateProvider;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.spi.SubstrateProvider;
import dev.substrate.testkit.kit.SubstrateCompatibilityKit;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;

class HetznerSubstrateKitTest extends SubstrateCompatibilityKit {
  @Override
  protected SubstrateProvider provider() {
    return new HetznerSubstrateProvider();
  }

  @Override
  protected List<GenericKubernetesResource> matchingNodes() {
    return nodesOf(ClusterPreset.HETZNER);
  }

  @Override
  protected SubstrateConfig config() {
    return SubstrateConfig.parse("cluster: {projectID: acme-ml, name: prod}\n"
        + "wif: {audience: //iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/hetzner/providers/k3s-oidc}");
  }
}
