package dev.substrate.examples.vault.internal;

import dev.substrate.SecretsConfig;
import dev.substrate.spi.ConfigSection;
import dev.substrate.spi.Redaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code vault:} config section. The {@code auth} block mirrors ESO's {@code spec.provider.vault.auth} field for
 * field; the snake_case keys are for the seeding client only.
 *
 * <pre>{@code
 * vault:
 *   server: https://vault.example.com:8200    # required: where ESO reaches Vault
 *   path: secret                              # the KV v2 mount
 *   namespace: platform                       # Vault Enterprise namespace
 *   auth:
 *     kubernetes:
 *       mountPath: kubernetes
 *       role: external-secrets                # required
 *       serviceAccountRef: {name: external-secrets, namespace: external-secrets, audiences: [vault]}
 *   address: http://127.0.0.1:8200            # where the seeding client reaches Vault; default: server
 *   token_env: VAULT_TOKEN                    # or token_file: ~/.vault-token
 * }</pre>
 */
record VaultSettings(
    URI server, URI address, String path, Optional<String> namespace, String mountPath, String role,
    String serviceAccountName, String serviceAccountNamespace, List<String> audiences, Optional<String> tokenEnv,
    Optional<Path> tokenFile) {
  static final String SECTION = "vault";
  static final String DEFAULT_TOKEN_ENV = "VAULT_TOKEN";

  private static final List<String> KEYS =
      List.of("server", "path", "namespace", "auth", "address", "token_env", "token_file");
  private static final List<String> AUTH_KEYS = List.of("kubernetes");
  private static final List<String> KUBERNETES_KEYS = List.of("mountPath", "role", "serviceAccountRef");
  private static final List<String> ACCOUNT_KEYS = List.of("name", "namespace", "audiences");
  private static final Pattern VAULT_PATH = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
  private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_.@-]+");
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  static VaultSettings from(Optional<Map<String, Object>> section, SecretsConfig secrets) {
    return new Reader(ConfigSection.of(SECTION, section.orElse(Map.of()), KEYS)).read(secrets);
  }

  /** Collects every problem of the section before failing, each as {@code <key> was '<value>' but <what it must be>}. */
  private static final class Reader {
    private final ConfigSection vault;

    Reader(ConfigSection vault) {
      this.vault = vault;
    }

    VaultSettings read(SecretsConfig secrets) {
      URI server = server(vault.string("server", ""));
      String addressText = vault.string("address", "");
      URI address = addressText.isEmpty() ? server : address(addressText);
      String path = vaultPath(vault, "path", "secret");
      if (path.equals("data") || path.endsWith("/data")) {
        vault.problem("path", path, "must be the KV v2 mount without /data, which ESO and the client append "
            + "themselves");
      }
      String namespace = vaultPath(vault, "namespace", "");

      ConfigSection kubernetes = vault.section("auth", AUTH_KEYS).section("kubernetes", KUBERNETES_KEYS);
      String mountPath = vaultPath(kubernetes, "mountPath", "kubernetes");
      String role = kubernetes.string("role", "");
      if (!ROLE.matcher(role).matches()) {
        kubernetes.problem("role", role, "must be the Vault role ESO logs in as, created with vault write auth/"
            + mountPath + "/role/ROLE");
      }
      ConfigSection account = kubernetes.section("serviceAccountRef", ACCOUNT_KEYS);
      String accountName = account.string("name", p -> p.length() <= 253 && DNS_SUBDOMAIN.matcher(p).matches(),
          "must be a ServiceAccount name: lowercase letters, digits, '-' and '.'").orElse(secrets.serviceAccount());
      String accountNamespace = account.string("namespace", n -> DNS_LABEL.matcher(n).matches(), "must be a namespace "
          + "name: lowercase letters, digits and '-', at most 63 characters").orElse(secrets.namespace());
      List<String> audiences = account.stringList("audiences", "must be a list of the audiences the Vault role "
          + "accepts, such as [vault]");

      // These keys say where the token is; a value that is not a name or path may be the token itself: never echo it.
      Optional<String> tokenEnv = vault.envVariable("token_env", DEFAULT_TOKEN_ENV);
      Optional<String> tokenFile = vault.secretFile("token_file", "~/.vault-token");
      if (vault.has("token_env") && vault.has("token_file")) {
        vault.problem("token_file", tokenFile.orElse(""), "must be left out when vault.token_env is set: name one "
            + "place for the token");
      }
      vault.check();
      return new VaultSettings(server, address, path, namespace.isEmpty() ? Optional.empty() : Optional.of(namespace),
          mountPath, role, accountName, accountNamespace, audiences,
          tokenFile.isEmpty() ? Optional.of(tokenEnv.orElse(DEFAULT_TOKEN_ENV)) : Optional.empty(),
          tokenFile.map(Reader::home));
    }

    /** A URL as an error may quote it: without user info, query and fragment, which may hold credentials. */
    private static String shownUrl(String value) {
      if (!value.contains("://")) {
        return Redaction.looksLikeToken(value) ? "(not shown: it may be a token)" : value;
      }
      String shown = Redaction.url(value);
      return shown.equals(value) ? value : shown + " (user info and query not shown)";
    }

    private static Path home(String file) {
      return file.startsWith("~/") ? Path.of(System.getProperty("user.home"), file.substring(2)) : Path.of(file);
    }

    private URI server(String value) {
      URI uri = url(value);
      if (uri == null || !"https".equals(uri.getScheme())) {
        vault.problem("server", shownUrl(value), "must be the https URL ESO reaches Vault at, such as "
            + "https://vault.example.com:8200");
        return null;
      }
      return uri;
    }

    private URI address(String value) {
      URI uri = url(value);
      boolean loopbackHttp = uri != null && "http".equals(uri.getScheme()) && LOOPBACK.contains(uri.getHost());
      if (uri == null || !("https".equals(uri.getScheme()) || loopbackHttp)) {
        vault.problem("address", shownUrl(value), "must be the https URL the seeding client reaches Vault at (http "
            + "only on the loopback interface, such as http://127.0.0.1:8200 through kubectl port-forward)");
        return null;
      }
      return uri;
    }

    /** An http(s) URL with a host and nothing after the port, without a trailing slash; null when it is not one. */
    private static URI url(String value) {
      try {
        URI uri = new URI(value);
        boolean bare = uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawQuery() == null
            && uri.getRawFragment() == null && (uri.getRawPath() == null || uri.getRawPath().matches("/?"));
        return bare ? new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null) : null;
      } catch (URISyntaxException e) {
        return null;
      }
    }

    private static String vaultPath(ConfigSection section, String key, String defaultValue) {
      String value = section.string(key, defaultValue);
      if (!value.isEmpty() && (!VAULT_PATH.matcher(value).matches() || value.matches("(.*/)?\\.{1,2}(/.*)?"))) {
        section.problem(key, value, "must be a Vault path: letters, digits, '_', '-' and '.', segments joined by '/', "
            + "with no leading or trailing '/'");
      }
      return value;
    }
  }
}
