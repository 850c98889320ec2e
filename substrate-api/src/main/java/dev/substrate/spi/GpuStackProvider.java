package dev.substrate.spi;

import dev.substrate.GpuStack;

/** Creates the GPU stack facet; shipped ids: {@code gke-managed, operator, external, none}. */
public interface GpuStackProvider extends Provider {
  /** Creates the facet for {@code context}; throws {@link dev.substrate.ConfigException} on bad config. */
  GpuStack create(ProviderContext context);
}
