package dev.substrate.byo.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckStatus;
import dev.substrate.GpuStack;
import dev.substrate.RenderContext;
import dev.substrate.spi.checks.GpuChecks;
import dev.substrate.spi.Check;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** GPU stack {@code external}: the driver, toolkit and device plugin are run by someone other than Substrate. */
public final class ExternalGpuStackProvider implements GpuStackProvider {
  public static final String ID = "external";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public GpuStack create(ProviderContext context) {
    return new External();
  }

  private static final class External implements GpuStack {
    @Override
    public String id() {
      return ID;
    }

    @Override
    public List<Capability> capabilities() {
      return List.of(
          Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
              "the GPU stack is managed outside Substrate, so whoever runs it installs and upgrades the NVIDIA driver",
              "keep the NVIDIA driver, container toolkit and device plugin current on every GPU node, or set "
                  + "gpu_stack: operator"),
          Capability.of(CapabilityIds.GPU_TIME_SLICING, CapabilityState.NEEDS_ACTION,
              "time-slicing depends on the sharing config of a device plugin managed outside Substrate",
              "give the NVIDIA device plugin a config with sharing.timeSlicing.resources "
                  + "[{name: nvidia.com/gpu, replicas: N}]"),
          Capability.of(CapabilityIds.GPU_MPS, CapabilityState.NEEDS_ACTION,
              "MPS sharing depends on the sharing config of a device plugin managed outside Substrate",
              "give the NVIDIA device plugin a config with sharing.mps.resources [{name: nvidia.com/gpu, replicas: N}]"
                  + " on GPUs without MIG"),
          Capability.of(CapabilityIds.GPU_MIG, CapabilityState.NEEDS_ACTION,
              "MIG works only on MIG-capable GPUs (A100, A30, H100, H200, B200, RTX PRO 6000 Blackwell) and depends "
                  + "on the MIG strategy of a stack managed outside Substrate",
              "set the device plugin's migStrategy and partition the GPUs (e.g. with NVIDIA's mig-parted)"),
          Capability.of(CapabilityIds.GPU_SCALE_TO_ZERO, CapabilityState.NEEDS_ACTION,
              "whether GPU nodes scale to zero depends on the node provisioner, which a bring-your-own cluster "
                  + "supplies itself",
              "run a cluster autoscaler for the GPU node group with a minimum size of 0, or scale GPU pods to zero "
                  + "with KEDA"));
    }

    @Override
    public List<HasMetadata> resources(RenderContext context) {
      return List.of();
    }

    @Override
    public List<Check> checks() {
      return List.of(
          GpuChecks.nodesAdvertise("check the NVIDIA driver and device plugin on those nodes "
              + "(kubectl describe node shows whether nvidia.com/gpu is allocatable)"),
          GpuChecks.dcgmExporter(CheckStatus.WARN));
    }
  }
}
