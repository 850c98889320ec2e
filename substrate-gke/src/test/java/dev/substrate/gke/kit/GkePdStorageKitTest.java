package dev.substrate.gke.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.gke.internal.GkePdStorageProvider;
import dev.substrate.spi.StorageProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.testkit.kit.StorageCompatibilityKit;

class GkePdStorageKitTest extends StorageCompatibilityKit {
  @Override
  protected StorageProvider provider() {
    return new GkePdStorageProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: gke}"), "gke", null);
  }
}
