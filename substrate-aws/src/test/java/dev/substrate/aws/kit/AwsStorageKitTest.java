package dev.substrate.aws.kit;

import dev.substrate.aws.internal.EbsStorageProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.StorageProvider;
import dev.substrate.testkit.kit.StorageCompatibilityKit;

class AwsStorageKitTest extends StorageCompatibilityKit {
  @Override
  protected StorageProvider provider() {
    return new EbsStorageProvider();
  }

  @Override
  protected ProviderContext context() {
    return AwsFacetKits.context();
  }
}
