package dev.substrate.aws.kit;

import dev.substrate.aws.internal.EksAcceleratedGpuStackProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.testkit.kit.GpuStackCompatibilityKit;

class AwsGpuStackKitTest extends GpuStackCompatibilityKit {
  @Override
  protected GpuStackProvider provider() {
    return new EksAcceleratedGpuStackProvider();
  }

  @Override
  protected ProviderContext context() {
    return AwsFacetKits.context();
  }
}
