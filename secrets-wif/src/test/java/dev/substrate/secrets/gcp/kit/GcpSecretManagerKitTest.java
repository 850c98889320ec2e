package dev.substrate.secrets.gcp.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.cloudfakes.google.FakeSecretManager;
import dev.substrate.secrets.gcp.GcpSecretStore;
import dev.substrate.secrets.gcp.internal.GcpSecretManagerProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import dev.substrate.testkit.kit.SecretBackendCompatibilityKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** gcp-secret-manager against {@link FakeSecretManager}, pointed at it through {@code secret_manager:}. */
class GcpSecretManagerKitTest extends SecretBackendCompatibilityKit {
  static FakeSecretManager fake;
  static Path token;

  @BeforeAll
  static void start() throws IOException {
    fake = FakeSecretManager.start();
    token = Files.createTempFile("fake-secret-manager", ".token");
    Files.writeString(token, fake.token());
  }

  @AfterAll
  static void stop() throws IOException {
    fake.close();
    Files.deleteIfExists(token);
  }

  @AfterEach
  void closeStore() {
    ((GcpSecretStore) facet().store()).close();
  }

  @Override
  protected SecretBackendProvider provider() {
    return new GcpSecretManagerProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("cluster: {projectID: acme-ml}\nsecret_manager: {endpoint: '"
        + fake.url() + "', access_token_file: '" + token + "'}"), "gke", null);
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
