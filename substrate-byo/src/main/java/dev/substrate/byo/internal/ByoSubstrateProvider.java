package dev.substrate.byo.internal;

import dev.substrate.ClusterSnapshot;
import dev.substrate.spi.Detection;
import dev.substrate.spi.NodeFingerprint;
import dev.substrate.spi.SubstrateDefaults;
import dev.substrate.spi.SubstrateProvider;
import java.util.Optional;

/**
 * Substrate {@code byo}: any cluster you bring. It claims every cluster with a low score, so that substrates that
 * recognise their own clusters win. Its load balancer default is {@code none}: MetalLB needs address ranges, so
 * {@code load_balancer: {provider: metallb, addresses: [...]}} turns it on.
 */
public final class ByoSubstrateProvider implements SubstrateProvider {
  public static final String ID = "byo";
  static final int SCORE = 10;

  @Override
  public String id() {
    return ID;
  }

  @Override
  public SubstrateDefaults defaults() {
    return SubstrateDefaults.builder()
        .gpuStack(OperatorGpuStackProvider.ID)
        .storage(DefaultClassStorageProvider.ID)
        .loadBalancer(NoLoadBalancerProvider.ID)
        .secretBackend(KubernetesSecretBackendProvider.ID)
        .build();
  }

  @Override
  public Optional<Detection> detect(ClusterSnapshot nodes) {
    NodeFingerprint fp = NodeFingerprint.of(nodes, "cloud.google.com/gke-nodepool",
        "instance.hetzner.cloud/provided-by", "node.kubernetes.io/instance-type", "nvidia.com/gpu.present");
    String evidence = fp.nodes() == 0 ? "no nodes" : fp.describe();
    return Optional.of(Detection.of(ID, SCORE, evidence));
  }
}
