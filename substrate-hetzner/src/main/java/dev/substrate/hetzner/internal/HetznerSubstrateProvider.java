package dev.substrate.hetzner.internal;

import dev.substrate.ClusterSnapshot;
import dev.substrate.SecretStoreAuth;
import dev.substrate.spi.Detection;
import dev.substrate.spi.NodeFingerprint;
import dev.substrate.spi.SubstrateDefaults;
import dev.substrate.spi.SubstrateProvider;
import java.util.Optional;

/** Substrate {@code hetzner}: recognised by {@code hcloud://} and {@code hrobot://} providerIDs. */
public final class HetznerSubstrateProvider implements SubstrateProvider {
  static final String PROVIDED_BY_LABEL = "instance.hetzner.cloud/provided-by";

  @Override
  public String id() {
    return "hetzner";
  }

  @Override
  public SubstrateDefaults defaults() {
    return SubstrateDefaults.builder()
        .gpuStack(HetznerGpuStackProvider.ID)
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
}
