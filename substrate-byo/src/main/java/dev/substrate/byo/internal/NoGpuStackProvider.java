package dev.substrate.byo.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.GpuStack;
import dev.substrate.RenderContext;
import dev.substrate.spi.checks.GpuChecks;
import dev.substrate.spi.Check;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** GPU stack {@code none}: a cluster without GPUs. */
public final class NoGpuStackProvider implements GpuStackProvider {
  public static final String ID = "none";
  static final String REASON = "no GPU stack configured";
  static final String REMEDY = "set gpu_stack: operator (or external) on a cluster with NVIDIA GPU nodes";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public GpuStack create(ProviderContext context) {
    return new None();
  }

  private static final class None implements GpuStack {
    @Override
    public String id() {
      return ID;
    }

    @Override
    public List<Capability> capabilities() {
      return List.of(
          Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.UNSUPPORTED, REASON, REMEDY),
          Capability.of(CapabilityIds.GPU_TIME_SLICING, CapabilityState.UNSUPPORTED, REASON, REMEDY),
          Capability.of(CapabilityIds.GPU_MPS, CapabilityState.UNSUPPORTED, REASON, REMEDY),
          Capability.of(CapabilityIds.GPU_MIG, CapabilityState.UNSUPPORTED, REASON, REMEDY),
          Capability.of(CapabilityIds.GPU_SCALE_TO_ZERO, CapabilityState.UNSUPPORTED, REASON, REMEDY));
    }

    @Override
    public List<HasMetadata> resources(RenderContext context) {
      return List.of();
    }

    @Override
    public List<Check> checks() {
      return List.of(GpuChecks.noGpuStack());
    }
  }
}
