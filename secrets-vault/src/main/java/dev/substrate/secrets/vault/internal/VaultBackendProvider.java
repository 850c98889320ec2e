package dev.substrate.secrets.vault.internal;

import dev.substrate.SecretBackend;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;

/** Secret backend {@code vault}: a KV v2 engine that ESO reads with Kubernetes, AppRole or token auth. */
public final class VaultBackendProvider implements SecretBackendProvider {
  public static final String ID = "vault";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public SecretBackend create(ProviderContext context) {
    return new VaultBackend(VaultSettings.from(context.section(VaultSettings.SECTION), context.config().secrets()),
        context.config(), System::getenv, () -> context.requireClient("vault.login.kubernetes.serviceAccountRef"));
  }
}
