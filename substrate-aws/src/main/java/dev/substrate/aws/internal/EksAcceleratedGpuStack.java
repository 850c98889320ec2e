package dev.substrate.aws.internal;

import static dev.substrate.spi.Resources.map;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.GpuConfig;
import dev.substrate.GpuConfig.TenancyMode;
import dev.substrate.GpuStack;
import dev.substrate.HelmChart;
import dev.substrate.RenderContext;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import dev.substrate.spi.checks.GpuChecks;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GPU stack of the EKS-optimised accelerated AMIs. On the AL2023 NVIDIA AMI the driver and the NVIDIA container
 * toolkit are on the node and the device plugin is the cluster's to install ("you must install the NVIDIA Kubernetes
 * device plugin", https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-k8s-device-plugin.html): this renders it as
 * NVIDIA's {@code nvidia-device-plugin} chart with GPU feature discovery, as that page installs it (an Argo CD
 * Application unless rendered for another GitOps tool; the chart is in an HTTP Helm repository, not an OCI registry:
 * {@code helm repo add nvdp https://nvidia.github.io/k8s-device-plugin}, NVIDIA/k8s-device-plugin README.md). The Bottlerocket NVIDIA AMI runs the device plugin itself, so nothing is rendered there and GPU sharing
 * is a Bottlerocket setting ({@code settings.kubelet-device-plugins.nvidia}).
 */
final class EksAcceleratedGpuStack implements GpuStack {
  static final String NAMESPACE = "nvidia";
  static final String APPLICATION = "nvidia-device-plugin";
  static final String CHART_REPO = "https://nvidia.github.io/k8s-device-plugin";
  static final String CHART = "nvidia-device-plugin";
  /** NVIDIA/k8s-device-plugin deployments/helm/nvidia-device-plugin/Chart.yaml at v0.20.0 (DOMAIN §0). */
  static final String CHART_VERSION = "0.20.0";
  static final String SHARING_CONFIG_KEY = "default";

  private final SubstrateConfig config;
  private final GpuConfig gpu;
  private final AwsSettings settings;

  EksAcceleratedGpuStack(SubstrateConfig config, AwsSettings settings) {
    this.config = config;
    this.gpu = config.gpu();
    this.settings = settings;
  }

  @Override
  public String id() {
    return EksAcceleratedGpuStackProvider.ID;
  }

  @Override
  public List<Capability> capabilities() {
    List<Capability> out = new ArrayList<>();
    out.add(Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.SUPPORTED, settings.bottlerocket()
        ? "the EKS-optimised Bottlerocket NVIDIA AMI brings the NVIDIA driver, the container toolkit and the device "
            + "plugin; a new AMI release updates them"
        : "the EKS-optimised AL2023 NVIDIA AMI brings the NVIDIA driver and container toolkit (a new AMI release "
            + "updates them); Substrate renders NVIDIA's device plugin " + CHART_VERSION + " with GPU feature "
            + "discovery, which the AMI lacks", null));
    out.add(sharing(TenancyMode.TIME_SLICING, CapabilityIds.GPU_TIME_SLICING, "time-slicing",
        "time-slices each GPU into replicas, with soft isolation and no memory isolation between them"));
    out.add(sharing(TenancyMode.MPS, CapabilityIds.GPU_MPS, "mps",
        "shares each full GPU among MPS clients with equal memory and compute; MPS excludes MIG"));
    return out;
  }

  private Capability sharing(TenancyMode mode, String id, String strategy, String what) {
    String prefix = gpu.tenancyMode() == mode ? "gpu.tenancy.mode is " + mode.id() + ": " : "";
    String replicas = gpu.tenancyMode() == mode && gpu.tenancyReplicas() >= 2 ? String.valueOf(gpu.tenancyReplicas())
        : "N";
    if (settings.bottlerocket()) {
      return Capability.of(id, CapabilityState.NEEDS_ACTION, prefix + "Bottlerocket's own device plugin " + what
          + " when the node's settings ask for it",
          "set in the GPU nodes' user data [settings.kubelet-device-plugins.nvidia] device-sharing-strategy = \""
              + strategy + "\" and [settings.kubelet-device-plugins.nvidia." + strategy + "] replicas = " + replicas);
    }
    return Capability.of(id, CapabilityState.SUPPORTED, prefix + "the rendered device plugin " + what
        + (prefix.isEmpty() ? "" : " (" + replicas + " replicas, its config " + SHARING_CONFIG_KEY + ")"), null);
  }

  @Override
  public List<HasMetadata> resources(RenderContext context) {
    if (settings.bottlerocket()) {
      return List.of();
    }
    Map<String, String> labels = Resources.managedLabels();
    labels.put("pod-security.kubernetes.io/enforce", "privileged");
    List<HasMetadata> out = new ArrayList<>();
    out.add(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).withLabels(labels).endMetadata().build());
    out.add(Resources.application(chart()));
    return out;
  }

  @Override
  public List<HelmChart> charts(RenderContext context) {
    return settings.bottlerocket() ? List.of() : List.of(chart());
  }

  /** The chart's values: GFD on (it labels nodes with the GPU product), sharing and MIG strategy from config. */
  Map<String, Object> values() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("gfd", map("enabled", true));
    if (gpu.tenancyMode() == TenancyMode.TIME_SLICING || gpu.tenancyMode() == TenancyMode.MPS) {
      values.put("config", map("map", map(SHARING_CONFIG_KEY, sharingConfig()), "default", SHARING_CONFIG_KEY));
    }
    if (gpu.tenancyMode() == TenancyMode.MIG) {
      values.put("migStrategy", "single");
    }
    return values;
  }

  /** The device plugin's config file (version v1) sharing {@code nvidia.com/gpu} into replicas. */
  private String sharingConfig() {
    String strategy = gpu.tenancyMode() == TenancyMode.MPS ? "mps" : "timeSlicing";
    return "version: v1\n"
        + "sharing:\n"
        + "  " + strategy + ":\n"
        + "    resources:\n"
        + "    - name: " + GpuChecks.GPU_RESOURCE + "\n"
        + "      replicas: " + gpu.tenancyReplicas() + "\n";
  }

  private HelmChart chart() {
    return HelmChart.builder().repoUrl(CHART_REPO).chart(CHART).version(CHART_VERSION).releaseName(APPLICATION)
        .namespace(NAMESPACE).values(values()).build();
  }

  @Override
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    checks.add(EksGpuChecks.nodesAdvertise(settings, config));
    if (!settings.bottlerocket()) {
      checks.add(EksGpuChecks.devicePlugin());
    }
    checks.add(EksGpuChecks.acceleratorLabels(settings));
    return checks;
  }
}
