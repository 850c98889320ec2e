package dev.substrate.proxmox.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.proxmox.internal.ProxmoxSubstrateProvider;
import dev.substrate.spi.SubstrateProvider;
import dev.substrate.testkit.kit.SubstrateCompatibilityKit;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;

class ProxmoxSubstrateKitTest extends SubstrateCompatibilityKit {
  @Override
  protected SubstrateProvider provider() {
    return new ProxmoxSubstrateProvider();
  }

  /** The home pool of the hybrid preset: its nodes with {@code proxmox://} providerIDs. */
  @Override
  protected List<GenericKubernetesResource> matchingNodes() {
    return nodesOf(ClusterPreset.HYBRID).stream().filter(n -> String.valueOf(n.getAdditionalProperties().get("spec"))
        .contains("proxmox://")).toList();
  }

  @Override
  protected SubstrateConfig config() {
    return SubstrateConfig.parse("profile: prod\nload_balancer: {addresses: [192.168.1.240-192.168.1.250]}\n"
        + "proxmox: {storage: local-lvm, region: home}\n");
  }
}
