package dev.substrate.examples.vault;

import dev.substrate.SubstrateConfig;
import dev.substrate.examples.vault.internal.VaultBackendProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import dev.substrate.testkit.kit.SecretBackendCompatibilityKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The vault backend against {@link FakeVault}: every test of the kit, nothing else. */
class VaultBackendCompatibilityTest extends SecretBackendCompatibilityKit {
  static FakeVault vault;

  @BeforeAll
  static void start() {
    vault = FakeVault.start();
  }

  @AfterAll
  static void stop() {
    vault.close();
  }

  @Override
  protected SecretBackendProvider provider() {
    return new VaultBackendProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("vault:\n  server: https://vault.example.com:8200\n"
        + "  address: '" + vault.url() + "'\n  token_file: '" + vault.tokenFile() + "'\n"
        + "  auth: {kubernetes: {role: external-secrets}}\n"), "byo", null);
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
