package dev.substrate.aws.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.spi.ProviderContext;

/** The context the facet kits run in. */
final class AwsFacetKits {
  /** The secret backend the kits assemble the substrate with. */
  static final String BACKEND = "";

  private AwsFacetKits() {}

  static ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: aws}\ncluster: {name: prod, location: eu-west-1}\n"
        + "profile: prod\nstorage: {shared_weights: true}\naws: {efs_file_system_id: fs-0123456789abcdef0}\n"), "aws",
        null);
  }
}
