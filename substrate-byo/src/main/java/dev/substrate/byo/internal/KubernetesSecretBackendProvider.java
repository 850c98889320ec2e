package dev.substrate.byo.internal;

import dev.substrate.SecretBackend;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;

/** Secret backend {@code kubernetes}: Secrets in one namespace of the cluster, read by ESO's kubernetes provider. */
public final class KubernetesSecretBackendProvider implements SecretBackendProvider {
  public static final String ID = "kubernetes";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public SecretBackend create(ProviderContext context) {
    return new KubernetesSecretBackend(context);
  }
}
