package dev.substrate.secrets.aws.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.cloudfakes.aws.FakeAwsSecretsManager;
import dev.substrate.secrets.aws.AwsSecretStore;
import dev.substrate.secrets.aws.internal.AwsSecretsManagerProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import dev.substrate.testkit.kit.SecretBackendCompatibilityKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * aws-secrets-manager against {@link FakeAwsSecretsManager}, pointed at it through {@code aws.secrets_manager:} with
 * the fake's access key in a shared credentials file; IRSA without {@code aws.role_arn}, so only the store renders.
 */
class AwsSecretsManagerKitTest extends SecretBackendCompatibilityKit {
  static FakeAwsSecretsManager fake;
  static Path credentials;

  @BeforeAll
  static void start() throws IOException {
    fake = FakeAwsSecretsManager.builder().region("eu-west-1").start();
    credentials = Files.createTempFile("fake-aws", ".credentials");
    Files.writeString(credentials, "[default]\naws_access_key_id = " + fake.accessKeyId()
        + "\naws_secret_access_key = " + fake.secretAccessKey() + "\n");
  }

  @AfterAll
  static void stop() throws IOException {
    fake.close();
    Files.deleteIfExists(credentials);
  }

  @AfterEach
  void closeStore() {
    ((AwsSecretStore) facet().store()).close();
  }

  @Override
  protected SecretBackendProvider provider() {
    return new AwsSecretsManagerProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("cluster: {location: eu-west-1b}\naws: {secrets_manager: "
        + "{endpoint: '" + fake.url() + "', credentials_file: '" + credentials + "'}}\n"), "aws", null);
  }

  /** Fails every attempt: the store retries transient failures up to 4 times. */
  @Override
  protected void failNextOperation(int status) {
    fake.faults().failNext(4, status);
  }

  @Override
  protected void clearFailures() {
    fake.faults().clear();
  }
}
