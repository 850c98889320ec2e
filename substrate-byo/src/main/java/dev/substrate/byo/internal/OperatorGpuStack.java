package dev.substrate.byo.internal;

import dev.substrate.spi.Resources;
import static dev.substrate.spi.Resources.map;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.GpuConfig;
import dev.substrate.GpuConfig.TenancyMode;
import dev.substrate.GpuStack;
import dev.substrate.RenderContext;
import dev.substrate.ResourceKind;
import dev.substrate.spi.checks.GpuChecks;
import dev.substrate.spi.Check;
import dev.substrate.spi.NodeFingerprint;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The NVIDIA GPU Operator as a GPU stack: its namespace, its Argo CD Application and the GPU sharing config. */
final class OperatorGpuStack implements GpuStack {
  static final String APPLICATION_NAME = "gpu-operator";
  static final String ARGOCD_NAMESPACE = "argocd";
  static final String CHART_REPO = "https://helm.ngc.nvidia.com/nvidia";
  static final String CHART = "gpu-operator";
  static final String SHARING_CONFIG_KEY = "any";
  static final String GKE_RUNTIME_CHECK = "gpu.operator.gke-runtime";

  private final GpuConfig gpu;
  private final String substrateId;

  OperatorGpuStack(GpuConfig gpu, String substrateId) {
    this.gpu = gpu;
    this.substrateId = substrateId;
  }

  @Override
  public String id() {
    return OperatorGpuStackProvider.ID;
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
            "whether GPU nodes scale to zero depends on the node provisioner, which a bring-your-own cluster "
                + "supplies itself",
            "run a cluster autoscaler for the GPU node group with a minimum size of 0, or scale GPU pods to zero "
                + "with KEDA"));
  }

  private Capability driverManagement() {
    if (!gpu.driverEnabled()) {
      return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
          "gpu.operator.driver.enabled is false, so the NVIDIA driver must already be installed on every GPU node",
          "install the NVIDIA driver on each GPU node's host, or set gpu.operator.driver.enabled: true");
    }
    if (gpu.driverPrecompiled()) {
      return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
          "the GPU Operator runs precompiled driver containers, which exist only for some kernels and load only "
              + "with Secure Boot off",
          "run a kernel NVIDIA publishes precompiled driver containers for, and turn Secure Boot off on GPU nodes");
    }
    return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
        "the GPU Operator builds and installs the NVIDIA driver, but each GPU node must meet its prerequisites",
        "install kernel headers matching the running kernel on each GPU node (or set "
            + "gpu.operator.driver.precompiled: true) and turn Secure Boot off");
  }

  @Override
  public List<HasMetadata> resources(RenderContext context) {
    List<HasMetadata> out = new ArrayList<>();
    Map<String, String> nsLabels = Resources.managedLabels();
    nsLabels.put("pod-security.kubernetes.io/enforce", "privileged");
    out.add(new NamespaceBuilder().withNewMetadata().withName(gpu.operatorNamespace()).withLabels(nsLabels)
        .endMetadata().build());
    sharingConfigName().ifPresent(name -> out.add(new ConfigMapBuilder()
        .withNewMetadata().withName(name).withNamespace(gpu.operatorNamespace())
        .withLabels(Resources.managedLabels()).endMetadata()
        .addToData(SHARING_CONFIG_KEY, sharingConfig())
        .build()));
    out.add(application());
    return out;
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

  private GenericKubernetesResource application() {
    Map<String, Object> driver = map("enabled", gpu.driverEnabled(), "usePrecompiled", gpu.driverPrecompiled());
    gpu.driverVersion().ifPresent(v -> driver.put("version", v));
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
    Map<String, Object> spec = map(
        "project", "default",
        "source", map(
            "repoURL", CHART_REPO,
            "chart", CHART,
            "targetRevision", gpu.operatorVersion(),
            "helm", map("valuesObject", values)),
        "destination", map("server", "https://kubernetes.default.svc", "namespace", gpu.operatorNamespace()),
        "syncPolicy", map(
            "automated", map("prune", true, "selfHeal", true),
            "syncOptions", List.of("ServerSideApply=true")));
    return Resources.custom("argoproj.io/v1alpha1", "Application", ARGOCD_NAMESPACE, APPLICATION_NAME, spec);
  }

  @Override
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    checks.add(GpuChecks.nodesAdvertise("check the GPU Operator's driver and device-plugin pods on those nodes "
        + "(kubectl -n " + gpu.operatorNamespace() + " get pods -o wide)"));
    checks.add(GpuChecks.clusterPolicy());
    checks.add(GpuChecks.dcgmExporter(CheckStatus.FAIL));
    if ("gke".equals(substrateId)) {
      checks.add(gkeRuntime());
    }
    return checks;
  }

  static final String GKE_RUNTIME_REMEDY = "set gpu_stack: gke-managed, or keep the operator by creating its node "
      + "pools with gpu-driver-version=disabled and the node label gke-no-default-nvidia-gpu-device-plugin=true";

  /** On GKE, the operator fights the node image's own GPU stack; warn while GKE nodes are present. */
  private static Check gkeRuntime() {
    return Check.of(GKE_RUNTIME_CHECK, Set.of(ResourceKind.NODES), snapshot -> {
      NodeFingerprint fp = NodeFingerprint.of(snapshot, "cloud.google.com/gke-nodepool");
      int gke = Math.max(fp.withScheme("gce://"), fp.withLabel("cloud.google.com/gke-nodepool"));
      if (gke == 0) {
        return CheckResult.pass(GKE_RUNTIME_CHECK, "no GKE nodes, so the GPU Operator's runtime setup applies");
      }
      return CheckResult.warn(GKE_RUNTIME_CHECK, "gpu_stack is operator on GKE (" + fp.describe() + "): GKE nodes "
          + "bring their own NVIDIA driver and device plugin, and the operator's container toolkit fails on GKE's "
          + "containerd unless GKE's GPU plugin is disabled on those nodes", GKE_RUNTIME_REMEDY);
    });
  }
}
