package dev.substrate.hetzner.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.hetzner.internal.HcloudVolumesStorageProvider;
import dev.substrate.spi.StorageProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.testkit.kit.StorageCompatibilityKit;

class HcloudVolumesStorageKitTest extends StorageCompatibilityKit {
  @Override
  protected StorageProvider provider() {
    return new HcloudVolumesStorageProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: hetzner}"), "hetzner", null);
  }
}
