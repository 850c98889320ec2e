package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.cloudfakes.TestTls;
import dev.substrate.cloudfakes.vault.FakeVault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The substrate command with {@code secret_backend: vault}: substrate-secrets-vault is on its class path. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class VaultCliTest {
  @TempDir Path tmp;

  private Path config(String vault) throws IOException {
    return Files.writeString(tmp.resolve("config.yaml"), "substrate: {id: hetzner}\nsecret_backend: vault\nvault:\n"
        + "  server: https://vault.example.com:8200\n" + vault);
  }

  @Test
  void render_writes_a_vault_cluster_secret_store_with_the_ca_bundle_that_the_crd_accepts() throws Exception {
    Path ca = TestTls.writeCertificatePem(tmp.resolve("vault-ca.pem"));
    Path dir = tmp.resolve("layer");
    Cli.Result r = Cli.run("render", "-c", config("  namespace: platform\n  ca_bundle: '" + ca + "'\n"
        + "  auth: {kubernetes: {role: external-secrets, serviceAccountRef: {audiences: [vault]}}}\n").toString(),
        "-o", dir.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    String store;
    try (var files = Files.list(dir)) {
      Path file = files.filter(p -> p.getFileName().toString().contains("clustersecretstore")).findFirst()
          .orElseThrow(() -> new AssertionError("no ClusterSecretStore rendered: " + r));
      store = Files.readString(file);
    }
    assertThat(store).contains("kind: ClusterSecretStore").contains("name: secret-store").contains("vault:")
        .contains("server: https://vault.example.com:8200").contains("namespace: platform")
        .contains("mountPath: kubernetes").contains("role: external-secrets")
        .contains("caBundle: " + Base64.getEncoder().encodeToString(Files.readString(ca).strip().concat("\n")
            .getBytes(StandardCharsets.US_ASCII)));

    Path validator = Path.of("/work/shared/tools/validate-manifests");
    if (!Files.isExecutable(validator)) {
      validator = Path.of("../../../shared/tools/validate-manifests").toAbsolutePath().normalize();
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(validator), "validate-manifests not found");
    Process p = new ProcessBuilder(validator.toString(), dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("0 with problems");
  }

  @Test
  void capabilities_count_one_long_lived_credential_for_app_role_and_none_for_kubernetes_auth() throws Exception {
    Cli.Result keyless = Cli.run("capabilities", "-c", config("  auth: {kubernetes: {role: eso}}\n").toString());
    assertThat(keyless.code()).as(keyless.toString()).isZero();
    assertThat(keyless.out()).contains("vault").containsPattern("secrets.keyless +NEEDS_ACTION");

    Cli.Result appRole = Cli.run("capabilities", "-c", config("  auth: {appRole: {roleId: r-1, secretRef: "
        + "{name: vault-approle, key: secret-id}}}\n").toString());
    assertThat(appRole.code()).as(appRole.toString()).isZero();
    assertThat(appRole.out()).containsPattern("secrets.keyless +UNSUPPORTED")
        .contains("one long-lived AppRole secret_id in Secret external-secrets/vault-approle");
  }

  @Test
  void secrets_seed_writes_into_vault_over_tls_and_never_prints_a_value() throws Exception {
    Path ca = TestTls.writeCertificatePem(tmp.resolve("vault-ca.pem"));
    try (FakeVault vault = FakeVault.start()) {
      Path config = config("  address: '" + vault.url() + "'\n  ca_bundle: '" + ca + "'\n  token_file: '"
          + vault.tokenFile() + "'\n  auth: {kubernetes: {role: eso}}\n");
      Path secrets = Files.writeString(tmp.resolve("secrets.yaml"), "hf-token: \"hf_v4lue-xyzzy\"\n");

      Cli.Result r = Cli.run("secrets", "seed", "--from", secrets.toString(), "-c", config.toString());

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).contains("created  hf-token");
      assertThat(r.out() + r.err()).doesNotContain("v4lue").doesNotContain(vault.token());
      assertThat(vault.data("hf-token").orElseThrow().path("value").asText()).isEqualTo("hf_v4lue-xyzzy");
    }
  }
}
