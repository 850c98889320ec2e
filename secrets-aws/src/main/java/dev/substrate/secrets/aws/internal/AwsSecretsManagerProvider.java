package dev.substrate.secrets.aws.internal;

import dev.substrate.SecretBackend;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;

/** Provides the AWS Secrets Manager backend under id {@code aws-secrets-manager}. */
public final class AwsSecretsManagerProvider implements SecretBackendProvider {
  static final String ID = "aws-secrets-manager";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public SecretBackend create(ProviderContext context) {
    return new AwsSecretsManagerBackend(context.config(), context.substrateId());
  }
}
