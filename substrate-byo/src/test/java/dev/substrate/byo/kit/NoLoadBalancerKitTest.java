package dev.substrate.byo.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.byo.internal.NoLoadBalancerProvider;
import dev.substrate.spi.LoadBalancerProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.testkit.kit.LoadBalancerCompatibilityKit;

class NoLoadBalancerKitTest extends LoadBalancerCompatibilityKit {
  @Override
  protected LoadBalancerProvider provider() {
    return new NoLoadBalancerProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: byo}"), "byo", null);
  }
}
