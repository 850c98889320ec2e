package dev.substrate.gke.internal;

import dev.substrate.Capability;
import dev.substrate.ClusterSnapshot;
import dev.substrate.SecretStoreAuth;
import dev.substrate.spi.Detection;
import dev.substrate.spi.NodeFingerprint;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SubstrateDefaults;
import dev.substrate.spi.SubstrateProvider;
import java.util.List;
import java.util.Optional;

/**
 * Substrate {@code gke}: recognised by {@code gce://} providerIDs and GKE node-pool labels. Whichever GPU stack runs,
 * its GPU node pools scale to zero ({@link GkeManagedGpuStack#SCALE_TO_ZERO} refines the stack's capability).
 */
public final class GkeSubstrateProvider implements SubstrateProvider {
  static final String NODEPOOL_LABEL = "cloud.google.com/gke-nodepool";

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
