package dev.substrate.gke.internal;

import dev.substrate.GpuStack;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;

/** GPU stack {@code gke-managed}: the driver, device plugin and DCGM exporter come with GKE's node image. */
public final class GkeManagedGpuStackProvider implements GpuStackProvider {
  static final String ID = "gke-managed";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public GpuStack create(ProviderContext context) {
    return new GkeManagedGpuStack(context.config());
  }
}
