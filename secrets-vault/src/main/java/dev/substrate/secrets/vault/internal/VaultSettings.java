package dev.substrate.secrets.vault.internal;

import dev.substrate.SecretsConfig;
import dev.substrate.spi.ConfigSection;
import dev.substrate.spi.Redaction;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code vault:} config section. {@code auth} mirrors ESO's {@code spec.provider.vault.auth} field for field (CRD
 * {@code external-secrets.io_clustersecretstores.yaml}, v1, ESO v2.9.0); the snake_case keys are this module's own, and
 * {@code address}, {@code token_env}, {@code token_file} and {@code login} are for the seeding client only.
 */
record VaultSettings(
    URI server, URI address, String path, Optional<String> namespace, Optional<String> caBundlePem, EsoAuth auth,
    Optional<String> tokenEnv, Optional<Path> tokenFile, Optional<SeedLogin> login) {
  static final String SECTION = "vault";
  static final String DEFAULT_TOKEN_ENV = "VAULT_TOKEN";
  static final String DEFAULT_JWT_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/token";

  static final List<String> KEYS = List.of("server", "path", "version", "namespace", "ca_bundle", "auth", "address",
      "token_env", "token_file", "login");
  private static final List<String> AUTH_KEYS = List.of("kubernetes", "appRole", "tokenSecretRef");
  private static final List<String> KUBERNETES_KEYS = List.of("mountPath", "role", "serviceAccountRef");
  private static final List<String> APPROLE_KEYS = List.of("path", "roleId", "secretRef");
  private static final List<String> REF_KEYS = List.of("name", "key", "namespace");
  private static final List<String> ACCOUNT_KEYS = List.of("name", "namespace", "audiences");
  private static final List<String> LOGIN_KEYS = List.of("kubernetes", "appRole");
  private static final List<String> LOGIN_KUBERNETES_KEYS = List.of("mountPath", "role", "jwt_file",
      "serviceAccountRef");
  private static final List<String> LOGIN_ACCOUNT_KEYS = List.of("name", "namespace", "audience");
  private static final List<String> LOGIN_APPROLE_KEYS = List.of("path", "role_id_env", "role_id_file",
      "secret_id_env", "secret_id_file");
  private static final Pattern VAULT_PATH = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
  private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_.@-]+");
  private static final Pattern ROLE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  /** A {@code SecretKeySelector}: {@code name}, {@code key}, {@code namespace}. */
  record SecretRef(String name, String key, String namespace) {}

  /** A {@code ServiceAccountSelector}. */
  record Account(String name, String namespace, List<String> audiences) {}

  /** How ESO authenticates: exactly one of the three is set. */
  record EsoAuth(Optional<Kubernetes> kubernetes, Optional<AppRole> appRole, Optional<SecretRef> tokenSecretRef) {}

  record Kubernetes(String mountPath, String role, Account account) {}

  record AppRole(String path, String roleId, SecretRef secretRef) {}

  /** How the seeding client logs in: {@code login.kubernetes} or {@code login.appRole}. */
  record SeedLogin(Optional<KubernetesLogin> kubernetes, Optional<AppRoleLogin> appRole) {}

  /** A JWT from {@code jwtFile}, or else from a TokenRequest for {@code account} with {@code audience}. */
  record KubernetesLogin(String mountPath, String role, Optional<Path> jwtFile, Optional<Account> account) {}

  record AppRoleLogin(String path, Optional<String> roleIdEnv, Optional<Path> roleIdFile, Optional<String> secretIdEnv,
      Optional<Path> secretIdFile) {}

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
      vault.choice("version", "v2", List.of("v2"), "must be v2: the backend writes and reads a KV version 2 engine");
      String namespace = vaultPath(vault, "namespace", "");
      Optional<String> ca = caBundle();

      ConfigSection auth = vault.section("auth", AUTH_KEYS);
      int methods = (auth.has("kubernetes") ? 1 : 0) + (auth.has("appRole") ? 1 : 0)
          + (auth.has("tokenSecretRef") ? 1 : 0);
      if (methods > 1) {
        vault.report("auth", "sets " + methods + " methods but must set exactly one of kubernetes, appRole, "
            + "tokenSecretRef");
      }
      Optional<Kubernetes> kubernetes = Optional.empty();
      Optional<AppRole> appRole = Optional.empty();
      Optional<SecretRef> tokenRef = Optional.empty();
      if (auth.has("appRole")) {
        appRole = Optional.of(appRole(auth.section("appRole", APPROLE_KEYS), secrets));
      } else if (auth.has("tokenSecretRef")) {
        tokenRef = Optional.of(ref(auth.section("tokenSecretRef", REF_KEYS), "vault-token", "token", secrets));
      } else {
        kubernetes = Optional.of(kubernetes(auth.section("kubernetes", KUBERNETES_KEYS), secrets));
      }

      // These keys say where a secret is; a value that is not a name or path may be the secret itself: never echo it.
      Optional<String> tokenEnv = vault.envVariable("token_env", DEFAULT_TOKEN_ENV);
      Optional<String> tokenFile = vault.secretFile("token_file", "~/.vault-token");
      vault.exclusive("token_env", "token_file");
      Optional<SeedLogin> login = vault.has("login") ? Optional.of(login(vault.section("login", LOGIN_KEYS),
          kubernetes.map(Kubernetes::mountPath).orElse("kubernetes"))) : Optional.empty();
      if (login.isPresent() && (vault.has("token_env") || vault.has("token_file"))) {
        vault.report("login", "and vault.token_env/token_file were both set but only one may be: the seeding client "
            + "either logs in or uses a token");
      }
      vault.check();
      return new VaultSettings(server, address, path, namespace.isEmpty() ? Optional.empty() : Optional.of(namespace),
          ca, new EsoAuth(kubernetes, appRole, tokenRef),
          tokenFile.isEmpty() ? Optional.of(tokenEnv.orElse(DEFAULT_TOKEN_ENV)) : Optional.empty(),
          tokenFile.map(Reader::home), login);
    }

    /** {@code ca_bundle}: inline PEM, or the path of a PEM file, read now; either way checked to hold certificates. */
    private Optional<String> caBundle() {
      Optional<String> value = vault.string("ca_bundle");
      if (value.isEmpty()) {
        return Optional.empty();
      }
      String pem = value.get();
      if (!CaBundle.isPem(pem)) {
        Path file = home(pem.trim());
        try {
          pem = Files.readString(file);
        } catch (IOException | RuntimeException e) {
          vault.problem("ca_bundle", pem.trim(), "must be inline PEM or a readable PEM file of the CA that signed "
              + "Vault's certificate (" + e.getClass().getSimpleName() + ")");
          return Optional.empty();
        }
      }
      try {
        CaBundle.parse(pem);
      } catch (IllegalArgumentException e) {
        vault.report("ca_bundle", "holds no usable CA certificate: " + e.getMessage());
        return Optional.empty();
      }
      return Optional.of(pem.strip() + "\n");
    }

    private static Kubernetes kubernetes(ConfigSection kubernetes, SecretsConfig secrets) {
      String mountPath = vaultPath(kubernetes, "mountPath", "kubernetes");
      String role = kubernetes.string("role", "");
      if (!ROLE.matcher(role).matches()) {
        kubernetes.problem("role", role, "must be the Vault role ESO logs in as, created with vault write auth/"
            + mountPath + "/role/ROLE");
      }
      ConfigSection account = kubernetes.section("serviceAccountRef", ACCOUNT_KEYS);
      return new Kubernetes(mountPath, role, new Account(accountName(account, secrets),
          accountNamespace(account, secrets), account.stringList("audiences", "must be a list of the audiences the "
              + "Vault role accepts, such as [vault]")));
    }

    private static String accountName(ConfigSection account, SecretsConfig secrets) {
      return account.string("name", p -> p.length() <= 253 && DNS_SUBDOMAIN.matcher(p).matches(),
          "must be a ServiceAccount name: lowercase letters, digits, '-' and '.'").orElse(secrets.serviceAccount());
    }

    private static String accountNamespace(ConfigSection account, SecretsConfig secrets) {
      return account.string("namespace", n -> DNS_LABEL.matcher(n).matches(), "must be a namespace name: lowercase "
          + "letters, digits and '-', at most 63 characters").orElse(secrets.namespace());
    }

    private static AppRole appRole(ConfigSection appRole, SecretsConfig secrets) {
      String path = vaultPath(appRole, "path", "approle");
      // A role id is an identifier, not a credential (the secret id is); still, one that looks like a token is not shown.
      Optional<String> roleId = appRole.string("roleId");
      if (roleId.isEmpty() || !ROLE_ID.matcher(roleId.get()).matches()) {
        appRole.report("roleId", "must be the AppRole's role_id (vault read auth/" + path + "/role/ROLE/role-id), "
            + "letters, digits, '-', '_' and '.'");
      }
      return new AppRole(path, roleId.orElse(""), ref(appRole.section("secretRef", REF_KEYS), "vault-approle",
          "secret-id", secrets));
    }

    private static SecretRef ref(ConfigSection ref, String defaultName, String defaultKey, SecretsConfig secrets) {
      String name = ref.string("name", p -> p.length() <= 253 && DNS_SUBDOMAIN.matcher(p).matches(),
          "must be a Secret name: lowercase letters, digits, '-' and '.'").orElse(defaultName);
      String key = ref.string("key", k -> SECRET_KEY.matcher(k).matches(), "must be a key of the Secret: letters, "
          + "digits, '-', '_' and '.'").orElse(defaultKey);
      String namespace = ref.string("namespace", n -> DNS_LABEL.matcher(n).matches(), "must be a namespace name: "
          + "lowercase letters, digits and '-', at most 63 characters").orElse(secrets.namespace());
      return new SecretRef(name, key, namespace);
    }

    private static SeedLogin login(ConfigSection login, String defaultKubernetesMount) {
      if (login.has("kubernetes") == login.has("appRole")) {
        login.report(login.has("kubernetes") ? "appRole" : "kubernetes", "must be set, or the other one: vault.login "
            + "takes exactly one of kubernetes and appRole");
      }
      if (login.has("appRole")) {
        ConfigSection a = login.section("appRole", LOGIN_APPROLE_KEYS);
        String path = vaultPath(a, "path", "approle");
        Optional<String> roleIdEnv = a.envVariable("role_id_env", "VAULT_ROLE_ID");
        Optional<String> roleIdFile = a.secretFile("role_id_file", "/etc/vault/role-id");
        Optional<String> secretIdEnv = a.envVariable("secret_id_env", "VAULT_SECRET_ID");
        Optional<String> secretIdFile = a.secretFile("secret_id_file", "/etc/vault/secret-id");
        a.exclusive("role_id_env", "role_id_file");
        a.exclusive("secret_id_env", "secret_id_file");
        if (!a.has("role_id_env") && !a.has("role_id_file")) {
          a.report("role_id_env", "or role_id_file must be set: where the seeding client reads the AppRole's role_id");
        }
        if (!a.has("secret_id_env") && !a.has("secret_id_file")) {
          a.report("secret_id_env", "or secret_id_file must be set: where the seeding client reads the AppRole's "
              + "secret_id");
        }
        return new SeedLogin(Optional.empty(), Optional.of(new AppRoleLogin(path, roleIdEnv,
            roleIdFile.map(Reader::home), secretIdEnv, secretIdFile.map(Reader::home))));
      }
      ConfigSection k = login.section("kubernetes", LOGIN_KUBERNETES_KEYS);
      String mountPath = vaultPath(k, "mountPath", defaultKubernetesMount);
      String role = k.string("role", "");
      if (!ROLE.matcher(role).matches()) {
        k.problem("role", role, "must be the Vault role the seeding client logs in as, one allowed to write the KV "
            + "engine");
      }
      k.exclusive("jwt_file", "serviceAccountRef");
      Optional<String> jwtFile = k.secretFile("jwt_file", DEFAULT_JWT_FILE);
      Optional<Account> account = Optional.empty();
      if (k.has("serviceAccountRef")) {
        ConfigSection ref = k.section("serviceAccountRef", LOGIN_ACCOUNT_KEYS);
        Optional<String> name = ref.string("name", p -> p.length() <= 253 && DNS_SUBDOMAIN.matcher(p).matches(),
            "must be a ServiceAccount name: lowercase letters, digits, '-' and '.'");
        if (!ref.has("name")) {
          ref.problem("name", "", "must name the ServiceAccount to request a token for");
        }
        String namespace = ref.string("namespace", n -> DNS_LABEL.matcher(n).matches(), "must be a namespace name")
            .orElse("default");
        String audience = ref.string("audience", "vault");
        account = Optional.of(new Account(name.orElse(""), namespace, List.of(audience)));
      }
      return new SeedLogin(Optional.of(new KubernetesLogin(mountPath, role,
          account.isPresent() ? Optional.empty() : Optional.of(home(jwtFile.orElse(DEFAULT_JWT_FILE))), account)),
          Optional.empty());
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
