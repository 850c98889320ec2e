package dev.substrate.examples.vault.internal;

import dev.substrate.SecretBackend;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;

/** Secret backend {@code vault}: a KV v2 engine that ESO reads with Vault's Kubernetes auth. */
public final class VaultBackendProvider implements SecretBackendProvider {
  public static final String ID = "vault";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public SecretBackend create(ProviderContext context) {
    return new VaultBackend(VaultSettings.from(context.section(VaultSettings.SECTION), context.config().secrets()),
        System::getenv);
  }
}
