package dev.substrate.byo.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.byo.internal.DefaultClassStorageProvider;
import dev.substrate.spi.StorageProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.testkit.kit.StorageCompatibilityKit;

class DefaultClassStorageKitTest extends StorageCompatibilityKit {
  @Override
  protected StorageProvider provider() {
    return new DefaultClassStorageProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: byo}"), "byo", null);
  }
}
