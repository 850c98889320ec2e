package dev.substrate.byo.internal;

import static dev.substrate.spi.Resources.map;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.ConfigException;
import dev.substrate.GpuConfig;
import dev.substrate.GpuConfig.TenancyMode;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Check;
import dev.substrate.spi.NodeFingerprint;
import dev.substrate.spi.Resources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The GPU Operator on GKE, as NVIDIA documents it with GKE's driver installer (works on Container-Optimized OS and
 * Ubuntu node images): GKE's installer puts the driver under {@value #INSTALL_DIR}, the operator installs no driver,
 * its toolkit and validator use that directory, and a ResourceQuota admits its system-node-critical and
 * system-cluster-critical pods, which GKE otherwise admits only in kube-system.
 * Source: NVIDIA/cloud-native-docs gpu-operator/google-gke.rst ("Using the Google Driver Installer") and
 * gpu-operator/manifests/input/google-gke-gpu-operator-quota.yaml (docs HEAD 52dcb7b, 2026-08-21).
 */
final class OperatorOnGke {
  static final String INSTALL_DIR = "/home/kubernetes/bin/nvidia";
  static final String QUOTA_NAME = "gpu-operator-quota";
  static final List<String> CRITICAL_PRIORITY_CLASSES = List.of("system-node-critical", "system-cluster-critical");
  static final String NO_DEVICE_PLUGIN_LABEL = "gke-no-default-nvidia-gpu-device-plugin";
  static final String ACCELERATOR_LABEL = "cloud.google.com/gke-accelerator";
  static final String DRIVER_VERSION_LABEL = "cloud.google.com/gke-gpu-driver-version";
  /** GKE's driver installer for Container-Optimized OS (GoogleCloudPlatform/container-engine-accelerators). */
  static final String DRIVER_INSTALLER = "https://raw.githubusercontent.com/GoogleCloudPlatform/"
      + "container-engine-accelerators/master/nvidia-driver-installer/cos/daemonset-preloaded.yaml";
  static final String NODE_POOL_FLAGS = "--accelerator type=TYPE,count=N,gpu-driver-version=disabled --node-labels="
      + NO_DEVICE_PLUGIN_LABEL + "=true";

  private OperatorOnGke() {}

  /** The operator installs no driver on GKE, so the settings that shape its driver containers are refused there. */
  static void requireNoDriverSettings(GpuConfig gpu) {
    List<String> problems = new ArrayList<>();
    String why = " on substrate gke, where GKE's driver installer installs the NVIDIA driver and the GPU Operator "
        + "installs none (NVIDIA publishes no precompiled driver containers for GKE's kernels)";
    if (gpu.driverPrecompiled()) {
      problems.add("gpu.operator.driver.precompiled was 'true' but must be false" + why);
    }
    gpu.driverVersion().ifPresent(v -> problems.add("gpu.operator.driver.version was '" + v + "' but must be unset"
        + why));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** Chart values for GKE: no driver, GKE's install directory for driver and toolkit, CDI, and the toolkit fix. */
  static void values(Map<String, Object> values, GpuConfig gpu) {
    values.put("driver", map("enabled", false));
    values.put("hostPaths", map("driverInstallDir", INSTALL_DIR));
    // GKE 1.33+: the toolkit misreads containerd's config unless it reads the file (google-gke.rst, note).
    values.put("toolkit", map("enabled", true, "installDir", INSTALL_DIR,
        "env", List.of(map("name", "RUNTIME_CONFIG_SOURCE", "value", "file"))));
    // The guide's cdi.default is a deprecated no-op at chart v26.7.0 (clusterpolicy_types.go CDIConfigSpec.Default).
    values.put("cdi", map("enabled", true));
    if (gpu.tenancyMode() == TenancyMode.MIG) {
      values.put("migManager", map("env", List.of(map("name", "WITH_REBOOT", "value", "true"))));
    }
  }

  /** Admits the operator's critical-priority pods in its namespace, as GKE requires outside kube-system. */
  static HasMetadata quota(String namespace) {
    return new ResourceQuotaBuilder()
        .withNewMetadata().withName(QUOTA_NAME).withNamespace(namespace).withLabels(Resources.managedLabels())
        .endMetadata()
        .withNewSpec()
        .addToHard("pods", new Quantity("100"))
        .withNewScopeSelector()
        .addToMatchExpressions(new ScopedResourceSelectorRequirementBuilder()
            .withScopeName("PriorityClass").withOperator("In").withValues(CRITICAL_PRIORITY_CLASSES).build())
        .endScopeSelector()
        .endSpec()
        .build();
  }

  static Capability driverManagement() {
    return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
        "on GKE the GPU Operator installs no driver: GKE's driver installer DaemonSet installs it into " + INSTALL_DIR
            + ", and GKE's own driver and device plugin must be off on the operator's GPU node pools",
        "create the GPU node pools with " + NODE_POOL_FLAGS + ", then apply GKE's driver installer (kubectl apply -f "
            + DRIVER_INSTALLER + " on Container-Optimized OS; on Ubuntu, the installer GKE's page 'Manually install "
            + "NVIDIA GPU drivers' names for the GPU), or set "
            + "gpu_stack: gke-managed");
  }

