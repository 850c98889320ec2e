package dev.substrate.gke.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.gke.internal.GkeManagedGpuStackProvider;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.testkit.kit.GpuStackCompatibilityKit;

class GkeManagedGpuStackKitTest extends GpuStackCompatibilityKit {
  @Override
  protected GpuStackProvider provider() {
    return new GkeManagedGpuStackProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: gke}"), "gke", null);
  }
}
