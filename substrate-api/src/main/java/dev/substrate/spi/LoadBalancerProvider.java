package dev.substrate.spi;

import dev.substrate.LoadBalancer;

/** Creates the load balancing facet; shipped ids: {@code gke, hcloud, metallb, none}. */
public interface LoadBalancerProvider extends Provider {
  /** Creates the facet for {@code context}; throws {@link dev.substrate.ConfigException} on bad config. */
  LoadBalancer create(ProviderContext context);
}
