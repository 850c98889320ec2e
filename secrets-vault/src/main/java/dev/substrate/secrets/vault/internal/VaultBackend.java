package dev.substrate.secrets.vault.internal;

import static dev.substrate.spi.Resources.map;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.ConfigException;
import dev.substrate.RenderContext;
import dev.substrate.SecretBackend;
import dev.substrate.SecretStore;
import dev.substrate.SubstrateConfig;
import dev.substrate.secrets.vault.VaultSecretStore;
import dev.substrate.secrets.vault.internal.VaultSettings.Account;
import dev.substrate.secrets.vault.internal.VaultSettings.AppRoleLogin;
import dev.substrate.secrets.vault.internal.VaultSettings.KubernetesLogin;
import dev.substrate.secrets.vault.internal.VaultSettings.SecretRef;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import dev.substrate.spi.checks.ExternalSecretsChecks;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * ESO's {@code vault} provider (KV v2), fields as in ESO's CRD ({@code external-secrets.io_clustersecretstores.yaml},
 * v1, ESO v2.9.0: {@code server}, {@code path}, {@code version}, {@code namespace}, {@code caBundle} (base64 PEM),
 * {@code auth.kubernetes{mountPath, role, serviceAccountRef}}, {@code auth.appRole{path, roleId, secretRef}},
 * {@code auth.tokenSecretRef}). With Kubernetes auth ESO trades short-lived tokens of its ServiceAccount for Vault
 * tokens, so the cluster holds no Vault credential; AppRole and token auth keep one in a Secret. Renders only the
 * ClusterSecretStore; the Vault side (auth method, role, policy) is a capability with a remedy.
 */
final class VaultBackend implements SecretBackend {
  static final String ESO_PROVIDER = "vault";
  /** A TokenRequest's shortest lifetime, which is enough for a login. */
  private static final long TOKEN_REQUEST_SECONDS = 600;

  private final VaultSettings settings;
  private final SubstrateConfig config;
  private final Function<String, String> env;
  private final Supplier<KubernetesClient> client;
  private VaultSecretStore store;

  VaultBackend(VaultSettings settings, SubstrateConfig config, Function<String, String> env,
      Supplier<KubernetesClient> client) {
    this.settings = settings;
    this.config = config;
    this.env = env;
    this.client = client;
  }

  @Override
  public String id() {
    return VaultBackendProvider.ID;
  }

  private String inNamespace() {
    return settings.namespace().map(ns -> " (with VAULT_NAMESPACE=" + ns + ")").orElse("");
  }

  private static String where(SecretRef ref) {
    return "Secret " + ref.namespace() + "/" + ref.name() + " (key " + ref.key() + ")";
  }

