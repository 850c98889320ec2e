package dev.substrate.hetzner.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.hetzner.internal.HcloudLoadBalancerProvider;
import dev.substrate.spi.LoadBalancerProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.testkit.kit.LoadBalancerCompatibilityKit;

class HcloudLoadBalancerKitTest extends LoadBalancerCompatibilityKit {
  @Override
  protected LoadBalancerProvider provider() {
    return new HcloudLoadBalancerProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: hetzner}"), "hetzner", null);
  }
}
