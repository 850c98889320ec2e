package dev.substrate.secrets.gcp.internal;

import dev.substrate.SecretBackend;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import java.util.Set;

/** Provides the GCP Secret Manager backend under id {@code gcp-secret-manager} (alias {@code gcpsm}). */
public final class GcpSecretManagerProvider implements SecretBackendProvider {
  static final String ID = "gcp-secret-manager";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<String> aliases() {
    return Set.of("gcpsm");
  }

  @Override
  public SecretBackend create(ProviderContext context) {
    return new GcpSecretManagerBackend(context.config(), context.substrateId());
  }
}
