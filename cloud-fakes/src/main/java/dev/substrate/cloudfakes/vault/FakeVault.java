package dev.substrate.cloudfakes.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.substrate.cloudfakes.FakeHttpServer;
import dev.substrate.cloudfakes.FakeService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * An in-process Vault with one KV v2 engine, a Kubernetes auth method and an AppRole auth method, speaking Vault's
 * HTTP API over HTTPS (the cloud fakes' {@link dev.substrate.cloudfakes.TestTls} certificate; plain HTTP on request)
 * on the loopback interface. It has the cloud fakes' fault and journal surface:
 *
 * <pre>{@code
 * try (FakeVault vault = FakeVault.builder().mount("secret")
 *     .kubernetesRole("external-secrets", cluster.oidc().jwksJson(), List.of("external-secrets"),
 *         List.of("external-secrets"))
 *     .appRole("seeder", "role-id", "secret-id").start()) {
 *   // ca_bundle: TestTls.certificatePem(); address: vault.url()
 *   vault.faults().failNext(503);   // the next request answers 503 {"errors":["Vault is sealed"]}
 *   vault.journal().requests();     // [GET /v1/secret/data/hf-token -> 503, ...]
 * }
 * }</pre>
 *
 * <p>Routes, as Vault's API documents them (https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2,
 * .../api-docs/auth/kubernetes, .../api-docs/auth/approle):
 * <ul>
 *   <li>{@code /v1/{mount}/data/{name}} GET (latest, or {@code ?version=N}) and POST/PUT ({@code {"data": {...},
 *       "options": {"cas": N}}}, check-and-set enforced when given);</li>
 *   <li>{@code /v1/{mount}/metadata/{name}} GET and DELETE (every version), {@code metadata/{folder}/} LIST or GET
 *       {@code ?list=true};</li>
 *   <li>{@code POST /v1/auth/{kubernetesMount}/login} {@code {"role", "jwt"}}: the JWT must be RS256, signed by a key
 *       of the role's JWKS (standing in for Vault's TokenReview or {@code pem_keys}), unexpired, with the role's
 *       audience when it has one, and its {@code kubernetes.io} namespace and ServiceAccount name among the role's
 *       {@code bound_service_account_namespaces} / {@code _names};</li>
 *   <li>{@code POST /v1/auth/{appRoleMount}/login} {@code {"role_id", "secret_id"}}.</li>
 * </ul>
 * Refusals are worded as Vault's: {@code 400 invalid role name "X"}, {@code 403 namespace not authorized},
 * {@code 403 service account name not authorized} (hashicorp/vault-plugin-auth-kubernetes {@code path_login.go}; older
 * releases answered these with 500), {@code 400 invalid role or secret ID} for AppRole.
 * A login answers {@code {"auth": {"client_token", "lease_duration", "renewable", "policies", ...}}}; its token is
 * valid for {@link Builder#tokenTtl} and in the namespace it logged in to. Every other request needs
 * {@code X-Vault-Token} ({@link #token()} or a token from a login), else 403 {@code {"errors":["permission
 * denied"]}}. A path that holds nothing answers 404 {@code {"errors":[]}}, as Vault does; other paths 404 with "no
 * handler for route". When the fake has a {@link Builder#namespace namespace} (Vault Enterprise), requests whose
 * {@code X-Vault-Namespace} differs find no route. The journal records method, path, query and status, never a body
 * or a token; {@link #namespaces()} the {@code X-Vault-Namespace} of each request. Thread-safe.
 */
public final class FakeVault implements FakeService {
  private record Version(JsonNode data, Instant created) {}

  private record Fault(int status, String message) {}

  private record KubernetesRole(JWKSet keys, List<String> names, List<String> namespaces, Optional<String> audience) {}

  private record AppRole(String name, String secretId) {}

  private record Issued(Instant expires) {}

  private record Answer(int status, JsonNode body) {
    FakeHttpServer.Answer wire() {
      return new FakeHttpServer.Answer(status, "application/json", body == null ? "" : body.toString(), Map.of());
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String mount;
  private final String namespace;
  private final String kubernetesMount;
  private final String appRoleMount;
  private final Map<String, KubernetesRole> kubernetesRoles;
  private final Map<String, AppRole> appRoles;
  private final Duration tokenTtl;
  private final Clock clock;
  private final String token = "hvs.fake-" + UUID.randomUUID();
  private final Map<String, Issued> issued = new HashMap<>();
  private final Map<String, List<Version>> secrets = new TreeMap<>();
  private final Deque<Fault> scripted = new ArrayDeque<>();
  private final Deque<Fault> writeFaults = new ArrayDeque<>();
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> logins = new ArrayList<>();
  private final FakeHttpServer server;
  private final Path tokenFile;

  private FakeVault(Builder b) {
    this.mount = b.mount;
    this.namespace = b.namespace;
    this.kubernetesMount = b.kubernetesMount;
    this.appRoleMount = b.appRoleMount;
    this.kubernetesRoles = Map.copyOf(b.kubernetesRoles);
    this.appRoles = Map.copyOf(b.appRoles);
    this.tokenTtl = b.tokenTtl;
    this.clock = b.clock;
    try {
      tokenFile = Files.createTempFile("fake-vault", ".token");
      Files.writeString(tokenFile, token + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server = FakeHttpServer.builder("fake-vault").https(b.https).handler(this::handle)
        .failures(status -> new Answer(status, errors(message(status))).wire()).start();
  }

  /** A fake over HTTPS with its KV v2 engine at {@code secret/}, no roles, and only {@link #token()}. */
  public static FakeVault start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public FakeHttpServer server() {
    return server;
  }

  /** The {@code X-Vault-Namespace} each request carried, oldest first; empty for none. */
  public synchronized List<String> namespaces() {
    return List.copyOf(namespaces);
  }

  /** The successful logins, oldest first, as {@code kubernetes:ROLE} or {@code approle:ROLE}. */
  public synchronized List<String> logins() {
    return List.copyOf(logins);
  }

  /** A token the fake always accepts, as a root token is. */
  public String token() {
    return token;
  }

  /** A file holding {@link #token()} and a newline, as {@code vault login} leaves {@code ~/.vault-token}. */
  public Path tokenFile() {
    return tokenFile;
  }

  private static String message(int status) {
    return switch (status) {
      case 403 -> "permission denied";
      case 429 -> "request path \"secret/data\": rate limit quota exceeded";
      case 503 -> "Vault is sealed";
      default -> "1 error occurred:\n\t* injected fault\n\n";
    };
  }

  /** Makes the next request answer {@code status} with {@code {"errors": [message]}}, as Vault words its errors. */
  public synchronized void answerNext(int status, String message) {
    scripted.add(new Fault(status, message));
  }

  /** Makes the next write ({@code POST} or {@code PUT}) answer {@code status} with {@code {"errors": [message]}}. */
  public synchronized void failNextWrite(int status, String message) {
    writeFaults.add(new Fault(status, message));
  }

  /** Removes the injected failures, scripted answers and delay. */
  public synchronized void clearFaults() {
    server.faults().clear();
    scripted.clear();
    writeFaults.clear();
  }

  /** The data of the latest version of {@code name}, as stored, without going through the API. */
  public synchronized Optional<JsonNode> data(String name) {
    List<Version> versions = secrets.get(name);
    return versions == null ? Optional.empty() : Optional.of(versions.get(versions.size() - 1).data());
  }

  /** How many versions {@code name} has; 0 when it does not exist. */
  public synchronized int versions(String name) {
    return secrets.getOrDefault(name, List.of()).size();
  }

  @Override
  public void close() {
    server.close();
    try {
      Files.deleteIfExists(tokenFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized FakeHttpServer.Answer handle(FakeHttpServer.Call call) {
    String ns = call.header("X-Vault-Namespace");
    namespaces.add(ns == null ? "" : ns);
    try {
      return answer(call, normalize(ns)).wire();
    } catch (IOException | RuntimeException e) {
      return new Answer(400, errors("failed to parse JSON input: " + e.getClass().getSimpleName())).wire();
    }
  }

  private static String normalize(String ns) {
    return ns == null ? "" : ns.replaceAll("^/+|/+$", "");
  }

  private Answer answer(FakeHttpServer.Call call, String ns) throws IOException {
    String method = call.method();
    String path = call.path();
    Fault fault = method.equals("POST") || method.equals("PUT") ? writeFaults.poll() : null;
    if (fault == null) {
      fault = scripted.poll();
    }
    if (fault != null) {
      return new Answer(fault.status(), errors(fault.message()));
    }
    if (!ns.equals(namespace)) {
      return noHandler(path);
    }
    if (method.equals("POST") && path.equals("/v1/auth/" + kubernetesMount + "/login")) {
      return kubernetesLogin(JSON.readTree(call.body()));
    }
    if (method.equals("POST") && path.equals("/v1/auth/" + appRoleMount + "/login")) {
      return appRoleLogin(JSON.readTree(call.body()));
    }
    if (!valid(call.header("X-Vault-Token"))) {
      return new Answer(403, errors("permission denied"));
    }
    String prefix = "/v1/" + mount + "/";
    if (!path.startsWith(prefix)) {
      return noHandler(path);
    }
    String rest = path.substring(prefix.length());
    String query = call.query();
    boolean list = method.equals("LIST") || (method.equals("GET") && query.contains("list=true"));
    if (rest.startsWith("data/") && rest.length() > 5) {
      String name = rest.substring(5);
      switch (method) {
        case "GET":
          return read(name, query);
        case "POST":
        case "PUT":
          return write(name, JSON.readTree(call.body()));
        default:
          return new Answer(405, errors("unsupported operation"));
      }
    }
    if (rest.startsWith("metadata/") || rest.equals("metadata")) {
      String name = rest.equals("metadata") ? "" : rest.substring(9);
      if (list) {
        return list(name);
      }
      if (name.isEmpty()) {
        return new Answer(405, errors("unsupported operation"));
      }
      switch (method) {
        case "GET":
          return metadata(name);
        case "DELETE":
          secrets.remove(name);
          return new Answer(204, null);
        default:
          return new Answer(405, errors("unsupported operation"));
      }
    }
    return noHandler(path);
  }

  private boolean valid(String presented) {
    if (presented == null) {
      return false;
    }
    if (presented.equals(token)) {
      return true;
    }
    Issued i = issued.get(presented);
    return i != null && clock.instant().isBefore(i.expires());
  }

  private Answer kubernetesLogin(JsonNode request) {
    String roleName = request.path("role").asText("");
    String jwt = request.path("jwt").asText("");
    if (roleName.isEmpty()) {
      return new Answer(400, errors("missing role"));
    }
    if (jwt.isEmpty()) {
      return new Answer(400, errors("missing jwt"));
    }
    KubernetesRole role = kubernetesRoles.get(roleName);
    if (role == null) {
      return new Answer(400, errors("invalid role name \"" + roleName + "\""));
    }
    JWTClaimsSet claims;
    try {
      SignedJWT signed = SignedJWT.parse(jwt);
      if (!verified(signed, role.keys())) {
        return new Answer(403, errors("permission denied"));
      }
      claims = signed.getJWTClaimsSet();
    } catch (ParseException | JOSEException e) {
      return new Answer(400, errors("failed to parse the JWT: " + e.getClass().getSimpleName()));
    }
    Date expiry = claims.getExpirationTime();
    if (expiry == null || !clock.instant().isBefore(expiry.toInstant())) {
      return new Answer(403, errors("permission denied"));
    }
    if (role.audience().isPresent() && (claims.getAudience() == null
        || !claims.getAudience().contains(role.audience().get()))) {
      return new Answer(403, errors("invalid audience (aud) claim: audience claim does not match any expected "
          + "audience"));
    }
    String[] subject = String.valueOf(claims.getSubject()).split(":");
    if (subject.length != 4 || !subject[0].equals("system") || !subject[1].equals("serviceaccount")) {
      return new Answer(403, errors("permission denied"));
    }
    if (!role.namespaces().contains("*") && !role.namespaces().contains(subject[2])) {
      return new Answer(403, errors("namespace not authorized"));
    }
    if (!role.names().contains("*") && !role.names().contains(subject[3])) {
      return new Answer(403, errors("service account name not authorized"));
    }
    logins.add("kubernetes:" + roleName);
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("role", roleName);
    metadata.put("service_account_name", subject[3]);
    metadata.put("service_account_namespace", subject[2]);
    return issue(roleName, metadata);
  }

  private static boolean verified(SignedJWT signed, JWKSet keys) throws JOSEException {
    String kid = signed.getHeader().getKeyID();
    for (JWK key : keys.getKeys()) {
      if (key instanceof RSAKey rsa && (kid == null || kid.equals(rsa.getKeyID()))) {
        JWSVerifier verifier = new RSASSAVerifier(rsa);
        if (signed.verify(verifier)) {
          return true;
        }
      }
    }
    return false;
  }

  private Answer appRoleLogin(JsonNode request) {
    String roleId = request.path("role_id").asText("");
    String secretId = request.path("secret_id").asText("");
    if (roleId.isEmpty()) {
      return new Answer(400, errors("missing role_id"));
    }
    AppRole role = appRoles.get(roleId);
    if (role == null || !role.secretId().equals(secretId)) {
      return new Answer(400, errors("invalid role or secret ID"));
    }
    logins.add("approle:" + role.name());
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("role_name", role.name());
    return issue(role.name(), metadata);
  }

  private Answer issue(String policy, ObjectNode metadata) {
    String client = "hvs.issued-" + UUID.randomUUID();
    issued.put(client, new Issued(clock.instant().plus(tokenTtl)));
    ObjectNode auth = JSON.createObjectNode();
    auth.put("client_token", client);
    auth.put("accessor", UUID.randomUUID().toString());
    auth.putArray("policies").add("default").add(policy);
    auth.putArray("token_policies").add("default").add(policy);
    auth.set("metadata", metadata);
    auth.put("lease_duration", tokenTtl.toSeconds());
    auth.put("renewable", true);
    ObjectNode root = envelope(null);
    root.set("auth", auth);
    return new Answer(200, root);
  }

  private Answer read(String name, String query) {
    List<Version> versions = secrets.get(name);
    if (versions == null) {
      return new Answer(404, errors());
    }
    int version = versions.size();
    for (String param : query.split("&")) {
      if (param.startsWith("version=")) {
        int asked = Integer.parseInt(param.substring(8));
        version = asked == 0 ? version : asked;
      }
    }
    if (version < 1 || version > versions.size()) {
      return new Answer(404, errors());
    }
    Version v = versions.get(version - 1);
    ObjectNode data = JSON.createObjectNode();
    data.set("data", v.data());
    data.set("metadata", versionMetadata(v, version));
    return new Answer(200, envelope(data));
  }

  private Answer write(String name, JsonNode request) {
    if (!request.path("data").isObject()) {
      return new Answer(400, errors("no data provided"));
    }
    List<Version> versions = secrets.getOrDefault(name, List.of());
    JsonNode cas = request.path("options").path("cas");
    if (!cas.isMissingNode() && cas.asLong() != versions.size()) {
      return new Answer(400, errors("check-and-set parameter did not match the current version"));
    }
    Version v = new Version(request.get("data").deepCopy(), clock.instant());
    secrets.computeIfAbsent(name, n -> new ArrayList<>()).add(v);
    return new Answer(200, envelope(versionMetadata(v, secrets.get(name).size())));
  }

  private Answer metadata(String name) {
    List<Version> versions = secrets.get(name);
    if (versions == null) {
      return new Answer(404, errors());
    }
    ObjectNode data = JSON.createObjectNode();
    data.put("current_version", versions.size());
    data.put("oldest_version", 0);
    data.put("max_versions", 0);
    data.put("cas_required", false);
    data.put("created_time", versions.get(0).created().toString());
    data.put("updated_time", versions.get(versions.size() - 1).created().toString());
    ObjectNode all = data.putObject("versions");
    for (int i = 0; i < versions.size(); i++) {
      ObjectNode v = all.putObject(String.valueOf(i + 1));
      v.put("created_time", versions.get(i).created().toString());
      v.put("deletion_time", "");
      v.put("destroyed", false);
    }
    return new Answer(200, envelope(data));
  }

  private Answer list(String folder) {
    if (!folder.isEmpty() && !folder.endsWith("/")) {
      folder = folder + "/";
    }
    TreeSet<String> keys = new TreeSet<>();
    for (String name : secrets.keySet()) {
      if (name.startsWith(folder)) {
        String rest = name.substring(folder.length());
        int slash = rest.indexOf('/');
        keys.add(slash < 0 ? rest : rest.substring(0, slash + 1));
      }
    }
    if (keys.isEmpty()) {
      return new Answer(404, errors());
    }
    ObjectNode data = JSON.createObjectNode();
    ArrayNode array = data.putArray("keys");
    keys.forEach(array::add);
    return new Answer(200, envelope(data));
  }

  private static ObjectNode versionMetadata(Version v, int version) {
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("created_time", v.created().toString());
    metadata.putNull("custom_metadata");
    metadata.put("deletion_time", "");
    metadata.put("destroyed", false);
    metadata.put("version", version);
    return metadata;
  }

  private static ObjectNode envelope(JsonNode data) {
    ObjectNode root = JSON.createObjectNode();
    root.put("request_id", UUID.randomUUID().toString());
    root.put("lease_id", "");
    root.put("renewable", false);
    root.put("lease_duration", 0);
    if (data == null) {
      root.putNull("data");
    } else {
      root.set("data", data);
    }
    root.putNull("wrap_info");
    root.putNull("warnings");
    root.putNull("auth");
    return root;
  }

  private static Answer noHandler(String path) {
    return new Answer(404, errors("no handler for route \"" + path.substring(Math.min(path.length(), 4))
        + "\". route entry not found."));
  }

  private static ObjectNode errors(String... messages) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode errors = root.putArray("errors");
    for (String m : messages) {
      errors.add(m);
    }
    return root;
  }

  /** Options of a {@link FakeVault}. */
  public static final class Builder {
    private String mount = "secret";
    private String namespace = "";
    private String kubernetesMount = "kubernetes";
    private String appRoleMount = "approle";
    private final Map<String, KubernetesRole> kubernetesRoles = new LinkedHashMap<>();
    private final Map<String, AppRole> appRoles = new LinkedHashMap<>();
    private Duration tokenTtl = Duration.ofHours(1);
    private Clock clock = Clock.systemUTC();
    private boolean https = true;

    private Builder() {}

    /** Where the KV v2 engine is mounted; {@code secret} by default. */
    public Builder mount(String value) {
      mount = path(value, "mount");
      return this;
    }

    /** The Vault Enterprise namespace everything lives in; the root namespace by default. */
    public Builder namespace(String value) {
      namespace = normalize(Objects.requireNonNull(value, "namespace"));
      return this;
    }

    /** Where the Kubernetes auth method is mounted; {@code kubernetes} by default. */
    public Builder kubernetesMount(String value) {
      kubernetesMount = path(value, "kubernetesMount");
      return this;
    }

    /** Where the AppRole auth method is mounted; {@code approle} by default. */
    public Builder appRoleMount(String value) {
      appRoleMount = path(value, "appRoleMount");
      return this;
    }

    /**
     * A role of the Kubernetes auth method, as {@code vault write auth/kubernetes/role/NAME
     * bound_service_account_names=... bound_service_account_namespaces=...} makes one ({@code "*"} allows any), whose
     * logins present tokens that a key of {@code jwksJson} (the cluster's {@code /openid/v1/jwks}) signed.
     */
    public Builder kubernetesRole(String name, String jwksJson, List<String> serviceAccountNames,
        List<String> serviceAccountNamespaces) {
      return kubernetesRole(name, jwksJson, serviceAccountNames, serviceAccountNamespaces, null);
    }

    /** {@link #kubernetesRole(String, String, List, List)} with the role's {@code audience}, which tokens must carry. */
    public Builder kubernetesRole(String name, String jwksJson, List<String> serviceAccountNames,
        List<String> serviceAccountNamespaces, String audience) {
      try {
        kubernetesRoles.put(Objects.requireNonNull(name, "name"), new KubernetesRole(JWKSet.parse(jwksJson),
            List.copyOf(serviceAccountNames), List.copyOf(serviceAccountNamespaces), Optional.ofNullable(audience)));
      } catch (ParseException e) {
        throw new IllegalArgumentException("jwksJson is not a JWK set: " + e.getMessage(), e);
      }
      return this;
    }

    /** An AppRole {@code name} whose login takes {@code roleId} with {@code secretId}. */
    public Builder appRole(String name, String roleId, String secretId) {
      appRoles.put(Objects.requireNonNull(roleId, "roleId"), new AppRole(Objects.requireNonNull(name, "name"),
          Objects.requireNonNull(secretId, "secretId")));
      return this;
    }

    /** How long a token issued by a login is valid; one hour by default. */
    public Builder tokenTtl(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("tokenTtl must be positive: " + value);
      }
      tokenTtl = value;
      return this;
    }

    /** The clock token and JWT expiry is judged by; the system clock by default. */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Whether to serve HTTPS with the cloud fakes' test certificate; true by default. */
    public Builder https(boolean value) {
      https = value;
      return this;
    }

    public FakeVault start() {
      return new FakeVault(this);
    }

    private static String path(String value, String what) {
      if (value == null || !value.matches("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")) {
        throw new IllegalArgumentException(what + " must be a Vault path without leading or trailing '/': " + value);
      }
      return value;
    }
  }
}
