package dev.substrate.byo.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.byo.internal.OperatorGpuStackProvider;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.testkit.kit.GpuStackCompatibilityKit;

class OperatorGpuStackKitTest extends GpuStackCompatibilityKit {
  @Override
  protected GpuStackProvider provider() {
    return new OperatorGpuStackProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: byo}"), "byo", null);
  }
}
