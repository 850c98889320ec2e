package dev.substrate.byo.internal;

import dev.substrate.GpuStack;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;

/**
 * GPU stack {@code talos}: the NVIDIA GPU Operator on Talos Linux, with the driver and toolkit from Talos system
 * extensions.
 */
public final class TalosGpuStackProvider implements GpuStackProvider {
  public static final String ID = "talos";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public GpuStack create(ProviderContext context) {
    return new OperatorGpuStack(context.config().gpu(), context.substrateId(), true);
  }
}
