package dev.substrate.secrets.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.BackendException;
import dev.substrate.SecretStore;
import dev.substrate.SecretValue;
import dev.substrate.secrets.vault.internal.CaBundle;
import dev.substrate.spi.Retry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * Secrets in a Vault KV v2 engine, over Vault's HTTP API (https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2)
 * with the JDK's {@link HttpClient}. A secret {@code NAME} is the KV entry {@code NAME} whose data is {@code {"value":
 * "<text>"}}, which an ExternalSecret reads with {@code remoteRef: {key: NAME, property: value}}; a value that is not
 * UTF-8 text is stored base64-encoded with {@code "encoding": "base64"} beside it (read it with
 * {@code decodingStrategy: Base64}).
 *
 * <pre>{@code
 * SecretStore store = VaultSecretStore.builder().address("https://vault.example.com:8200")
 *     .caBundle(Files.readString(Path.of("vault-ca.pem")))                 // trust only this CA
 *     .kubernetesLogin("kubernetes", "seeder", () -> readJwt())           // or appRoleLogin(...), or token(...)
 *     .build();
 * store.put("hf-token", SecretValue.of("hf_..."));
 * }</pre>
 *
 * <p>With a login ({@link Builder#kubernetesLogin}, {@link Builder#appRoleLogin}) the store logs in on first use
 * ({@code POST /v1/auth/<path>/login}, https://developer.hashicorp.com/vault/api-docs/auth/kubernetes#login and
 * .../auth/approle#login-with-approle) and again when the token's lease is nine-tenths over. {@link #put} reads the
 * latest version first, writes nothing when it is equal, and writes with check-and-set so that a concurrent writer is
 * noticed. {@link #delete} removes every version and the metadata. Failures are {@link BackendException}s carrying
 * Vault's {@code errors}, never a value, a token, a JWT or a secret id.
 */
public final class VaultSecretStore implements SecretStore {
  private static final String PROVIDER = "vault";
  private static final String VALUE = "value";
  private static final String ENCODING = "encoding";
  private static final String BASE64 = "base64";
  private static final String REDACTED = "<redacted>";
  /** Three attempts in all for a write that lost a check-and-set race. */
  private static final Retry CAS_RACES = Retry.of(3, e -> e instanceof LostRace);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
  private static final Pattern DOT_SEGMENT = Pattern.compile("(.*/)?\\.{1,2}(/.*)?");
  private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]+");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String address;
  private final String mount;
  private final String namespace;
  private final Supplier<String> token;
  private final Login login;
  private final boolean customTrust;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;
  private Lease lease;

  private VaultSecretStore(Builder b) {
    this.address = b.address;
    this.mount = b.mount;
    this.namespace = b.namespace;
    this.token = b.token;
    this.login = b.login;
    this.timeout = b.timeout;
    this.clock = b.clock;
    this.customTrust = b.sslContext != null;
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(b.timeout)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (b.sslContext != null) {
      http.sslContext(b.sslContext);
    }
    this.http = http.build();
  }

  private static boolean tlsRefused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException) {
        return true;
      }
    }
    return false;
  }

  /** A login to an auth method: where, as which role, and the body's secret fields, read at each login. */
  private record Login(String kind, String path, String role, Supplier<String> first, String firstField,
      Supplier<String> second, String secondField) {}

  /** A token from a login, and when to log in again. */
  private record Lease(String token, Instant renewAt) {}

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public PutResult put(String name, SecretValue value) {
    Objects.requireNonNull(value, "value");
    Call call = new Call("put", name, value);
    try {
      return CAS_RACES.call(() -> putOnce(call, name, value));
    } catch (LostRace e) {
      throw e.failure;
    }
  }

  private PutResult putOnce(Call call, String name, SecretValue value) {
    Response current = call.send("GET", data(name), null);
    long cas;
    boolean exists = current.status == 200;
    if (exists) {
      JsonNode latest = current.json(call).path("data");
      if (latest.path("data").isObject() && decode(latest.path("data")).equals(value)) {
        return PutResult.UNCHANGED;
      }
      cas = latest.path("metadata").path("version").asLong();
    } else if (current.absent(call)) {
      cas = current.json(call).path("data").path("metadata").path("version").asLong(0);
    } else {
      throw call.failure(current);
    }
    ObjectNode body = JSON.createObjectNode();
    body.putObject("options").put("cas", cas);
    encode(value, body.putObject("data"));
    Response written = call.send("POST", data(name), body);
    if (written.status == 200 || written.status == 204) {
      return exists ? PutResult.UPDATED : PutResult.CREATED;
    }
    boolean raced = written.status == 400 && String.join(" ", written.errors(call)).contains("check-and-set");
    throw raced ? new LostRace(call.failure(written)) : call.failure(written);
  }

  /** A check-and-set write that lost to another writer; {@link #put} reads and writes again. */
  private static final class LostRace extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final BackendException failure;

    LostRace(BackendException failure) {
      super(null, null, false, false);
      this.failure = failure;
    }
  }

  @Override
  public Optional<SecretValue> get(String name) {
    return read(new Call("get", name, null), data(name));
  }

  /** Version {@code version} (1 for the first) of {@code name}, or empty when that version does not exist. */
  public Optional<SecretValue> get(String name, int version) {
    Call call = new Call("get", name, null);
    if (version < 1) {
      throw call.invalid("version " + version + " does not exist: versions count from 1");
    }
    return read(call, data(name) + "?version=" + version);
  }

  private Optional<SecretValue> read(Call call, String path) {
    Response r = call.send("GET", path, null);
    if (r.absent(call)) {
      return Optional.empty();
    }
    if (r.status != 200) {
      throw call.failure(r);
    }
    JsonNode data = r.json(call).path("data").path("data");
    return data.isObject() ? Optional.of(decode(data)) : Optional.empty();
  }

  /** Every secret under the mount, folders walked, as {@code folder/name}. */
  @Override
  public List<String> list() {
    Call call = new Call("list", null, null);
    List<String> names = new ArrayList<>();
    Deque<String> folders = new ArrayDeque<>(List.of(""));
    while (!folders.isEmpty()) {
      String folder = folders.pop();
      Response r = call.send("GET", "/v1/" + mount + "/metadata/" + folder + "?list=true", null);
      if (r.absent(call)) {
        continue;
      }
      if (r.status != 200) {
        throw call.failure(r);
      }
      for (JsonNode key : r.json(call).path("data").path("keys")) {
        String entry = folder + key.asText();
        if (entry.endsWith("/")) {
          folders.push(entry);
        } else {
          names.add(entry);
        }
      }
    }
    names.sort(null);
    return names;
  }

  @Override
  public boolean delete(String name) {
    Call call = new Call("delete", name, null);
    Response metadata = call.send("GET", metadata(name), null);
    if (metadata.absent(call)) {
      return false;
    }
    if (metadata.status != 200) {
      throw call.failure(metadata);
    }
    Response deleted = call.send("DELETE", metadata(name), null);
    if (deleted.status != 204 && deleted.status != 200) {
      throw call.failure(deleted);
    }
    return true;
  }

  @Override
  public String toString() {
    return "VaultSecretStore[" + address + ", mount " + mount + (namespace == null ? "" : ", namespace " + namespace)
        + (login == null ? "" : ", " + login.kind() + " login as " + login.role()) + "]";
  }

  /** The token for the next request: the login's while its lease lasts, else a new login's. */
  private synchronized String loginToken(Call call) {
    if (lease != null && clock.instant().isBefore(lease.renewAt())) {
      return lease.token();
    }
    lease = null;
    String first = call.secretText(login.first(), login.firstField().equals("jwt") ? "ServiceAccount token"
        : "AppRole role_id");
    String second = login.second() == null ? null : call.secretText(login.second(), "AppRole secret_id");
    ObjectNode body = JSON.createObjectNode();
    if (login.role() != null && login.firstField().equals("jwt")) {
      body.put("role", login.role());
    }
    body.put(login.firstField(), first);
    if (second != null) {
      body.put(login.secondField(), second);
    }
    call.secrets(first, second);
    Response r = call.send("POST", "/v1/auth/" + login.path() + "/login", body, false);
    String where = login.kind() + " login at auth/" + login.path()
        + (login.firstField().equals("jwt") ? " as role " + login.role() : "");
    if (r.status != 200) {
      String said = call.said(r);
      String hint = r.status == 400 || r.status == 403 ? (login.firstField().equals("jwt")
          ? "does the role bind this ServiceAccount and namespace, and does Vault trust the cluster's tokens?"
          : "are the role_id and secret_id current?") : call.hint(r.status);
      throw call.failure(r.status, where + " failed: " + (said.isEmpty() ? hint : hint.isEmpty() ? said
          : said + " (" + hint + ")"));
    }
    JsonNode auth = r.json(call).path("auth");
    String client = auth.path("client_token").asText("");
    if (!TOKEN.matcher(client).matches()) {
      throw call.failure(r.status, where + " answered no client_token");
    }
    long seconds = auth.path("lease_duration").asLong(0);
    Instant renewAt = seconds <= 0 ? Instant.MAX : clock.instant().plusSeconds(Math.max(1, seconds * 9 / 10));
    lease = new Lease(client, renewAt);
    return client;
  }

  private String data(String name) {
    return "/v1/" + mount + "/data/" + name;
  }

  private String metadata(String name) {
    return "/v1/" + mount + "/metadata/" + name;
  }

  private static void encode(SecretValue value, ObjectNode data) {
    byte[] bytes = value.revealBytes();
    try {
      data.put(VALUE, StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      data.put(VALUE, Base64.getEncoder().encodeToString(bytes));
      data.put(ENCODING, BASE64);
    }
  }

  /** The value of a KV entry; one written by other means than {@link #put} reads as its whole data, as JSON. */
  private static SecretValue decode(JsonNode data) {
    JsonNode value = data.path(VALUE);
    if (value.isTextual() && data.size() == 1) {
      return SecretValue.of(value.textValue());
    }
    if (value.isTextual() && data.size() == 2 && BASE64.equals(data.path(ENCODING).asText())) {
      try {
        return SecretValue.ofBytes(Base64.getDecoder().decode(value.textValue()));
      } catch (IllegalArgumentException e) {
        // not ours after all: the whole data, below
      }
    }
    return SecretValue.of(data.toString());
  }

  private record Response(int status, byte[] body) {
    JsonNode json(Call call) {
      if (body.length == 0) {
        return JSON.missingNode();
      }
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw call.failure(status, "Vault's answer is not JSON; is the address a Vault server?");
      }
    }

    /** Vault's answer for a path that holds nothing: 404 with no errors (another 404 is a wrong mount or address). */
    boolean absent(Call call) {
      if (status != 404 || body.length == 0 || body[0] != '{') {
        return false;
      }
      JsonNode errors = json(call).path("errors");
      return errors.isArray() && errors.isEmpty();
    }

    /** Vault's {@code errors}; empty for answers that are not Vault's JSON. */
    List<String> errors(Call call) {
      List<String> errors = new ArrayList<>();
      if (body.length > 0 && body[0] == '{') {
        json(call).path("errors").forEach(e -> errors.add(e.asText()));
      }
      return errors;
    }
  }

  /** One operation of the store: its requests, and the exceptions that name it, the secret and never the value. */
  private final class Call {
    private final String operation;
    private final String name;
    private final SecretValue value;
    private String tokenText;
    private final List<String> loginSecrets = new ArrayList<>();

    Call(String operation, String name, SecretValue value) {
      this.operation = operation;
      this.name = name;
      this.value = value;
      if (name != null && (name.length() > 512 || !NAME.matcher(name).matches() || DOT_SEGMENT.matcher(name).matches())) {
        throw invalid("a secret name must be letters, digits, '_', '-' and '.', in segments joined by '/'");
      }
    }

    Response send(String method, String path, JsonNode body) {
      return send(method, path, body, true);
    }

    Response send(String method, String path, JsonNode body, boolean authenticated) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + path)).timeout(timeout)
          .header("X-Vault-Request", "true");
      if (authenticated) {
        request.header("X-Vault-Token", token());
      }
      if (namespace != null) {
        request.header("X-Vault-Namespace", namespace);
      }
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        byte[] bytes;
        try {
          bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
          throw failure(0, "the request could not be written as JSON");
        }
        request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
      }
      try {
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), response.body());
      } catch (IOException e) {
        if (tlsRefused(e)) {
          throw new BackendException(PROVIDER, operation, name, 0, false, "Vault at " + address + " failed the TLS "
              + "handshake: " + (customTrust ? "its certificate is not signed by a CA of the CA bundle "
                  + "(vault.ca_bundle), or does not name the host" : "its certificate is not trusted by the JVM's "
                  + "default trust store; set vault.ca_bundle to the CA that signed it"), null);
        }
        throw new BackendException(PROVIDER, operation, name, 0, true, "Vault at " + address + " could not be "
            + "reached: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " "
            + redact(e.getMessage())), null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackendException(PROVIDER, operation, name, 0, false, "interrupted", null);
      }
    }

    private String token() {
      if (tokenText == null) {
        tokenText = login != null ? loginToken(this) : secretText(token, "Vault token");
      }
      return tokenText;
    }

    /** A secret read from {@code source}, trimmed; it must fit in a header or a JSON string unquoted. */
    String secretText(Supplier<String> source, String what) {
      String t;
      try {
        t = source.get();
      } catch (RuntimeException e) {
        throw new BackendException(PROVIDER, operation, name, 0, false, "the " + what + " could not be read: "
            + e.getMessage(), null);
      }
      t = t == null ? "" : t.trim();
      if (!TOKEN.matcher(t).matches()) {
        throw invalid("the " + what + " is " + (t.isEmpty() ? "empty" : "not printable ASCII without spaces"));
      }
      return t;
    }

    /** Login secrets that a message must never repeat. */
    void secrets(String first, String second) {
      loginSecrets.add(first);
      if (second != null) {
        loginSecrets.add(second);
      }
    }

    BackendException invalid(String detail) {
      return new BackendException(PROVIDER, operation, name, 0, false, detail, null);
    }

    String said(Response r) {
      return String.join("; ", r.errors(this)).replaceAll("\\d+ errors? occurred:", "")
          .replaceAll("\\s*\\*\\s+", " ").replaceAll("\\s+", " ").trim();
    }

    BackendException failure(Response r) {
      String said = said(r);
      String hint = hint(r.status);
      String detail = said.isEmpty() ? hint : hint.isEmpty() ? said : said + " (" + hint + ")";
      return failure(r.status, detail);
    }

    BackendException failure(int status, String detail) {
      return new BackendException(PROVIDER, operation, name, status, status >= 500 || status == 429, redact(detail),
          null);
    }

    String hint(int status) {
      switch (status) {
        case 400:
          return "Vault rejected the request";
        case 403:
          return "the token is invalid or its policies do not allow " + operation + " on " + mount + "/";
        case 404:
          return "is a KV v2 engine mounted at " + mount + "/?";
        case 429:
          return "Vault is rate-limiting requests";
        case 503:
          return "Vault is sealed, in maintenance or unavailable";
        default:
          return status >= 300 && status < 400 ? "Vault redirected the request; set the address of the active node"
              : "";
      }
    }

    private String redact(String detail) {
      String text = detail.length() > 400 ? detail.substring(0, 400) + "..." : detail;
      if (tokenText != null) {
        text = text.replace(tokenText, REDACTED);
      }
      for (String secret : loginSecrets) {
        text = text.replace(secret, REDACTED);
      }
      if (value != null && value.length() > 0) {
        text = text.replace(value.reveal(), REDACTED)
            .replace(Base64.getEncoder().encodeToString(value.revealBytes()), REDACTED);
      }
      return text;
    }
  }

  /** Where the store reaches Vault and with what token. */
  public static final class Builder {
    private String address;
    private String mount = "secret";
    private String namespace;
    private Supplier<String> token;
    private Login login;
    private SSLContext sslContext;
    private Duration timeout = Duration.ofSeconds(30);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Vault's address, such as {@code https://vault.example.com:8200}. */
    public Builder address(String value) {
      URI uri = URI.create(value);
      if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
        throw new IllegalArgumentException("address '" + value + "' must be an http(s) URL with a host");
      }
      this.address = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
      return this;
    }

    /** The path the KV v2 engine is mounted at; {@code secret} unless set. */
    public Builder mount(String value) {
      if (!NAME.matcher(value).matches()) {
        throw new IllegalArgumentException("mount '" + value + "' must be a Vault path such as secret or kv/team");
      }
      this.mount = value;
      return this;
    }

    /** The Vault Enterprise namespace, sent as {@code X-Vault-Namespace}. */
    public Builder namespace(String value) {
      this.namespace = value == null || value.isBlank() ? null : value;
      return this;
    }

    /**
     * Where each operation gets the token it sends as {@code X-Vault-Token}; asked once per operation. Replaces a
     * login.
     */
    public Builder token(Supplier<String> value) {
      this.token = Objects.requireNonNull(value, "token");
      this.login = null;
      return this;
    }

    /**
     * Log in with Vault's Kubernetes auth method mounted at {@code mountPath} as {@code role}, presenting the
     * ServiceAccount token {@code jwt} gives (a projected token file, or a TokenRequest), read at each login. Replaces a
     * token.
     */
    public Builder kubernetesLogin(String mountPath, String role, Supplier<String> jwt) {
      this.login = new Login("kubernetes", path(mountPath, "mountPath"), Objects.requireNonNull(role, "role"),
          Objects.requireNonNull(jwt, "jwt"), "jwt", null, null);
      this.token = null;
      return this;
    }

    /**
     * Log in with Vault's AppRole auth method mounted at {@code path}, presenting the role id and secret id the
     * suppliers give, read at each login. Replaces a token.
     */
    public Builder appRoleLogin(String path, Supplier<String> roleId, Supplier<String> secretId) {
      this.login = new Login("approle", path(path, "path"), null, Objects.requireNonNull(roleId, "roleId"),
          "role_id", Objects.requireNonNull(secretId, "secretId"), "secret_id");
      this.token = null;
      return this;
    }

    /**
     * Trust only the CA certificates in {@code pem} (one or more {@code -----BEGIN CERTIFICATE-----} blocks) for
     * Vault's TLS certificate, instead of the JVM's default trust store.
     *
     * @throws IllegalArgumentException when {@code pem} holds no certificate
     */
    public Builder caBundle(String pem) {
      this.sslContext = CaBundle.sslContext(CaBundle.parse(pem));
      return this;
    }

    /** The clock a login's lease is judged by; the system clock unless set. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    private static String path(String value, String what) {
      if (value == null || !NAME.matcher(value).matches()) {
        throw new IllegalArgumentException(what + " '" + value + "' must be a Vault path such as kubernetes");
      }
      return value;
    }

    /** How long to wait for a connection and for each answer; 30 seconds unless set. */
    public Builder timeout(Duration value) {
      this.timeout = Objects.requireNonNull(value, "timeout");
      return this;
    }

    public VaultSecretStore build() {
      if (address == null) {
        throw new IllegalStateException("VaultSecretStore needs an address");
      }
      if (token == null && login == null) {
        throw new IllegalStateException("VaultSecretStore needs a token or a login");
      }
      return new VaultSecretStore(this);
    }
  }
}
