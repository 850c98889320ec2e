package dev.substrate.spi;

import dev.substrate.Storage;

/** Creates the storage facet; shipped ids: {@code gke-pd, hcloud-volumes, default-class}. */
public interface StorageProvider extends Provider {
  /** Creates the facet for {@code context}; throws {@link dev.substrate.ConfigException} on bad config. */
  Storage create(ProviderContext context);
}
