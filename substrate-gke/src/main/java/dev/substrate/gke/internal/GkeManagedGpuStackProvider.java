package dev.substrate.gke.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.GpuStack;
import dev.substrate.RenderContext;
import dev.substrate.spi.Check;
import dev.substrate.spi.checks.GpuChecks;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** GPU stack {@code gke-managed}: the driver, device plugin and DCGM come with GKE's node image. */
public final class GkeManagedGpuStackProvider implements GpuStackProvider {
  static final String ID = "gke-managed";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public GpuStack create(ProviderContext context) {
    return new GpuStack() {
      @Override
      public String id() {
        return ID;
      }

      @Override
      public List<Capability> capabilities() {
        return List.of(
            Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.SUPPORTED,
                "GKE installs the NVIDIA driver, device plugin and DCGM with the node image", null),
            Capability.of(CapabilityIds.GPU_SCALE_TO_ZERO, CapabilityState.SUPPORTED,
                "GPU node pools autoscale down to zero nodes", null),
            Capability.of(CapabilityIds.GPU_MIG, CapabilityState.NEEDS_ACTION,
                "MIG depends on the accelerator: A100, H100 and H200 partition, T4 and L4 do not",
                "create the node pool with --accelerator ...,gpu-partition-size=<profile> on a MIG-capable GPU"),
            Capability.of(CapabilityIds.GPU_TIME_SLICING, CapabilityState.NEEDS_ACTION,
                "GKE shares GPUs by time-sharing when the node pool asks for it",
                "create the node pool with gpu-sharing-strategy=time-sharing,max-shared-clients-per-gpu=N"),
            Capability.of(CapabilityIds.GPU_MPS, CapabilityState.NEEDS_ACTION,
                "GKE shares GPUs through NVIDIA MPS when the node pool asks for it",
                "create the node pool with gpu-sharing-strategy=mps,max-shared-clients-per-gpu=N"));
      }

      @Override
      public List<HasMetadata> resources(RenderContext context) {
        return List.of();
      }

      @Override
      public List<Check> checks() {
        return List.of(GpuChecks.nodesAdvertise(
            "check the node pool's --accelerator flag and the nvidia-gpu-device-plugin DaemonSet in kube-system"));
      }
    };
  }
}
