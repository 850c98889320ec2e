package dev.substrate.hetzner.internal;

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
 * Substrate {@code hetzner}: recognised by {@code hcloud://} and {@code hrobot://} providerIDs. Its GPU stack is
 * substrate-byo's {@code operator}; what Hetzner's GPU servers are ({@link HetznerCapabilities}) refines the stack's
 * capabilities, and its GPU catalog ({@link HetznerGpus#CATALOG}: the GEX server types) sizes {@code gpu.tenancy}
 * against the GPUs the nodes carry.
 */
public final class HetznerSubstrateProvider implements SubstrateProvider {
  static final String PROVIDED_BY_LABEL = "instance.hetzner.cloud/provided-by";

  @Override
  public String id() {
    return "hetzner";
  }

  @Override
  public SubstrateDefaults defaults() {
    return SubstrateDefaults.builder()
        .gpuStack(HetznerCapabilities.OPERATOR)
        .storage(HcloudVolumesStorageProvider.ID)
        .loadBalancer(HcloudLoadBalancerProvider.ID)
        .secretBackend("gcp-secret-manager")
        .secretStoreAuth(SecretStoreAuth.WIF)
        .build();
  }

  @Override
  public Optional<Detection> detect(ClusterSnapshot nodes) {
    NodeFingerprint fp = NodeFingerprint.of(nodes, PROVIDED_BY_LABEL);
    int hetzner = fp.withScheme("hcloud://") + fp.withScheme("hrobot://");
    if (hetzner == 0) {
      return Optional.empty();
    }
    return Optional.of(Detection.of(id(), 90 * hetzner / fp.nodes(), fp.describe()));
  }

  @Override
  public List<Capability> capabilities(ProviderContext context) {
    return HetznerCapabilities.of(context.config());
  }

  @Override
  public GpuCatalog gpuCatalog() {
    return HetznerGpus.CATALOG;
  }
}
