package dev.substrate.gke.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.GpuConfig;
import dev.substrate.GpuConfig.TenancyMode;
import dev.substrate.GpuStack;
import dev.substrate.RenderContext;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.Check;
import dev.substrate.spi.gpu.GpuCatalog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * GKE's own GPU stack. It renders nothing: the node image brings the driver, GKE deploys its device plugin and, when
 * enabled, its DCGM exporter; GPU sharing and MIG are node-pool flags, not cluster objects.
 */
final class GkeManagedGpuStack implements GpuStack {
  /**
   * GKE's accelerator types ({@value Gke#ACCELERATOR_LABEL}) and their GPUs; those whose GPU has MIG partition with
   * {@code gpu-partition-size} (ids: GoogleCloudPlatform/container-engine-accelerators manifests and
   * partition_gpu/partition_gpu.go, which lists the a100, a100-80gb, h100-80gb and h200-141gb profiles; h100-mega-80gb
   * is the A3 Mega's H100 80GB, DOMAIN §4.2).
   */
  static final GpuCatalog ACCELERATORS = GpuCatalog.shipped()
      .withOffering("nvidia-tesla-t4", GpuCatalog.T4)
      .withOffering("nvidia-l4", GpuCatalog.L4)
      .withOffering("nvidia-tesla-a100", GpuCatalog.A100_40GB)
      .withOffering("nvidia-a100-80gb", GpuCatalog.A100_80GB)
      .withOffering("nvidia-h100-80gb", GpuCatalog.H100_80GB)
      .withOffering("nvidia-h100-mega-80gb", GpuCatalog.H100_80GB)
      .withOffering("nvidia-h200-141gb", GpuCatalog.H200);
  /** Accelerator types that GKE can partition with MIG ({@code gpu-partition-size}). */
  static final List<String> MIG_ACCELERATORS = accelerators(true);
  /** Accelerator types without MIG. */
  static final List<String> NO_MIG_ACCELERATORS = accelerators(false);

  /** A fact of GKE's node pools whichever GPU stack runs on them. */
  static final Capability SCALE_TO_ZERO = Capability.of(CapabilityIds.GPU_SCALE_TO_ZERO, CapabilityState.SUPPORTED,
      "GKE's GPU node pools autoscale down to zero nodes and back up when a pod requests nvidia.com/gpu", null);

  private final SubstrateConfig config;
  private final GpuConfig gpu;

  GkeManagedGpuStack(SubstrateConfig config) {
    this.config = config;
    this.gpu = config.gpu();
  }

  @Override
  public String id() {
    return GkeManagedGpuStackProvider.ID;
  }

  @Override
  public List<Capability> capabilities() {
    return List.of(
        Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.SUPPORTED,
            "GKE installs the NVIDIA driver (node-pool flag gpu-driver-version=default or latest), runs its own "
                + "device plugin and offers a managed DCGM exporter", null),
        SCALE_TO_ZERO,
        Capability.of(CapabilityIds.GPU_MIG, CapabilityState.NEEDS_ACTION,
            configured(TenancyMode.MIG) + "MIG depends on the accelerator: " + String.join(", ", MIG_ACCELERATORS)
                + " partition; " + String.join(" and ", NO_MIG_ACCELERATORS) + " do not",
            "create the GPU node pool on a MIG-capable accelerator with --accelerator type=nvidia-a100-80gb,count=1,"
                + "gpu-partition-size=1g.10gb (a profile of that GPU); pods select "
                + Gke.PARTITION_SIZE_LABEL + "=1g.10gb"),
        Capability.of(CapabilityIds.GPU_TIME_SLICING, CapabilityState.NEEDS_ACTION,
            configured(TenancyMode.TIME_SLICING) + "GKE time-shares each GPU among up to max-shared-clients-per-gpu "
                + "containers when the node pool asks for it, with no memory or fault isolation between them",
            "create the GPU node pool with --accelerator type=TYPE,count=1,gpu-sharing-strategy=time-sharing,"
                + "max-shared-clients-per-gpu=" + clients(TenancyMode.TIME_SLICING) + "; pods select "
                + Gke.SHARING_STRATEGY_LABEL + "=time-sharing"),
        Capability.of(CapabilityIds.GPU_MPS, CapabilityState.NEEDS_ACTION,
            configured(TenancyMode.MPS) + "GKE shares each GPU through NVIDIA MPS among up to "
                + "max-shared-clients-per-gpu containers when the node pool asks for it; MPS excludes MIG",
            "create the GPU node pool with --accelerator type=TYPE,count=1,gpu-sharing-strategy=mps,"
                + "max-shared-clients-per-gpu=" + clients(TenancyMode.MPS) + "; pods select "
                + Gke.SHARING_STRATEGY_LABEL + "=mps"));
  }

  private static List<String> accelerators(boolean mig) {
    return ACCELERATORS.offerings().entrySet().stream().filter(e -> e.getValue().mig() == mig)
        .map(Map.Entry::getKey).collect(Collectors.toList());
  }

  /** A prefix saying the config asks for {@code mode}, when it does. */
  private String configured(TenancyMode mode) {
    return gpu.tenancyMode() == mode ? "gpu.tenancy.mode is " + mode.id() + ": " : "";
  }

  private String clients(TenancyMode mode) {
    return gpu.tenancyMode() == mode && gpu.tenancyReplicas() >= 2 ? String.valueOf(gpu.tenancyReplicas()) : "N";
  }

  /** Nothing: rendering a DCGM exporter or device plugin here would run a second one beside GKE's. */
  @Override
  public List<HasMetadata> resources(RenderContext context) {
    return List.of();
  }

  @Override
  public List<Check> checks() {
    return List.of(GkeGpuChecks.nodesAdvertise(), GkeGpuChecks.devicePlugin(), GkeGpuChecks.dcgm(config));
  }
}
