package dev.substrate.hetzner.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.hetzner.internal.HetznerGpuStackProvider;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.testkit.kit.GpuStackCompatibilityKit;

class HetznerGpuStackKitTest extends GpuStackCompatibilityKit {
  @Override
  protected GpuStackProvider provider() {
    return new HetznerGpuStackProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: hetzner}"), "hetzner", null);
  }
}
