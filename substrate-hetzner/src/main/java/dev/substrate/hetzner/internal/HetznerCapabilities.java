package dev.substrate.hetzner.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.GpuConfig;
import dev.substrate.SubstrateConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What is true of Hetzner's GPU servers whichever GPU stack runs on them: dedicated Robot machines that never scale to
 * zero, carrying Ada GPUs without MIG (except the GEX131), whose operating system and firmware are the user's. They
 * refine the GPU stack's capabilities with the same ids.
 */
final class HetznerCapabilities {
  static final String OPERATOR = "operator";
  static final String NONE = "none";

  private HetznerCapabilities() {}

  /**
   * {@code gpu.scale-to-zero} always (the servers are what they are); {@code gpu.mig} unless there is no GPU stack;
   * {@code gpu.driver-management} when the GPU Operator installs the driver, since its prerequisites are the servers'.
   */
  static List<Capability> of(SubstrateConfig config) {
    String stack = config.gpuStack().orElse(OPERATOR);
    List<Capability> out = new ArrayList<>();
    out.add(Capability.of(CapabilityIds.GPU_SCALE_TO_ZERO, CapabilityState.UNSUPPORTED,
        "Hetzner's GPU servers are dedicated Robot machines (GEX44, GEX130): bare metal, provisioned in days and "
            + "paid 24/7, so no autoscaler adds or removes GPU nodes",
        "keep the GPU nodes and scale the workload pods to zero instead, e.g. with KEDA, on a node the model is "
            + "pinned to (nodeSelector node.kubernetes.io/instance-type)"));
    if (!NONE.equals(stack)) {
      out.add(Capability.of(CapabilityIds.GPU_MIG, CapabilityState.UNSUPPORTED,
          "Hetzner's GEX44 and GEX130 carry Ada Lovelace GPUs without MIG, " + GpuCatalog.RTX_4000_SFF_ADA.describe()
              + " and " + GpuCatalog.RTX_6000_ADA.describe() + "; only a GEX131's "
              + GpuCatalog.RTX_PRO_6000_BLACKWELL.describe() + " partitions (1g.24gb x4, 2g.48gb x2, 4g.96gb x1)",
          "share Ada GPUs by time-slicing or MPS (gpu.tenancy.mode), which isolate softly and do not isolate "
              + "memory; order a GEX131 for MIG"));
    }
    if (OPERATOR.equals(stack)) {
      out.add(driverManagement(config.gpu()));
    }
    return out;
  }

  private static Capability driverManagement(GpuConfig gpu) {
    if (!gpu.driverEnabled()) {
      return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
          "gpu.operator.driver.enabled is false, so the NVIDIA driver must already be installed on every Robot "
              + "GPU server",
          "install the NVIDIA driver on each GPU server's host (installimage, then the driver packages), or set "
              + "gpu.operator.driver.enabled: true");
    }
    return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
        "the GPU Operator installs the NVIDIA driver, but the Robot servers' operating system is yours: "
            + (gpu.driverPrecompiled() ? "precompiled driver containers exist only for some kernels"
                : "the driver is compiled on each node against its kernel headers")
            + ", and an unsigned driver does not load with Secure Boot on",
        (gpu.driverPrecompiled() ? "run a kernel NVIDIA publishes precompiled driver containers for"
            : "set gpu.operator.driver.precompiled: true (recommended) or install kernel headers matching the "
                + "running kernel")
            + ", and turn Secure Boot off in the GPU servers' firmware (Ada GPUs)");
  }
}
