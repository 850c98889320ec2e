package dev.substrate.byo.internal;

import static dev.substrate.spi.Resources.map;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.ConfigException;
import dev.substrate.GpuConfig;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The GPU Operator on EKS's accelerated AMIs (AL2023 NVIDIA, Bottlerocket NVIDIA), which already carry the NVIDIA
 * driver and container toolkit (https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-optimized-ami.html): the
 * operator installs neither and runs the device plugin, GPU feature discovery, DCGM exporter and MIG manager.
 * NVIDIA's guide has the operator install the driver only on Ubuntu EKS AMIs (NVIDIA/cloud-native-docs
 * gpu-operator/amazon-eks.rst), which this does not render.
 */
final class OperatorOnEks {
  static final String DEVICE_PLUGIN_CHECK = "gpu.operator.eks-device-plugin";

  private OperatorOnEks() {}

  /** The operator installs no driver on the accelerated AMIs, so the settings that shape its driver are refused. */
  static void requireNoDriverSettings(GpuConfig gpu) {
    List<String> problems = new ArrayList<>();
    String why = " on substrate aws, where the EKS-optimised accelerated AMI brings the NVIDIA driver and the GPU "
        + "Operator installs none";
    if (gpu.driverPrecompiled()) {
      problems.add("gpu.operator.driver.precompiled was 'true' but must be false" + why);
    }
    gpu.driverVersion().ifPresent(v -> problems.add("gpu.operator.driver.version was '" + v + "' but must be unset"
        + why));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** Chart values for the accelerated AMIs: no driver and no toolkit, since the AMI has both. */
  static void values(Map<String, Object> values) {
    values.put("driver", map("enabled", false));
    values.put("toolkit", map("enabled", false));
  }

  static Capability driverManagement() {
    return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.SUPPORTED,
        "on EKS the accelerated AMI (AL2023 NVIDIA or Bottlerocket NVIDIA) brings the NVIDIA driver and container "
            + "toolkit, so the GPU Operator is rendered with driver and toolkit off and runs the device plugin, GPU "
            + "feature discovery, DCGM exporter and MIG manager", null);
  }

  /**
   * {@value #DEVICE_PLUGIN_CHECK}: no second NVIDIA device plugin beside the operator's (eksctl installs one in
   * kube-system for GPU node groups unless told {@code --install-nvidia-plugin=false}).
   */
  static Check devicePlugin(String operatorNamespace) {
    return Check.of(DEVICE_PLUGIN_CHECK, Set.of(ResourceKind.DAEMON_SETS), snapshot -> {
      List<String> others = new ArrayList<>();
      for (GenericKubernetesResource ds : snapshot.list(ResourceKind.DAEMON_SETS)) {
        String name = ds.getMetadata().getName();
        if (name != null && name.contains("nvidia-device-plugin")
            && !operatorNamespace.equals(ds.getMetadata().getNamespace())) {
          others.add(Resources.ref(ds));
        }
      }
      if (others.isEmpty()) {
        return CheckResult.pass(DEVICE_PLUGIN_CHECK, "no NVIDIA device plugin runs beside the GPU Operator's");
      }
      return CheckResult.warn(DEVICE_PLUGIN_CHECK, "another NVIDIA device plugin runs beside the GPU Operator's: "
          + Resources.names(others) + "; two plugins advertise the same GPUs",
          "delete it (eksctl installs one unless --install-nvidia-plugin=false), and on Bottlerocket nodes set "
              + "settings.kubelet-device-plugins.nvidia.enabled = false");
    });
  }
}