  @Override
  public List<Capability> capabilities() {
    List<Capability> capabilities = new ArrayList<>();
    VaultSettings.EsoAuth auth = settings.auth();
    String policy;
    if (auth.kubernetes().isPresent()) {
      VaultSettings.Kubernetes k = auth.kubernetes().get();
      Account a = k.account();
      policy = k.role();
      capabilities.add(Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.NEEDS_ACTION,
          "ESO logs in to Vault's kubernetes auth method at auth/" + k.mountPath() + " as role " + k.role()
              + " with short-lived tokens of ServiceAccount " + a.namespace() + "/" + a.name(),
          "let Vault verify the cluster's tokens" + inNamespace() + ": vault auth enable -path=" + k.mountPath()
              + " kubernetes; vault write auth/" + k.mountPath() + "/config kubernetes_host=https://KUBERNETES_API:6443; "
              + "vault write auth/" + k.mountPath() + "/role/" + k.role() + " bound_service_account_names="
              + a.name() + " bound_service_account_namespaces=" + a.namespace() + " policies=" + k.role() + " ttl=15m"
              + (a.audiences().isEmpty() ? "" : " audience=" + a.audiences().get(0))));
      capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
          .state(CapabilityState.SUPPORTED).count(0)
          .reason("ESO trades a short-lived ServiceAccount token for a Vault token at each login; no Vault "
              + "credential is stored in the cluster")
          .build());
    } else if (auth.appRole().isPresent()) {
      VaultSettings.AppRole r = auth.appRole().get();
      policy = "ROLE";
      capabilities.add(Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.UNSUPPORTED,
          "vault.auth.appRole logs in with an AppRole secret_id kept in " + where(r.secretRef()),
          "use vault.auth.kubernetes: Vault's kubernetes auth method takes ESO's short-lived ServiceAccount tokens"));
      capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
          .state(CapabilityState.NEEDS_ACTION).count(1)
          .reason("one long-lived AppRole secret_id in " + where(r.secretRef()))
          .remedy("create it" + inNamespace() + ": kubectl -n " + r.secretRef().namespace() + " create secret generic "
              + r.secretRef().name() + " --from-literal=" + r.secretRef().key() + "=\"$(vault write -f -field="
              + "secret_id auth/" + r.path() + "/role/ROLE/secret-id)\"; rotate it regularly, or switch to "
              + "vault.auth.kubernetes")
          .build());
    } else {
      SecretRef ref = auth.tokenSecretRef().orElseThrow();
      policy = "POLICY";
      capabilities.add(Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.UNSUPPORTED,
          "vault.auth.tokenSecretRef authenticates with a Vault token kept in " + where(ref),
          "use vault.auth.kubernetes: Vault's kubernetes auth method takes ESO's short-lived ServiceAccount tokens"));
      capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
          .state(CapabilityState.NEEDS_ACTION).count(1)
          .reason("one long-lived Vault token in " + where(ref))
          .remedy("create it" + inNamespace() + ": kubectl -n " + ref.namespace() + " create secret generic "
              + ref.name() + " --from-literal=" + ref.key() + "=\"$(vault token create -policy=POLICY -period=24h "
              + "-field=token)\"; renew or rotate it, or switch to vault.auth.kubernetes")
          .build());
    }
    capabilities.add(Capability.of(CapabilityIds.SECRETS_BACKEND_ACCESS, CapabilityState.NEEDS_ACTION,
        "ESO's Vault identity must be allowed to read the KV v2 engine at " + settings.path() + "/",
        "vault secrets enable -path=" + settings.path() + " kv-v2 (unless it is mounted); vault policy write "
            + policy + " - <<< 'path \"" + settings.path() + "/data/*\" { capabilities = [\"read\"] } "
            + "path \"" + settings.path() + "/metadata/*\" { capabilities = [\"read\", \"list\"] }'"
            + inNamespace()));
    return capabilities;
  }

  @Override
  public GenericKubernetesResource clusterSecretStore(RenderContext context) {
    Map<String, Object> vault = map("server", settings.server().toString(), "path", settings.path(), "version", "v2");
    settings.namespace().ifPresent(ns -> vault.put("namespace", ns));
    settings.caBundlePem().ifPresent(pem -> vault.put("caBundle", CaBundle.base64(pem)));
    VaultSettings.EsoAuth auth = settings.auth();
    if (auth.kubernetes().isPresent()) {
      VaultSettings.Kubernetes k = auth.kubernetes().get();
      Map<String, Object> account = map("name", k.account().name(), "namespace", k.account().namespace());
      if (!k.account().audiences().isEmpty()) {
        account.put("audiences", k.account().audiences());
      }
      vault.put("auth", map("kubernetes", map("mountPath", k.mountPath(), "role", k.role(),
          "serviceAccountRef", account)));
    } else if (auth.appRole().isPresent()) {
      VaultSettings.AppRole r = auth.appRole().get();
      vault.put("auth", map("appRole", map("path", r.path(), "roleId", r.roleId(), "secretRef", ref(r.secretRef()))));
    } else {
      vault.put("auth", map("tokenSecretRef", ref(auth.tokenSecretRef().orElseThrow())));
    }
    return Resources.custom("external-secrets.io/v1", "ClusterSecretStore", null, STORE_NAME,
        map("provider", map(ESO_PROVIDER, vault)));
  }

  private static Map<String, Object> ref(SecretRef ref) {
    return map("name", ref.name(), "key", ref.key(), "namespace", ref.namespace());
  }

  /**
   * ESO's checks (CRDs, the store Ready with provider {@code vault}, the long-lived credential count: 0 with
   * Kubernetes auth, 1 with AppRole or a token) and the ESO release the rendered {@code external-secrets.io/v1} store
   * needs (v0.16.0, its first v1 API).
   */
  @Override
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>(ExternalSecretsChecks.forBackend(this, ESO_PROVIDER, config));
    checks.add(ExternalSecretsChecks.version("v0.16.0", "the rendered external-secrets.io/v1 ClusterSecretStore"));
    return checks;
  }

  /**
   * A {@link VaultSecretStore} at {@code vault.address} (else {@code vault.server}), trusting {@code vault.ca_bundle}
   * when set, that logs in as {@code vault.login} says, else sends the token in {@code vault.token_file} (re-read for
   * each operation) or in the environment variable {@code vault.token_env}; made on first use and kept.
   */
  @Override
  public synchronized SecretStore store() {
    if (store == null) {
      VaultSecretStore.Builder b = VaultSecretStore.builder().address(settings.address().toString())
          .mount(settings.path());
      settings.namespace().ifPresent(b::namespace);
      settings.caBundlePem().ifPresent(b::caBundle);
      if (settings.login().isPresent()) {
        login(b, settings.login().get());
      } else {
        b.token(token());
      }
      store = b.build();
    }
    return store;
  }

  private void login(VaultSecretStore.Builder b, VaultSettings.SeedLogin login) {
    if (login.kubernetes().isPresent()) {
      KubernetesLogin k = login.kubernetes().get();
      Supplier<String> jwt;
      if (k.account().isPresent()) {
        Account account = k.account().get();
        KubernetesClient kube = client.get();
        jwt = () -> tokenRequest(kube, account);
      } else {
        jwt = file(k.jwtFile().orElseThrow(), "login.kubernetes.jwt_file", "a ServiceAccount token");
      }
      b.kubernetesLogin(k.mountPath(), k.role(), jwt);
      return;
    }
    AppRoleLogin a = login.appRole().orElseThrow();
    Supplier<String> roleId = a.roleIdFile().isPresent()
        ? file(a.roleIdFile().get(), "login.appRole.role_id_file", "the AppRole's role_id")
        : env(a.roleIdEnv().orElseThrow(), "login.appRole.role_id_env", "the AppRole's role_id");
    Supplier<String> secretId = a.secretIdFile().isPresent()
        ? file(a.secretIdFile().get(), "login.appRole.secret_id_file", "the AppRole's secret_id")
        : env(a.secretIdEnv().orElseThrow(), "login.appRole.secret_id_env", "the AppRole's secret_id");
    b.appRoleLogin(a.path(), roleId, secretId);
  }

  private static String tokenRequest(KubernetesClient kube, Account account) {
    TokenRequest request = new TokenRequestBuilder().withNewSpec().withAudiences(account.audiences())
        .withExpirationSeconds(TOKEN_REQUEST_SECONDS).endSpec().build();
    TokenRequest answer = kube.serviceAccounts().inNamespace(account.namespace()).withName(account.name())
        .tokenRequest(request);
    String token = answer == null || answer.getStatus() == null ? null : answer.getStatus().getToken();
    if (token == null || token.isEmpty()) {
      throw new IllegalStateException("the TokenRequest for ServiceAccount " + account.namespace() + "/"
          + account.name() + " returned no token");
    }
    return token;
  }

  private Supplier<String> token() {
    if (settings.tokenFile().isPresent()) {
      return file(settings.tokenFile().get(), "token_file", "a Vault token, such as ~/.vault-token");
    }
    return env(settings.tokenEnv().orElseThrow(), "token_env", "a Vault token");
  }

  /** A file, checked now and re-read for each use. */
  private static Supplier<String> file(Path file, String key, String holding) {
    if (!Files.isReadable(file) || Files.isDirectory(file)) {
      throw new ConfigException(VaultSettings.SECTION + "." + key + " was '" + file + "' but must be a readable file "
          + "holding " + holding);
    }
    return () -> {
      try {
        return Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException(file + " could not be read (" + e.getClass().getSimpleName() + ")", e);
      }
    };
  }

  /** An environment variable, read now. */
  private Supplier<String> env(String name, String key, String holding) {
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      throw new ConfigException(VaultSettings.SECTION + "." + key + " was '" + name + "' but must name an environment "
          + "variable that holds " + holding + ", and " + name + " is " + (value == null ? "not set" : "empty"));
    }
    return () -> value;
  }

  @Override
  public String toString() {
    return "VaultBackend[" + settings.server() + ", mount " + settings.path() + "]";
  }
}
