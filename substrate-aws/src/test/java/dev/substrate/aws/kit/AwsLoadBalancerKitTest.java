package dev.substrate.aws.kit;

import dev.substrate.aws.internal.AwsNlbProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.LoadBalancerProvider;
import dev.substrate.testkit.kit.LoadBalancerCompatibilityKit;

class AwsLoadBalancerKitTest extends LoadBalancerCompatibilityKit {
  @Override
  protected LoadBalancerProvider provider() {
    return new AwsNlbProvider();
  }

  @Override
  protected ProviderContext context() {
    return AwsFacetKits.context();
  }
}
