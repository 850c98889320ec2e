package dev.substrate.gke.internal;

import dev.substrate.Capability;
import dev.substrate.ClusterSnapshot;
import dev.substrate.SecretStoreAuth;
import dev.substrate.spi.Detection;
import dev.substrate.spi.NodeFingerprint;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SubstrateDefaults;
import dev.substrate.spi.SubstrateProvider;
import dev.substrate.spi.gpu.GpuCatalog;
import java.util.List;
import java.util.Optional;

/**
 * Substrate {@code gke}: recognised by {@code gce://} providerIDs and GKE node-pool labels. Whichever GPU stack runs,
 * its GPU node pools scale to zero ({@link GkeManagedGpuStack#SCALE_TO_ZERO} refines the stack's capability).
 */
public final class GkeSubstrateProvider implements SubstrateProvider {
  static final String NODEPOOL_LABEL = "cloud.google.com/gke-nodepool";

  /**
   * GKE's accelerator ids, as its nodes carry them in {@code cloud.google.com/gke-accelerator} and {@code gcloud
   * --accelerator type=} takes them (Compute Engine GPU machine types: A3 Ultra {@code nvidia-h200-141gb}, A3 Mega
   * {@code nvidia-h100-mega-80gb}, A3 High {@code nvidia-h100-80gb}, A2 Ultra {@code nvidia-a100-80gb}, A2 Standard
   * {@code nvidia-tesla-a100}, G2 {@code nvidia-l4}, N1 {@code nvidia-tesla-t4}; kubernetes/autoscaler
   * cloudprovider/gce extractAcceleratorCountAndType).
   */
  static final GpuCatalog CATALOG = GpuCatalog.shipped()
      .withOffering("nvidia-tesla-t4", GpuCatalog.T4)
      .withOffering("nvidia-l4", GpuCatalog.L4)
      .withOffering("nvidia-tesla-a100", GpuCatalog.A100_40GB)
      .withOffering("nvidia-a100-80gb", GpuCatalog.A100_80GB)
      .withOffering("nvidia-h100-80gb", GpuCatalog.H100_80GB)
      .withOffering("nvidia-h100-mega-80gb", GpuCatalog.H100_80GB)
      .withOffering("nvidia-h200-141gb", GpuCatalog.H200);

  @Override
  public String id() {
    return "gke";
  }

  @Override
  public SubstrateDefaults defaults() {
    return SubstrateDefaults.builder()
        .gpuStack(GkeManagedGpuStackProvider.ID)
        .storage(GkePdStorageProvider.ID)
        .loadBalancer(GkeLoadBalancerProvider.ID)
        .secretBackend("gcp-secret-manager")
        .secretStoreAuth(SecretStoreAuth.WORKLOAD_IDENTITY)
        .build();
  }

  @Override
  public List<Capability> capabilities(ProviderContext context) {
    return "none".equals(context.config().gpuStack().orElse(GkeManagedGpuStackProvider.ID)) ? List.of()
        : List.of(GkeManagedGpuStack.SCALE_TO_ZERO);
  }

  @Override
  public GpuCatalog gpuCatalog() {
    return CATALOG;
  }

  @Override
  public Optional<Detection> detect(ClusterSnapshot nodes) {
    NodeFingerprint fp = NodeFingerprint.of(nodes, NODEPOOL_LABEL);
    int gce = fp.withScheme("gce://");
    if (gce == 0) {
      return Optional.empty();
    }
    int score = fp.withLabel(NODEPOOL_LABEL) > 0 ? 90 : 60;
    return Optional.of(Detection.of(id(), score * gce / fp.nodes(), fp.describe()));
  }
}
