package dev.substrate.byo.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.byo.internal.NoGpuStackProvider;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.testkit.kit.GpuStackCompatibilityKit;

class NoGpuStackKitTest extends GpuStackCompatibilityKit {
  @Override
  protected GpuStackProvider provider() {
    return new NoGpuStackProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: byo}"), "byo", null);
  }
}
