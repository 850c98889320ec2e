package dev.substrate.secrets.vault.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.cloudfakes.TestTls;
import dev.substrate.cloudfakes.vault.FakeVault;
import dev.substrate.kubefake.OidcIssuer;
import dev.substrate.secrets.vault.internal.VaultBackendProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import dev.substrate.testkit.kit.SecretBackendCompatibilityKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * vault against {@link FakeVault} over HTTPS: the client trusts only the CA in {@code vault.ca_bundle} and logs in with
 * Vault's Kubernetes auth method, presenting a ServiceAccount token from {@code vault.login.kubernetes.jwt_file}.
 */
class VaultKitTest extends SecretBackendCompatibilityKit {
  static final OidcIssuer CLUSTER = OidcIssuer.create("https://kubernetes.default.svc.cluster.local");
  static FakeVault vault;
  static Path dir;

  @BeforeAll
  static void start() throws IOException {
    vault = FakeVault.builder()
        .kubernetesRole("seeder", CLUSTER.jwksJson(), List.of("substrate-seeder"), List.of("platform"), "vault")
        .start();
    dir = Files.createTempDirectory("vault-kit");
    TestTls.writeCertificatePem(dir.resolve("ca.pem"));
    Files.writeString(dir.resolve("token"), CLUSTER.mint("platform", "substrate-seeder", List.of("vault"),
        Duration.ofHours(1)));
  }

  @AfterAll
  static void stop() throws IOException {
    vault.close();
    Files.deleteIfExists(dir.resolve("ca.pem"));
    Files.deleteIfExists(dir.resolve("token"));
    Files.deleteIfExists(dir);
  }

  @Override
  protected SecretBackendProvider provider() {
    return new VaultBackendProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("secret_backend: vault\nvault:\n"
        + "  server: https://vault.example.com:8200\n"
        + "  address: '" + vault.url() + "'\n"
        + "  ca_bundle: '" + dir.resolve("ca.pem") + "'\n"
        + "  auth: {kubernetes: {role: external-secrets}}\n"
        + "  login: {kubernetes: {role: seeder, jwt_file: '" + dir.resolve("token") + "'}}\n"), "byo", null);
  }

  @Override
  protected void failNextOperation(int status) {
    vault.faults().failNext(status);
  }

  @Override
  protected void clearFailures() {
    vault.clearFaults();
  }
}
