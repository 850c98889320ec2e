package dev.substrate.byo.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.byo.internal.MetalLbProvider;
import dev.substrate.spi.LoadBalancerProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.testkit.kit.LoadBalancerCompatibilityKit;

class MetalLbKitTest extends LoadBalancerCompatibilityKit {
  @Override
  protected LoadBalancerProvider provider() {
    return new MetalLbProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("load_balancer: {provider: metallb, addresses: [192.0.2.10-192.0.2.20, 198.51.100.0/28]}"), "byo", null);
  }
}
