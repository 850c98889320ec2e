package dev.substrate.examples.vault.internal;

import dev.substrate.ConfigException;
import dev.substrate.SecretsConfig;
import dev.substrate.spi.Redaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  static VaultSettings from(Optional<Map<String, Object>> section, SecretsConfig secrets) {
    return new Reader().read(section.orElse(Map.of()), secrets);
  }

  /** Collects every problem of the section before failing, each as {@code <key> was '<value>' but <what it must be>}. */
  private static final class Reader {
    private final List<String> problems = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();

    VaultSettings read(Map<String, Object> vault, SecretsConfig secrets) {
      known(SECTION, vault, KEYS);
      URI server = server(text("server", vault.get("server")));
      String addressText = text("address", vault.get("address"));
      URI address = addressText.isEmpty() ? server : address(addressText);
      String path = vaultPath("path", text("path", vault.get("path")), "secret");
      if (path.equals("data") || path.endsWith("/data")) {
        problem("path", path, "the KV v2 mount without /data, which ESO and the client append themselves");
      }
      String namespace = text("namespace", vault.get("namespace"));
      if (!namespace.isEmpty()) {
        vaultPath("namespace", namespace, "");
      }

      Map<String, Object> auth = mapping("auth", vault.get("auth"), AUTH_KEYS);
      Map<String, Object> kubernetes = mapping("auth.kubernetes", auth.get("kubernetes"), KUBERNETES_KEYS);
      String mountPath = vaultPath("auth.kubernetes.mountPath", text("auth.kubernetes.mountPath",
          kubernetes.get("mountPath")), "kubernetes");
      String role = text("auth.kubernetes.role", kubernetes.get("role"));
      if (!ROLE.matcher(role).matches()) {
        problem("auth.kubernetes.role", role, "the Vault role ESO logs in as, created with vault write auth/"
            + mountPath + "/role/ROLE");
      }
      Map<String, Object> account = mapping("auth.kubernetes.serviceAccountRef", kubernetes.get("serviceAccountRef"),
          ACCOUNT_KEYS);
      String accountName = text("auth.kubernetes.serviceAccountRef.name", account.get("name"));
      if (accountName.isEmpty()) {
        accountName = secrets.serviceAccount();
      } else if (accountName.length() > 253 || !DNS_SUBDOMAIN.matcher(accountName).matches()) {
        problem("auth.kubernetes.serviceAccountRef.name", accountName, "a ServiceAccount name: lowercase letters, "
            + "digits, '-' and '.'");
      }
      String accountNamespace = text("auth.kubernetes.serviceAccountRef.namespace", account.get("namespace"));
      if (accountNamespace.isEmpty()) {
        accountNamespace = secrets.namespace();
      } else if (!DNS_LABEL.matcher(accountNamespace).matches()) {
        problem("auth.kubernetes.serviceAccountRef.namespace", accountNamespace, "a namespace name: lowercase "
            + "letters, digits and '-', at most 63 characters");
      }
      List<String> audiences = audiences(account.get("audiences"));

      String tokenEnv = text("token_env", vault.get("token_env"));
      String tokenFile = text("token_file", vault.get("token_file"));
      // These keys say where the token is; a value that is not a name or path may be the token itself: never echo it.
      if (!tokenEnv.isEmpty() && !ENV_NAME.matcher(tokenEnv).matches() && reported.add("token_env")) {
        problems.add(SECTION + ".token_env is not the name of an environment variable (its value is not shown, as it "
            + "may be a token): it must name one such as " + DEFAULT_TOKEN_ENV);
      }
      if (Redaction.looksLikeToken(tokenFile) && reported.add("token_file")) {
        problems.add(SECTION + ".token_file looks like a token, not a file name (its value is not shown): it must name "
            + "a file holding the token, such as ~/.vault-token");
      }
      if (!tokenEnv.isEmpty() && !tokenFile.isEmpty()) {
        problem("token_file", tokenFile, "left out when vault.token_env is set: name one place for the token");
      }
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
      return new VaultSettings(server, address, path, namespace.isEmpty() ? Optional.empty() : Optional.of(namespace),
          mountPath, role, accountName, accountNamespace, audiences,
          tokenFile.isEmpty() ? Optional.of(tokenEnv.isEmpty() ? DEFAULT_TOKEN_ENV : tokenEnv) : Optional.empty(),
          tokenFile.isEmpty() ? Optional.empty() : Optional.of(home(tokenFile)));
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
        problem("server", shownUrl(value), "the https URL ESO reaches Vault at, such as https://vault.example.com:8200");
        return null;
      }
      return uri;
    }

    private URI address(String value) {
      URI uri = url(value);
      boolean loopbackHttp = uri != null && "http".equals(uri.getScheme()) && LOOPBACK.contains(uri.getHost());
      if (uri == null || !("https".equals(uri.getScheme()) || loopbackHttp)) {
        problem("address", shownUrl(value), "the https URL the seeding client reaches Vault at (http only on the loopback "
            + "interface, such as http://127.0.0.1:8200 through kubectl port-forward)");
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

    private String vaultPath(String key, String value, String defaultValue) {
      if (value.isEmpty()) {
        return defaultValue;
      }
      if (!VAULT_PATH.matcher(value).matches() || value.matches("(.*/)?\\.{1,2}(/.*)?")) {
        problem(key, value, "a Vault path: letters, digits, '_', '-' and '.', segments joined by '/', with no "
            + "leading or trailing '/'");
      }
      return value;
    }

    private List<String> audiences(Object value) {
      if (value == null) {
        return List.of();
      }
      if (value instanceof List && ((List<?>) value).stream().allMatch(a -> a instanceof String && !((String) a).isBlank())) {
        return ((List<?>) value).stream().map(a -> ((String) a).trim()).toList();
      }
      problem("auth.kubernetes.serviceAccountRef.audiences", String.valueOf(value), "a list of the audiences the Vault "
          + "role accepts, such as [vault]");
      return List.of();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> mapping(String key, Object value, List<String> keys) {
      if (value == null) {
        return Map.of();
      }
      if (!(value instanceof Map)) {
        problem(key, String.valueOf(value), "a mapping of keys (" + String.join(", ", keys) + ")");
        return Map.of();
      }
      Map<String, Object> map = (Map<String, Object>) value;
      known(SECTION + "." + key, map, keys);
      return map;
    }

    private void known(String prefix, Map<String, Object> map, List<String> keys) {
      for (String key : map.keySet()) {
        if (!keys.contains(key)) {
          problems.add(prefix + "." + key + " is not a known key (known: " + String.join(", ", keys) + ")");
        }
      }
    }

    private String text(String key, Object value) {
      if (value instanceof Map || value instanceof List) {
        problem(key, String.valueOf(value), "a single value, not a " + (value instanceof Map ? "mapping" : "list"));
        return "";
      }
      return value == null ? "" : String.valueOf(value).trim();
    }

    private void problem(String key, String value, String what) {
      if (reported.add(key)) {
        problems.add(SECTION + "." + key + " was '" + value + "' but must be " + what);
      }
    }
  }
}
