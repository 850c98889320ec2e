package dev.substrate.gke.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.gke.internal.GkeLoadBalancerProvider;
import dev.substrate.spi.LoadBalancerProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.testkit.kit.LoadBalancerCompatibilityKit;

class GkeLoadBalancerKitTest extends LoadBalancerCompatibilityKit {
  @Override
  protected LoadBalancerProvider provider() {
    return new GkeLoadBalancerProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: gke}"), "gke", null);
  }
}
