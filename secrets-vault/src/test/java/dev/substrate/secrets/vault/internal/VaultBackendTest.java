package dev.substrate.secrets.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ConfigException;
import dev.substrate.ProviderNotFoundException;
import dev.substrate.RenderContext;
import dev.substrate.Rendering;
import dev.substrate.SecretBackend;
import dev.substrate.SecretStore;
import dev.substrate.SecretValue;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.cloudfakes.TestTls;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import dev.substrate.cloudfakes.vault.FakeVault;
import dev.substrate.spi.Detection;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SubstrateDefaults;
import dev.substrate.spi.SubstrateProvider;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultBackendTest {
  private static final String MINIMAL = "vault: {server: 'https://vault.example.com:8200', auth: {kubernetes: {role: eso}}}\n";

  @TempDir
  Path tmp;

  private static SecretBackend backend(String yaml) {
    return new VaultBackendProvider().create(new ProviderContext(SubstrateConfig.parse(yaml), "byo", null));
  }

  private static List<String> problems(String yaml) {
    return catchThrowableOfType(ConfigException.class, () -> backend(yaml)).problems();
  }

  private static Object spec(SecretBackend backend) {
    return backend.clusterSecretStore(RenderContext.of("byo", SubstrateConfig.defaults())).getAdditionalProperties()
        .get("spec");
  }

  @Test
  void rendersTheClusterSecretStoreThatTheCrdAccepts() throws Exception {
    SecretBackend backend = backend("vault:\n  server: https://vault.example.com:8200/\n  path: kv/platform\n"
        + "  namespace: team-a\n  auth:\n    kubernetes:\n      mountPath: k8s-prod\n      role: eso\n"
        + "      serviceAccountRef: {name: eso, namespace: eso-system, audiences: [vault]}\n");

    assertThat(spec(backend)).isEqualTo(Map.of("provider", Map.of("vault", Map.of(
        "server", "https://vault.example.com:8200", "path", "kv/platform", "version", "v2", "namespace", "team-a",
        "auth", Map.of("kubernetes", Map.of("mountPath", "k8s-prod", "role", "eso", "serviceAccountRef",
            Map.of("name", "eso", "namespace", "eso-system", "audiences", List.of("vault"))))))));

    new Rendering(backend.resources(RenderContext.of("byo", SubstrateConfig.defaults()))).writeTo(tmp.resolve("out"));
    Path tool = Path.of(System.getProperty("substrate.shared", "/work/shared"), "tools", "validate-manifests");
    Process p = new ProcessBuilder("bash", tool.toString(), tmp.resolve("out").toString()).redirectErrorStream(true)
        .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("validate-manifests finished").isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(Files.readString(tmp.resolve("out").resolve("kustomization.yaml"))).contains("clustersecretstore");
  }

  private void validates(SecretBackend backend, String dir) throws Exception {
    Path out = tmp.resolve(dir);
    new Rendering(backend.resources(RenderContext.of("byo", SubstrateConfig.defaults()))).writeTo(out);
    Path tool = Path.of(System.getProperty("substrate.shared", "/work/shared"), "tools", "validate-manifests");
    Process p = new ProcessBuilder("bash", tool.toString(), out.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("validate-manifests finished").isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }

  @Test
  void rendersAppRoleAndTokenAuthWithTheCaBundleAndCountsTheirLongLivedCredential() throws Exception {
    String pem = TestTls.certificatePem();
    Path ca = Files.writeString(tmp.resolve("vault-ca.pem"), pem);
    SecretBackend appRole = backend("secrets: {namespace: eso}\nvault:\n  server: https://vault.example.com:8200\n"
        + "  ca_bundle: '" + ca + "'\n  auth: {appRole: {path: approle-eso, roleId: 7c1e-42ab, secretRef: {name: "
        + "vault-approle, key: secret-id}}}\n");
    String base64 = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));

    assertThat(spec(appRole)).isEqualTo(Map.of("provider", Map.of("vault", Map.of(
        "server", "https://vault.example.com:8200", "path", "secret", "version", "v2", "caBundle", base64,
        "auth", Map.of("appRole", Map.of("path", "approle-eso", "roleId", "7c1e-42ab",
            "secretRef", Map.of("name", "vault-approle", "key", "secret-id", "namespace", "eso")))))));
    assertThat(appRole.capability(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS).orElseThrow().count()).hasValue(1);
    assertThat(appRole.capability(CapabilityIds.SECRETS_KEYLESS).orElseThrow().state())
        .isEqualTo(CapabilityState.UNSUPPORTED);
    validates(appRole, "approle");

    SecretBackend token = backend("vault:\n  server: https://vault.example.com:8200\n  ca_bundle: |\n"
        + pem.indent(4) + "  auth: {tokenSecretRef: {name: vault-token, key: token}}\n");
    assertThat(spec(token)).isEqualTo(Map.of("provider", Map.of("vault", Map.of(
        "server", "https://vault.example.com:8200", "path", "secret", "version", "v2", "caBundle", base64,
        "auth", Map.of("tokenSecretRef", Map.of("name", "vault-token", "key", "token",
            "namespace", "external-secrets"))))));
    assertThat(token.capability(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS).orElseThrow().count()).hasValue(1);
    assertThat(token.capability(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS).orElseThrow().reason())
        .isEqualTo("one long-lived Vault token in Secret external-secrets/vault-token (key token)");
    validates(token, "token");
  }

  @Test
  void refusesKvV1TwoAuthMethodsAndACaBundleThatIsNoCertificate() throws Exception {
    Path notPem = Files.writeString(tmp.resolve("not.pem"), "hello");
    assertThat(problems("vault:\n  server: https://vault.example.com:8200\n  version: v1\n  ca_bundle: '" + notPem
        + "'\n  auth: {kubernetes: {role: eso}, tokenSecretRef: {name: t, key: token}}\n")).containsExactly(
        "vault.version was 'v1' but must be v2: the backend writes and reads a KV version 2 engine",
        "vault.ca_bundle holds no usable CA certificate: the CA bundle holds no PEM certificate "
            + "(-----BEGIN CERTIFICATE-----)",
        "vault.auth sets 2 methods but must set exactly one of kubernetes, appRole, tokenSecretRef");
    assertThat(problems("vault:\n  server: https://vault.example.com:8200\n  ca_bundle: /nonexistent/ca.pem\n"
        + "  auth: {kubernetes: {role: eso}}\n")).containsExactly(
        "vault.ca_bundle was '/nonexistent/ca.pem' but must be inline PEM or a readable PEM file of the CA that signed "
            + "Vault's certificate (NoSuchFileException)");
  }

  @Test
  void theSeedingClientLogsInWithAppRoleFromTheEnvironment() throws Exception {
    Path ca = TestTls.writeCertificatePem(tmp.resolve("ca.pem"));
    try (FakeVault vault = FakeVault.builder().appRole("seeder", "role-1", "secret-9f2c").start()) {
      SubstrateConfig parsed = SubstrateConfig.parse("vault:\n  server: https://vault.example.com:8200\n  address: '"
          + vault.url() + "'\n  ca_bundle: '" + ca + "'\n  auth: {kubernetes: {role: eso}}\n"
          + "  login: {appRole: {role_id_env: SEED_ROLE_ID, secret_id_env: SEED_SECRET_ID}}\n");
      VaultSettings settings = VaultSettings.from(parsed.section("vault"), parsed.secrets());
      VaultBackend backend = new VaultBackend(settings, parsed,
          Map.of("SEED_ROLE_ID", "role-1", "SEED_SECRET_ID", "secret-9f2c")::get, () -> null);

      assertThat(backend.store().put("db", SecretValue.of("v"))).isEqualTo(SecretStore.PutResult.CREATED);
      assertThat(vault.logins()).containsExactly("approle:seeder");
      assertThatThrownBy(() -> new VaultBackend(settings, parsed, Map.of("SEED_ROLE_ID", "role-1")::get,
          () -> null).store()).isInstanceOf(ConfigException.class).hasMessage("vault.login.appRole.secret_id_env was "
              + "'SEED_SECRET_ID' but must name an environment variable that holds the AppRole's secret_id, and "
              + "SEED_SECRET_ID is not set");
    }
    assertThat(problems("vault:\n  server: https://vault.example.com:8200\n  token_env: VAULT_TOKEN\n"
        + "  auth: {kubernetes: {role: eso}}\n  login: {appRole: {role_id_env: R}}\n")).containsExactly(
        "vault.login.appRole.secret_id_env or secret_id_file must be set: where the seeding client reads the "
            + "AppRole's secret_id",
        "vault.login and vault.token_env/token_file were both set but only one may be: the seeding client either "
            + "logs in or uses a token");
  }

  @Test
  void theSeedingClientLogsInWithATokenRequestedForItsServiceAccount() throws Exception {
    Path ca = TestTls.writeCertificatePem(tmp.resolve("ca.pem"));
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO);
        FakeVault vault = FakeVault.builder().kubernetesRole("seeder", cluster.oidc().jwksJson(),
            List.of("external-secrets"), List.of("external-secrets"), "vault").start()) {
      cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("external-secrets")
          .endMetadata().build()).serverSideApply();
      cluster.client().serviceAccounts().inNamespace("external-secrets").resource(new ServiceAccountBuilder()
          .withNewMetadata().withName("external-secrets").endMetadata().build()).serverSideApply();
      SubstrateConfig parsed = SubstrateConfig.parse("vault:\n  server: https://vault.example.com:8200\n  address: '"
          + vault.url() + "'\n  ca_bundle: '" + ca + "'\n  auth: {kubernetes: {role: eso}}\n"
          + "  login: {kubernetes: {role: seeder, serviceAccountRef: {name: external-secrets, namespace: "
          + "external-secrets}}}\n");
      SecretBackend backend = new VaultBackendProvider().create(new ProviderContext(parsed, "byo", cluster.client()));

      assertThat(backend.store().put("db", SecretValue.of("v"))).isEqualTo(SecretStore.PutResult.CREATED);
      assertThat(vault.logins()).containsExactly("kubernetes:seeder");
      assertThatThrownBy(() -> new VaultBackendProvider().create(new ProviderContext(parsed, "byo", null)).store())
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("vault.login.kubernetes.serviceAccountRef needs a Kubernetes cluster");
    }
  }

  @Test
  void defaultsTheMountsAndTakesTheServiceAccountFromTheSecretsSection() {
    SecretBackend backend = backend(MINIMAL + "secrets: {namespace: eso-system, service_account: eso}\n");

    assertThat(spec(backend)).isEqualTo(Map.of("provider", Map.of("vault", Map.of(
        "server", "https://vault.example.com:8200", "path", "secret", "version", "v2",
        "auth", Map.of("kubernetes", Map.of("mountPath", "kubernetes", "role", "eso", "serviceAccountRef",
            Map.of("name", "eso", "namespace", "eso-system")))))));
    assertThat(backend.capability(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS).orElseThrow().count()).hasValue(0);
    assertThat(backend.capability(CapabilityIds.SECRETS_KEYLESS).orElseThrow().remedy().orElseThrow())
        .contains("vault write auth/kubernetes/role/eso bound_service_account_names=eso "
            + "bound_service_account_namespaces=eso-system");
  }

  @Test
  void reportsEveryConfigProblemAtOnceNamingTheKey() {
    assertThat(problems("profile: dev\n")).containsExactly(
        "vault.server was '' but must be the https URL ESO reaches Vault at, such as https://vault.example.com:8200",
        "vault.auth.kubernetes.role was '' but must be the Vault role ESO logs in as, created with vault write "
            + "auth/kubernetes/role/ROLE");
    assertThat(problems("vault:\n  server: http://vault.internal:8200\n  path: secret/data\n  servr: x\n"
        + "  address: http://vault.internal:8200\n  token_env: VAULT_TOKEN\n  token_file: /run/token\n"
        + "  auth: {kubernetes: {rol: eso, role: eso, serviceAccountRef: {audiences: vault}}}\n")).containsExactly(
        "vault.servr is not a known key (known: server, path, version, namespace, ca_bundle, auth, address, token_env, "
            + "token_file, login); did you mean 'server'?",
        "vault.server was 'http://vault.internal:8200' but must be the https URL ESO reaches Vault at, such as "
            + "https://vault.example.com:8200",
        "vault.address was 'http://vault.internal:8200' but must be the https URL the seeding client reaches Vault "
            + "at (http only on the loopback interface, such as http://127.0.0.1:8200 through kubectl port-forward)",
        "vault.path was 'secret/data' but must be the KV v2 mount without /data, which ESO and the client append "
            + "themselves",
        "vault.auth.kubernetes.rol is not a known key (known: mountPath, role, serviceAccountRef); did you mean "
            + "'role'?",
        "vault.auth.kubernetes.serviceAccountRef.audiences was 'vault' but must be a list of the audiences the Vault "
            + "role accepts, such as [vault]",
        "vault.token_env and vault.token_file were both set but only one may be");
    assertThatThrownBy(() -> backend("vault: {server: 'https://vault.example.com:8200?x=1', auth: {kubernetes: "
        + "{role: eso}}}\n")).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("vault.server was 'https://vault.example.com:8200 (user info and query not shown)' but "
            + "must be");
  }

  @Test
  void anOpaqueTokenWhereTheVariableNameBelongsIsRefusedWithoutEchoingIt() {
    String token = "x7Qk2pLm9RtV4sWz8YbN3cDf6GhJ1kMn5PqRs0TuVwXy2Az4Bc6De8Fg0Hj2Kl4M";
    assertThat(problems("vault:\n  server: 'https://vault.example.com:8200'\n  token_env: " + token + "\n"
        + "  auth: {kubernetes: {role: eso}}\n")).containsExactly(
        "vault.token_env looks like a token, not the name of an environment variable (its value is not shown): it "
            + "must name a variable such as VAULT_TOKEN");
  }

  @Test
  void keysThatNameWhereTheTokenIsNeverEchoAToken() {
    String token = "hvs.CAESIJ5s3cr3tT0k3nAbCdEfGhIjKlMnOp";
    assertThat(problems("vault:\n  server: 'https://root:s3cr3t@vault.example.com:8200?token=s3cr3t'\n"
        + "  token_env: " + token + "\n  auth: {kubernetes: {role: eso}}\n")).containsExactly(
        "vault.server was 'https://vault.example.com:8200 (user info and query not shown)' but must be the https URL "
            + "ESO reaches Vault at, such as https://vault.example.com:8200",
        "vault.token_env looks like a token, not the name of an environment variable (its value is not shown): it "
            + "must name a variable such as VAULT_TOKEN");
    assertThat(problems("vault:\n  server: 'https://vault.example.com:8200'\n  token_file: " + token + "\n"
        + "  auth: {kubernetes: {role: eso}}\n")).singleElement().asString()
        .startsWith("vault.token_file looks like a token").doesNotContain("s3cr3t");
  }

  @Test
  void theStoreTakesItsTokenFromTheEnvironmentOrAFileAndNeverShowsIt() throws Exception {
    Path ca = TestTls.writeCertificatePem(tmp.resolve("ca.pem"));
    try (FakeVault vault = FakeVault.start()) {
      String config = "vault: {server: 'https://vault.example.com:8200', address: '" + vault.url() + "', "
          + "ca_bundle: '" + ca + "', auth: {kubernetes: {role: eso}}";
      SubstrateConfig parsed = SubstrateConfig.parse(config + "}");
      VaultSettings settings = VaultSettings.from(parsed.section("vault"), parsed.secrets());

      VaultBackend fromEnv = new VaultBackend(settings, parsed, Map.of("VAULT_TOKEN", vault.token())::get, () -> null);
      SecretStore store = fromEnv.store();
      assertThat(store).isSameAs(fromEnv.store());
      assertThat(store.put("hf-token", SecretValue.of("v"))).isEqualTo(SecretStore.PutResult.CREATED);
      assertThat(store.toString() + fromEnv + settings).doesNotContain(vault.token());

      assertThatThrownBy(() -> new VaultBackend(settings, parsed, Map.<String, String>of()::get, () -> null).store())
          .isInstanceOf(ConfigException.class)
          .hasMessage("vault.token_env was 'VAULT_TOKEN' but must name an environment variable that holds a Vault "
              + "token, and VAULT_TOKEN is not set");

      SecretBackend fromFile = backend(config + ", token_file: '" + vault.tokenFile() + "'}");
      assertThat(fromFile.store().get("hf-token").orElseThrow().reveal()).isEqualTo("v");
      assertThatThrownBy(() -> backend(config + ", token_file: /nonexistent/token}").store())
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("vault.token_file was '/nonexistent/token' but must be a readable file");
    }
  }

  @Test
  void usersSelectItWithSecretBackendVaultAndAMisspeltIdSuggestsIt() {
    assertThat(Substrates.availableIds().get("secret_backend")).contains("vault", "fake");

    SubstrateProvider bare = new SubstrateProvider() {
      @Override
      public String id() {
        return "bare";
      }

      @Override
      public SubstrateDefaults defaults() {
        return SubstrateDefaults.builder().gpuStack("none").storage("none").loadBalancer("none")
            .secretBackend("vault").build();
      }

      @Override
      public Optional<Detection> detect(ClusterSnapshot nodes) {
        return Optional.empty();
      }
    };
    assertThatThrownBy(() -> Substrates.builder().config(SubstrateConfig.parse("secret_backend: valt\n"))
        .substrate(bare).build())
        .isInstanceOf(ProviderNotFoundException.class)
        .hasMessageContaining("no secret backend provider has id 'valt'")
        .hasMessageContaining("did you mean 'vault'?");
  }
}
