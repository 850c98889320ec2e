package dev.substrate.byo.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.byo.internal.TalosGpuStackProvider;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.testkit.kit.GpuStackCompatibilityKit;

class TalosGpuStackKitTest extends GpuStackCompatibilityKit {
  @Override
  protected GpuStackProvider provider() {
    return new TalosGpuStackProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: byo}\ngpu_stack: talos"), "byo", null);
  }
}
