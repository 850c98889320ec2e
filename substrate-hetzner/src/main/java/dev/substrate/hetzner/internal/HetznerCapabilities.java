package dev.substrate.hetzner.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.GpuConfig;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.gpu.GpuCatalog;
import dev.substrate.spi.gpu.GpuModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What is true of Hetzner's GPU servers whichever GPU stack runs on them: dedicated Robot machines that never scale to
 * zero, whose GPUs partition with MIG or not by server type, and whose operating system and firmware are the user's.
 * They refine the GPU stack's capabilities with the same ids.
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
        "Hetzner's GPU servers are dedicated Robot machines (GEX44, GEX45, GEX130, GEX131): bare metal, "
            + "provisioned in days and paid 24/7, so no autoscaler adds or removes GPU nodes",
        "keep the GPU nodes and scale the workload pods to zero instead, e.g. with KEDA, on a node the model is "
            + "pinned to (nodeSelector node.kubernetes.io/instance-type)"));
    if (!NONE.equals(stack)) {
      out.add(mig());
    }
    if (OPERATOR.equals(stack)) {
      out.add(driverManagement(config.gpu()));
    }
    return out;
  }

  /**
   * {@code gpu.mig} depends on the server type: only a GEX131's RTX PRO 6000 Blackwell partitions (DOMAIN §6.1; its
   * {@code all-1g.24gb} layout is in the operator's default mig-parted config, NVIDIA/gpu-operator v26.7.0
   * assets/state-mig-manager/0400_configmap.yaml).
   */
  static Capability mig() {
    List<String> mig = new ArrayList<>();
    List<String> noMig = new ArrayList<>();
    new TreeMap<>(HetznerGpus.CATALOG.offerings()).forEach((server, gpu) ->
        (gpu.mig() ? mig : noMig).add(server + "'s " + gpu.describe()));
    GpuModel pro6000 = GpuCatalog.RTX_PRO_6000_BLACKWELL;
    return Capability.of(CapabilityIds.GPU_MIG, CapabilityState.NEEDS_ACTION,
        "MIG depends on the Hetzner GPU server type: " + String.join(", ", mig) + " partitions ("
            + profiles(pro6000) + "); " + String.join(", ", noMig) + " do not",
        "for MIG order a GEX131, set gpu.tenancy.mode: mig and label the node nvidia.com/mig.config=all-"
            + smallest(pro6000) + "; on the other servers share GPUs by time-slicing or MPS (gpu.tenancy.mode), "
            + "which isolate softly and do not isolate memory");
  }

  /** The compute profiles, without the media and graphics variants ({@code +me}, {@code -me}, {@code +gfx}). */
  private static Map<String, Integer> plainProfiles(GpuModel p) {
    Map<String, Integer> out = new TreeMap<>();
    p.migProfiles().forEach((profile, count) -> {
      if (profile.matches("\\d+g\\.\\d+gb")) {
        out.put(profile, count);
      }
    });
    return out;
  }

  private static String profiles(GpuModel p) {
    List<String> out = new ArrayList<>();
    plainProfiles(p).forEach((profile, count) -> out.add(profile + " x" + count));
    return String.join(", ", out);
  }

  /** The profile with the most instances, e.g. {@code 1g.24gb}. */
  private static String smallest(GpuModel p) {
    return plainProfiles(p).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  /**
   * Precompiled driver containers carry Canonical's signed modules (x86_64), so they load with Secure Boot on; the
   * compiled driver's modules are unsigned. Sources: NVIDIA/gpu-driver-container ubuntu24.04/precompiled/nvidia-driver
   * and ubuntu24.04/nvidia-driver; NVIDIA/cloud-native-docs gpu-operator/precompiled-drivers.rst and
   * install-gpu-operator-outdated-kernels.rst (the driver container installs the headers itself).
   */
  private static Capability driverManagement(GpuConfig gpu) {
    if (!gpu.driverEnabled()) {
      return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
          "gpu.operator.driver.enabled is false, so the NVIDIA driver must already be installed on every Robot "
              + "GPU server",
          "install the NVIDIA driver on each GPU server's host (installimage, then the driver packages), or set "
              + "gpu.operator.driver.enabled: true");
    }
    if (gpu.driverPrecompiled()) {
      return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
          "the GPU Operator installs the NVIDIA driver, but the Robot servers' operating system is yours: NVIDIA "
              + "publishes precompiled driver containers of branch " + gpu.driverBranch() + " only for Ubuntu LTS "
              + "kernels of the generic, aws, azure, nvidia and oracle flavours; their modules are signed, so they "
              + "also load with Secure Boot on",
          "install Ubuntu with its generic kernel on the GPU servers (installimage) and keep a kernel NVIDIA publishes "
              + "nvcr.io/nvidia/driver:" + gpu.driverBranch() + "-<kernel>-<os> for");
    }
    return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
        "the GPU Operator installs the NVIDIA driver, but the Robot servers' operating system is yours: the driver "
            + "is compiled on each node against its kernel headers, and the modules it builds are unsigned, so they "
            + "do not load with Secure Boot on",
        "set gpu.operator.driver.precompiled: true (recommended: signed modules for Ubuntu's generic kernel, "
            + "nothing to download), or let the servers reach the OS package repositories, from which the driver "
            + "container fetches kernel headers for the running kernel, and turn Secure Boot off in the GPU servers' "
            + "firmware");
  }
}
