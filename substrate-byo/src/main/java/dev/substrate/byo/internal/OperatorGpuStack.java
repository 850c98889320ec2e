package dev.substrate.byo.internal;

import dev.substrate.spi.Resources;
import static dev.substrate.spi.Resources.map;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckStatus;
import dev.substrate.GpuConfig;
import dev.substrate.GpuConfig.TenancyMode;
import dev.substrate.GpuStack;
import dev.substrate.HelmChart;
import dev.substrate.RenderContext;
import dev.substrate.spi.checks.DriverPreflightChecks;
import dev.substrate.spi.checks.GpuChecks;
import dev.substrate.spi.gpu.GpuCatalog;
import dev.substrate.spi.Check;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The NVIDIA GPU Operator as a GPU stack: its namespace, its Helm chart (an Argo CD Application unless rendered for
 * another GitOps tool) and the GPU sharing config. The chart is in NVIDIA's Helm repository (an HTTP repository with an
 * index, not an OCI registry: {@code helm repo add nvidia https://helm.ngc.nvidia.com/nvidia}, NVIDIA's "Installing the
 * NVIDIA GPU Operator", https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/getting-started.html).
 */
final class OperatorGpuStack implements GpuStack {
  static final String APPLICATION_NAME = "gpu-operator";
  static final String CHART_REPO = "https://helm.ngc.nvidia.com/nvidia";
  static final String CHART = "gpu-operator";
  static final String SHARING_CONFIG_KEY = "any";
  static final String GKE_RUNTIME_CHECK = "gpu.operator.gke-runtime";
  static final String GKE = "gke";
  static final String AWS = "aws";

  private final GpuConfig gpu;
  private final boolean gke;
  private final boolean aws;
  /** GPU stack {@code talos}: the driver and toolkit come from Talos system extensions ({@link OperatorOnTalos}). */
  private final boolean talos;

  OperatorGpuStack(GpuConfig gpu, String substrateId) {
    this(gpu, substrateId, false);
  }

  OperatorGpuStack(GpuConfig gpu, String substrateId, boolean talos) {
    this.gpu = gpu;
    this.talos = talos;
    if (talos) {
      OperatorOnTalos.requireSupported(gpu, GKE.equals(substrateId));
    }
    this.gke = !talos && GKE.equals(substrateId);
    this.aws = !talos && AWS.equals(substrateId);
    if (gke) {
      OperatorOnGke.requireNoDriverSettings(gpu);
    }
    if (aws) {
      OperatorOnEks.requireNoDriverSettings(gpu);
    }
  }

  @Override
  public String id() {
    return talos ? TalosGpuStackProvider.ID : OperatorGpuStackProvider.ID;
  }

  @Override
  public List<Capability> capabilities() {
    return List.of(driverManagement(),
        Capability.of(CapabilityIds.GPU_TIME_SLICING, CapabilityState.SUPPORTED,
            gpu.tenancyMode() == TenancyMode.TIME_SLICING
                ? "the device plugin time-slices each GPU into " + gpu.tenancyReplicas()
                    + " replicas, with soft isolation and no memory isolation between them"
                : "the device plugin can time-slice each GPU into replicas, with soft isolation and no memory "
                    + "isolation between them", null),
        Capability.of(CapabilityIds.GPU_MPS, CapabilityState.SUPPORTED,
            gpu.tenancyMode() == TenancyMode.MPS
                ? "the device plugin shares each full GPU among " + gpu.tenancyReplicas()
                    + " MPS clients with equal memory and compute; MPS is experimental there and excludes MIG"
                : "the device plugin can share full GPUs through MPS with equal memory and compute per replica; "
                    + "MPS is experimental there and excludes MIG", null),
        Capability.of(CapabilityIds.GPU_MIG, CapabilityState.NEEDS_ACTION,
            "MIG partitions only MIG-capable GPUs (A100, A30, H100, H200, B200, RTX PRO 6000 Blackwell), into a "
                + "layout chosen per node",
            "set the operator's mig.strategy (single or mixed) and label each MIG-capable node with "
                + "nvidia.com/mig.config, e.g. all-1g.10gb"),
        Capability.of(CapabilityIds.GPU_SCALE_TO_ZERO, CapabilityState.NEEDS_ACTION,
            "whether GPU nodes scale to zero depends on the node provisioner, which the cluster's owner supplies",
            "run a cluster autoscaler for the GPU node group with a minimum size of 0, or scale GPU pods to zero "
                + "with KEDA"));
  }

  /**
   * Precompiled driver containers install Canonical's signed module packages (linux-signatures-nvidia on x86_64), so
   * they load with Secure Boot on; compiled ones build unsigned modules on the node. Sources:
   * NVIDIA/gpu-driver-container ubuntu24.04/precompiled/nvidia-driver and ubuntu24.04/nvidia-driver;
   * NVIDIA/cloud-native-docs gpu-operator/precompiled-drivers.rst, platform-support.rst ("Supported Precompiled
   * Drivers") and install-gpu-operator-outdated-kernels.rst (the driver container installs the headers itself).
   */
  private Capability driverManagement() {
    if (talos) {
      return OperatorOnTalos.driverManagement();
    }
    if (gke) {
      return OperatorOnGke.driverManagement();
    }
    if (aws) {
      return OperatorOnEks.driverManagement();
    }
    if (!gpu.driverEnabled()) {
      return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
          "gpu.operator.driver.enabled is false, so the NVIDIA driver must already be installed on every GPU node",
          "install the NVIDIA driver on each GPU node's host, or set gpu.operator.driver.enabled: true");
    }
    if (gpu.driverPrecompiled()) {
      return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
          "the GPU Operator runs NVIDIA's precompiled driver containers of branch " + gpu.driverBranch() + ", which "
              + "NVIDIA publishes only for Ubuntu LTS kernels of the generic, aws, azure, nvidia and oracle flavours; "
              + "their modules are signed, so they also load with Secure Boot on (x86_64)",
          "run GPU nodes on an Ubuntu kernel NVIDIA publishes nvcr.io/nvidia/driver:" + gpu.driverBranch()
              + "-<kernel>-<os> for (see the tags on NGC), or set gpu.operator.driver.precompiled: false");
    }
    return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
        "the GPU Operator compiles the NVIDIA driver on each GPU node against its kernel headers, and the modules it "
            + "builds are unsigned, so they do not load with Secure Boot on",
        "let GPU nodes reach the OS package repositories, from which the driver container fetches kernel headers "
            + "for the running kernel (an outdated kernel needs an archive repository), and turn Secure Boot off; or "
            + "set gpu.operator.driver.precompiled: true on Ubuntu, whose signed modules load with Secure Boot on");
  }

  @Override
  public List<HasMetadata> resources(RenderContext context) {
    List<HasMetadata> out = new ArrayList<>();
    Map<String, String> nsLabels = Resources.managedLabels();
    nsLabels.put("pod-security.kubernetes.io/enforce", "privileged");
    out.add(new NamespaceBuilder().withNewMetadata().withName(gpu.operatorNamespace()).withLabels(nsLabels)
        .endMetadata().build());
    if (gke) {
      out.add(OperatorOnGke.quota(gpu.operatorNamespace()));
    }
    sharingConfigName().ifPresent(name -> out.add(new ConfigMapBuilder()
        .withNewMetadata().withName(name).withNamespace(gpu.operatorNamespace())
        .withLabels(Resources.managedLabels()).endMetadata()
        .addToData(SHARING_CONFIG_KEY, sharingConfig())
        .build()));
    out.add(Resources.application(chart()));
    return out;
  }

  @Override
  public List<HelmChart> charts(RenderContext context) {
    return List.of(chart());
  }

  /** The device-plugin ConfigMap's name when GPUs are shared by time-slicing or MPS. */
  Optional<String> sharingConfigName() {
    switch (gpu.tenancyMode()) {
      case TIME_SLICING:
        return Optional.of("time-slicing-config");
      case MPS:
        return Optional.of("mps-config");
      default:
        return Optional.empty();
    }
  }

  /** The device plugin's config file (version v1) sharing {@code nvidia.com/gpu} into replicas. */
  String sharingConfig() {
    String strategy = gpu.tenancyMode() == TenancyMode.MPS ? "mps" : "timeSlicing";
    return "version: v1\n"
        + "sharing:\n"
        + "  " + strategy + ":\n"
        + "    resources:\n"
        + "    - name: " + GpuChecks.GPU_RESOURCE + "\n"
        + "      replicas: " + gpu.tenancyReplicas() + "\n";
  }

  private HelmChart chart() {
    Map<String, Object> driver = map("enabled", gpu.driverEnabled(), "usePrecompiled", gpu.driverPrecompiled());
    // Precompiled images are tagged <branch>-<kernel>-<os>: the chart's full version names none
    // (NVIDIA/gpu-operator controllers/object_controls.go resolveDriverTag; precompiled-drivers.rst).
    if (gpu.driverPrecompiled()) {
      driver.put("version", gpu.driverBranch());
    } else {
      gpu.driverVersion().ifPresent(v -> driver.put("version", v));
    }
    Map<String, Object> devicePlugin = map("enabled", true);
    sharingConfigName().ifPresent(name -> devicePlugin.put("config", map("name", name, "default", SHARING_CONFIG_KEY)));
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("driver", driver);
    values.put("toolkit", map("enabled", true));
    values.put("devicePlugin", devicePlugin);
    values.put("dcgmExporter", map("enabled", true, "serviceMonitor", map("enabled", true, "interval", "15s")));
    if (gpu.tenancyMode() == TenancyMode.MIG) {
      values.put("mig", map("strategy", "single"));
    }
    if (gke) {
      OperatorOnGke.values(values, gpu);
    }
    if (aws) {
      OperatorOnEks.values(values);
    }
    if (talos) {
      values.putAll(OperatorOnTalos.talosValues());
    }
    return HelmChart.builder().repoUrl(CHART_REPO).chart(CHART).version(gpu.operatorVersion())
        .releaseName(APPLICATION_NAME).namespace(gpu.operatorNamespace()).values(values).build();
  }

  @Override
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    checks.add(GpuChecks.nodesAdvertise("check " + (gke ? "GKE's driver installer (kubectl -n kube-system get pods "
        + "-l k8s-app=nvidia-driver-installer) and the GPU Operator's device-plugin pods" : "the GPU Operator's driver "
        + "and device-plugin pods") + " on those nodes (kubectl -n " + gpu.operatorNamespace() + " get pods -o wide)"));
    checks.add(GpuChecks.clusterPolicy());
    checks.add(GpuChecks.dcgmExporter(CheckStatus.FAIL));
    if (gke) {
      checks.add(OperatorOnGke.runtime());
    } else if (talos) {
      // A Talos extension brings the driver, so there is no driver image to predict; the nodes' extensions instead.
      checks.addAll(OperatorOnTalos.checks());
    } else {
      // On GKE the operator installs no driver (GKE's installer does), so there is nothing to predict.
      checks.addAll(DriverPreflightChecks.checks(gpu, GpuCatalog.shipped()));
    }
    if (aws) {
      checks.add(OperatorOnEks.devicePlugin(gpu.operatorNamespace()));
    }
    return checks;
  }
}
