package dev.substrate.byo.internal;

import dev.substrate.GpuStack;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;

/** GPU stack {@code operator}: the NVIDIA GPU Operator, installed through an Argo CD Application. */
public final class OperatorGpuStackProvider implements GpuStackProvider {
  public static final String ID = "operator";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public GpuStack create(ProviderContext context) {
    return new OperatorGpuStack(context.config().gpu(), context.substrateId());
  }
}
