package dev.substrate.examples.vault.internal;

import static dev.substrate.spi.Resources.map;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.ConfigException;
import dev.substrate.RenderContext;
import dev.substrate.SecretBackend;
import dev.substrate.SecretStore;
import dev.substrate.examples.vault.VaultSecretStore;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import dev.substrate.spi.checks.ExternalSecretsChecks;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * ESO's {@code vault} provider (KV v2) with Kubernetes auth: ESO trades short-lived tokens of its ServiceAccount for
 * Vault tokens, so the cluster holds no Vault credential. Renders only the ClusterSecretStore; the Vault side (auth
 * method, role, policy) is a capability with a remedy.
 */
final class VaultBackend implements SecretBackend {
  static final String ESO_PROVIDER = "vault";
  static final String ACCESS_CAPABILITY = CapabilityIds.SECRETS_BACKEND_ACCESS;

  private final VaultSettings settings;
  private final Function<String, String> env;
  private VaultSecretStore store;

  VaultBackend(VaultSettings settings, Function<String, String> env) {
    this.settings = settings;
    this.env = env;
  }

  @Override
  public String id() {
    return VaultBackendProvider.ID;
  }

  @Override
  public List<Capability> capabilities() {
    String mount = settings.mountPath();
    String account = settings.serviceAccountNamespace() + "/" + settings.serviceAccountName();
    String inNamespace = settings.namespace().map(ns -> " (with VAULT_NAMESPACE=" + ns + ")").orElse("");
    return List.of(
        Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.NEEDS_ACTION,
            "ESO logs in to Vault's kubernetes auth method at auth/" + mount + " as role " + settings.role()
                + " with short-lived tokens of ServiceAccount " + account,
            "let Vault verify the cluster's tokens" + inNamespace + ": vault auth enable -path=" + mount
                + " kubernetes; vault write auth/" + mount + "/config kubernetes_host=https://KUBERNETES_API:6443; "
                + "vault write auth/" + mount + "/role/" + settings.role() + " bound_service_account_names="
                + settings.serviceAccountName() + " bound_service_account_namespaces="
                + settings.serviceAccountNamespace() + " policies=" + settings.role() + " ttl=15m"
                + (settings.audiences().isEmpty() ? "" : " audience=" + settings.audiences().get(0))),
        Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS).state(CapabilityState.SUPPORTED)
            .reason("ESO trades a short-lived ServiceAccount token for a Vault token at each login; no Vault token "
                + "is stored in the cluster")
            .count(0).build(),
        Capability.of(ACCESS_CAPABILITY, CapabilityState.NEEDS_ACTION,
            "role " + settings.role() + " must be allowed to read the KV v2 engine at " + settings.path() + "/",
            "vault secrets enable -path=" + settings.path() + " kv-v2 (unless it is mounted); vault policy write "
                + settings.role() + " - <<< 'path \"" + settings.path() + "/data/*\" { capabilities = [\"read\"] } "
                + "path \"" + settings.path() + "/metadata/*\" { capabilities = [\"read\", \"list\"] }'"
                + inNamespace));
  }

  @Override
  public GenericKubernetesResource clusterSecretStore(RenderContext context) {
    Map<String, Object> account = map(
        "name", settings.serviceAccountName(), "namespace", settings.serviceAccountNamespace());
    if (!settings.audiences().isEmpty()) {
      account.put("audiences", settings.audiences());
    }
    Map<String, Object> vault = map("server", settings.server().toString(), "path", settings.path(), "version", "v2");
    settings.namespace().ifPresent(ns -> vault.put("namespace", ns));
    vault.put("auth", map("kubernetes", map(
        "mountPath", settings.mountPath(), "role", settings.role(), "serviceAccountRef", account)));
    return Resources.custom("external-secrets.io/v1", "ClusterSecretStore", null, STORE_NAME,
        map("provider", map(ESO_PROVIDER, vault)));
  }

  @Override
  public List<Check> checks() {
    return ExternalSecretsChecks.forBackend(this, ESO_PROVIDER);
  }

  /**
   * A {@link VaultSecretStore} at {@code vault.address} (else {@code vault.server}) with the token in
   * {@code vault.token_file}, re-read for each operation, or else in the environment variable {@code vault.token_env};
   * made on first use and kept.
   */
  @Override
  public synchronized SecretStore store() {
    if (store == null) {
      VaultSecretStore.Builder b = VaultSecretStore.builder().address(settings.address().toString())
          .mount(settings.path()).token(token());
      settings.namespace().ifPresent(b::namespace);
      store = b.build();
    }
    return store;
  }

  private Supplier<String> token() {
    if (settings.tokenFile().isPresent()) {
      Path file = settings.tokenFile().get();
      if (!Files.isReadable(file) || Files.isDirectory(file)) {
        throw new ConfigException(VaultSettings.SECTION + ".token_file was '" + file + "' but must be a readable file "
            + "holding a Vault token, such as ~/.vault-token");
      }
      return () -> {
        try {
          return Files.readString(file);
        } catch (IOException e) {
          throw new UncheckedIOException("token file " + file + " could not be read (" + e.getClass().getSimpleName()
              + ")", e);
        }
      };
    }
    String name = settings.tokenEnv().orElseThrow();
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      throw new ConfigException(VaultSettings.SECTION + ".token_env was '" + name + "' but must name an environment "
          + "variable that holds a Vault token, and " + name + " is " + (value == null ? "not set" : "empty"));
    }
    return () -> value;
  }

  @Override
  public String toString() {
    return "VaultBackend[" + settings.server() + ", mount " + settings.path() + "]";
  }
}
