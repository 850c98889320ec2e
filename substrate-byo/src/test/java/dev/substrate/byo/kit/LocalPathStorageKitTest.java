package dev.substrate.byo.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.byo.internal.LocalPathStorageProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.StorageProvider;
import dev.substrate.testkit.kit.StorageCompatibilityKit;

class LocalPathStorageKitTest extends StorageCompatibilityKit {
  @Override
  protected StorageProvider provider() {
    return new LocalPathStorageProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: byo}\nstorage: {provider: local-path}"), "byo",
        null);
  }
}
