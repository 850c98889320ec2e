package dev.substrate.spi;

import dev.substrate.SecretBackend;

/** Creates the secret backend facet; shipped ids: {@code gcp-secret-manager, aws-secrets-manager, kubernetes, fake,
 * vault}. */
public interface SecretBackendProvider extends Provider {
  /** Creates the facet for {@code context}; throws {@link dev.substrate.ConfigException} on bad config. */
  SecretBackend create(ProviderContext context);
}
