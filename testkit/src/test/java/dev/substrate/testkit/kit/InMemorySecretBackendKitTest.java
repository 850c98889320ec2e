package dev.substrate.testkit.kit;

import dev.substrate.SecretBackend;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import dev.substrate.testkit.InMemorySecretBackend;
import dev.substrate.testkit.internal.InMemorySecretBackendProvider;

class InMemorySecretBackendKitTest extends SecretBackendCompatibilityKit {
  private final InMemorySecretBackend backend = new InMemorySecretBackend();

  @Override
  protected SecretBackendProvider provider() {
    return new InMemorySecretBackendProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.defaults(), "byo", null);
  }

  @Override
  protected SecretBackend facet() {
    return backend;
  }

  @Override
  protected void failNextOperation(int status) {
    backend.failNextWith(status);
  }
}