  static final String RUNTIME_REMEDY = "recreate those node pools with " + NODE_POOL_FLAGS
      + " and apply GKE's driver installer, or set gpu_stack: gke-managed";

  /**
   * {@value OperatorGpuStack#GKE_RUNTIME_CHECK}: the rendered chart expects GKE GPU nodes without GKE's driver
   * ({@value #DRIVER_VERSION_LABEL} absent, as gpu-driver-version=disabled leaves it) and without GKE's device plugin
   * ({@value #NO_DEVICE_PLUGIN_LABEL}=true); nodes that still have either run a second GPU stack beside the operator.
   */
  static Check runtime() {
    return Check.of(OperatorGpuStack.GKE_RUNTIME_CHECK, Set.of(ResourceKind.NODES), snapshot -> {
      NodeFingerprint fp = NodeFingerprint.of(snapshot, "cloud.google.com/gke-nodepool");
      int gke = Math.max(fp.withScheme("gce://"), fp.withLabel("cloud.google.com/gke-nodepool"));
      if (gke == 0) {
        return CheckResult.pass(OperatorGpuStack.GKE_RUNTIME_CHECK,
            "no GKE nodes, so the GPU Operator's GKE settings have nothing to conflict with");
      }
      int gpuNodes = 0;
      List<String> conflicting = new ArrayList<>();
      for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        if (!labels.containsKey(ACCELERATOR_LABEL)) {
          continue;
        }
        gpuNodes++;
        List<String> what = new ArrayList<>();
        if (labels.containsKey(DRIVER_VERSION_LABEL)) {
          what.add("GKE installs its driver (gpu-driver-version " + labels.get(DRIVER_VERSION_LABEL) + ")");
        }
        if (!"true".equals(labels.get(NO_DEVICE_PLUGIN_LABEL))) {
          what.add("GKE's device plugin runs (no " + NO_DEVICE_PLUGIN_LABEL + "=true)");
        }
        if (!what.isEmpty()) {
          conflicting.add(node.getMetadata().getName() + ": " + String.join(", ", what));
        }
      }
      if (!conflicting.isEmpty()) {
        return CheckResult.warn(OperatorGpuStack.GKE_RUNTIME_CHECK, "gpu_stack is operator on GKE (" + fp.describe()
            + "), but " + conflicting.size() + " of " + Resources.count(gpuNodes, "GPU node", "GPU nodes")
            + " still run GKE's own GPU stack beside it: " + Resources.names(conflicting), RUNTIME_REMEDY);
      }
      return CheckResult.pass(OperatorGpuStack.GKE_RUNTIME_CHECK, gpuNodes == 0
          ? "no GKE GPU node yet; GPU node pools for the operator need " + NODE_POOL_FLAGS
          : Resources.count(gpuNodes, "GKE GPU node runs", "GKE GPU nodes run")
              + " neither GKE's driver nor its device plugin, as the operator's GKE settings expect");
    });
  }
}
