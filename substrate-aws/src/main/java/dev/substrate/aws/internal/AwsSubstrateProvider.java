package dev.substrate.aws.internal;

import dev.substrate.Capability;
import dev.substrate.ClusterSnapshot;
import dev.substrate.SecretStoreAuth;
import dev.substrate.spi.Check;
import dev.substrate.spi.Detection;
import dev.substrate.spi.NodeFingerprint;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SubstrateDefaults;
import dev.substrate.spi.SubstrateProvider;
import java.util.List;
import java.util.Optional;

/**
 * Substrate {@code aws}: recognised by {@code aws:///<zone>/i-...} providerIDs (set by the AWS cloud provider) and EKS
 * node labels. Its region is {@code cluster.location}; the {@code aws:} section ({@link AwsSettings}) adds what AWS
 * alone needs.
 */
public final class AwsSubstrateProvider implements SubstrateProvider {
  static final String ID = "aws";
  static final String SECRET_BACKEND = "aws-secrets-manager";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public SubstrateDefaults defaults() {
    return SubstrateDefaults.builder()
        .gpuStack(EksAcceleratedGpuStackProvider.ID)
        .storage(EbsStorageProvider.ID)
        .loadBalancer(AwsNlbProvider.ID)
        .secretBackend(SECRET_BACKEND)
        .secretStoreAuth(SecretStoreAuth.WORKLOAD_IDENTITY)
        .build();
  }

  @Override
  public Optional<Detection> detect(ClusterSnapshot nodes) {
    NodeFingerprint fp = NodeFingerprint.of(nodes, Eks.NODEGROUP_LABEL, Eks.NODEPOOL_LABEL, Eks.COMPUTE_TYPE_LABEL);
    int aws = fp.withScheme(Eks.PROVIDER_ID_SCHEME);
    if (aws == 0) {
      return Optional.empty();
    }
    boolean eks = fp.withLabel(Eks.NODEGROUP_LABEL) + fp.withLabel(Eks.NODEPOOL_LABEL)
        + fp.withLabel(Eks.COMPUTE_TYPE_LABEL) > 0;
    return Optional.of(Detection.of(ID, (eks ? 90 : 60) * aws / fp.nodes(), fp.describe()));
  }

  @Override
  public List<Capability> capabilities(ProviderContext context) {
    return AwsCapabilities.of(context.config(), AwsSettings.from(context.config()));
  }

  @Override
  public List<Check> checks(ProviderContext context) {
    return List.of(AwsCapabilities.migCapable(context.config()));
  }
}
