package dev.substrate.testkit.internal;

import dev.substrate.SecretBackend;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import dev.substrate.testkit.InMemorySecretBackend;

/** Provides {@link InMemorySecretBackend} under id {@code fake}. */
public final class InMemorySecretBackendProvider implements SecretBackendProvider {
  @Override
  public String id() {
    return InMemorySecretBackend.ID;
  }

  @Override
  public SecretBackend create(ProviderContext context) {
    return new InMemorySecretBackend();
  }
}
