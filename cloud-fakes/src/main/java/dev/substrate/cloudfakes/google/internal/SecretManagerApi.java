package dev.substrate.cloudfakes.google.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.cloudfakes.FakeHttpServer;
import dev.substrate.cloudfakes.google.internal.SecretManagerState.Secret;
import dev.substrate.cloudfakes.google.internal.SecretManagerState.Version;
import dev.substrate.cloudfakes.google.internal.SecretManagerState.VersionState;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The Secret Manager v1 REST surface over {@link SecretManagerState}: secrets create/get/list/delete,
 * {@code :addVersion}, versions list/get, {@code :access}, {@code :enable}, {@code :disable}, {@code :destroy}. Every
 * request needs {@code Authorization: Bearer <token>} that the {@link TokenCheck} accepts; errors are Google's JSON error bodies.
 */
public final class SecretManagerApi implements FakeHttpServer.Handler {
  /** Decides on a request's bearer token. */
  public interface TokenCheck {
    /** {@code null} to accept {@code token}, else the error to answer (401 UNAUTHENTICATED, 403 PERMISSION_DENIED). */
    GoogleError check(String token);
  }

  /** The page size when the client asks for none. */
  public static final int DEFAULT_PAGE_SIZE = 25;
  /** The largest page the service returns. */
  public static final int MAX_PAGE_SIZE = 25_000;
  /** The largest payload the service accepts: 64 KiB. */
  public static final int MAX_PAYLOAD_BYTES = 65_536;

  private static final Pattern SECRET_ID = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
  private static final String P = "/v1/projects/([^/:]+)/secrets";
  private static final Pattern SECRETS = Pattern.compile(P);
  private static final Pattern SECRET = Pattern.compile(P + "/([^/:]+)");
  private static final Pattern ADD_VERSION = Pattern.compile(P + "/([^/:]+):addVersion");
  private static final Pattern VERSIONS = Pattern.compile(P + "/([^/:]+)/versions");
  private static final Pattern VERSION = Pattern.compile(P + "/([^/:]+)/versions/([^/:]+)");
  private static final Pattern VERSION_ACTION =
      Pattern.compile(P + "/([^/:]+)/versions/([^/:]+):(access|enable|disable|destroy)");

  private final ObjectMapper json = new ObjectMapper();
  private final SecretManagerState state;
  private final Supplier<TokenCheck> tokenCheck;

  public SecretManagerApi(SecretManagerState state, Supplier<TokenCheck> tokenCheck) {
    this.state = state;
    this.tokenCheck = tokenCheck;
  }

  @Override
  public FakeHttpServer.Answer handle(FakeHttpServer.Call call) {
    try {
      authenticate(call.header("Authorization"));
      return FakeHttpServer.Answer.json(200, route(call.method(), call.path(), params(call.query()), call.body()));
    } catch (GoogleError e) {
      return failure(e);
    }
  }

  /** Google's error body for an injected failure. */
  public FakeHttpServer.Answer failure(int httpStatus) {
    return failure(GoogleError.of(httpStatus));
  }

  private FakeHttpServer.Answer failure(GoogleError e) {
    FakeHttpServer.Answer answer = FakeHttpServer.Answer.json(e.httpStatus(), e.body(json));
    return e.httpStatus() == 401
        ? answer.withHeader("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\"") : answer;
  }


  private void authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new GoogleError(401, "UNAUTHENTICATED", "Request is missing required authentication credential. "
          + "Expected OAuth 2 access token, login cookie or other valid authentication credential.");
    }
    GoogleError refused = tokenCheck.get().check(authorization.substring(7).trim());
    if (refused != null) {
      throw refused;
    }
  }

  private String route(String method, String path, Map<String, String> params, byte[] body) {
    Matcher m;
    if ((m = SECRETS.matcher(path)).matches()) {
      switch (method) {
        case "GET":
          return listSecrets(m.group(1), params);
        case "POST":
          return createSecret(m.group(1), params.get("secretId"), body);
        default:
          throw notAllowed(method, path);
      }
    }
    if ((m = ADD_VERSION.matcher(path)).matches()) {
      requireMethod("POST", method, path);
      return addVersion(m.group(1), m.group(2), body);
    }
    if ((m = SECRET.matcher(path)).matches()) {
      switch (method) {
        case "GET":
          return secretJson(secret(m.group(1), m.group(2))).toString();
        case "DELETE":
          if (!state.delete(m.group(1), m.group(2))) {
            throw secretNotFound(m.group(1), m.group(2));
          }
          return "{}";
        default:
          throw notAllowed(method, path);
      }
    }
    if ((m = VERSIONS.matcher(path)).matches()) {
      requireMethod("GET", method, path);
      return listVersions(m.group(1), m.group(2), params);
    }
    if ((m = VERSION_ACTION.matcher(path)).matches()) {
      String action = m.group(4);
      requireMethod(action.equals("access") ? "GET" : "POST", method, path);
      return action.equals("access") ? access(m.group(1), m.group(2), m.group(3))
          : changeState(m.group(1), m.group(2), m.group(3), VersionState.valueOf(
              action.equals("enable") ? "ENABLED" : action.equals("disable") ? "DISABLED" : "DESTROYED"));
    }
    if ((m = VERSION.matcher(path)).matches()) {
      requireMethod("GET", method, path);
      return versionJson(m.group(1), m.group(2), version(m.group(1), m.group(2), m.group(3))).toString();
    }
    throw GoogleError.notFound("The fake Secret Manager does not serve " + method + " " + path);
  }

  private String createSecret(String project, String secretId, byte[] body) {
    if (secretId == null || secretId.isEmpty()) {
      throw GoogleError.invalid("secret_id is required");
    }
    if (!SECRET_ID.matcher(secretId).matches()) {
      throw GoogleError.invalid("Secret ID [" + secretId + "] must be 1-255 characters of letters, digits, '-' and '_'");
    }
    JsonNode secret = parse(body);
    JsonNode replication = secret.path("replication");
    if (!replication.isObject() || replication.isEmpty()) {
      throw GoogleError.invalid("Secret.replication is required");
    }
    Secret created = state.create(project, secretId, replication, secret.path("labels").isObject()
        ? secret.path("labels") : null).orElseThrow(() -> new GoogleError(409, "ALREADY_EXISTS",
            "Secret [projects/" + project + "/secrets/" + secretId + "] already exists."));
    return secretJson(created).toString();
  }

  private String listSecrets(String project, Map<String, String> params) {
    List<Secret> all = state.list(project);
    ArrayNode items = json.createArrayNode();
    ObjectNode root = json.createObjectNode();
    Page page = page(params, all.size());
    all.subList(page.from, page.to).forEach(s -> items.add(secretJson(s)));
    if (!items.isEmpty()) {
      root.set("secrets", items);
    }
    page.finish(root, all.size());
    return root.toString();
  }

  private String addVersion(String project, String id, byte[] body) {
    JsonNode payload = parse(body).path("payload");
    byte[] data = base64(payload.path("data").asText(""));
    if (data.length > MAX_PAYLOAD_BYTES) {
      throw GoogleError.invalid("Secret Payload cannot be larger than 64KiB.");
    }
    long crc = crc32c(data);
    boolean clientChecksum = payload.hasNonNull("dataCrc32c");
    if (clientChecksum) {
      long given;
      try {
        given = Long.parseLong(payload.path("dataCrc32c").asText());
      } catch (NumberFormatException e) {
        throw GoogleError.invalid("Invalid value at 'payload.data_crc32c'");
      }
      if (given != crc) {
        throw GoogleError.invalid("Checksum mismatch: the payload's data_crc32c does not match its data.");
      }
    }
    Version v = state.addVersion(project, id, data, crc, clientChecksum)
        .orElseThrow(() -> secretNotFound(project, id));
    return versionJson(project, id, v).toString();
  }

  private String listVersions(String project, String id, Map<String, String> params) {
    List<Version> all = new java.util.ArrayList<>(secret(project, id).versions());
    all.sort((a, b) -> Integer.compare(b.number(), a.number()));
    ObjectNode root = json.createObjectNode();
    ArrayNode items = json.createArrayNode();
    Page page = page(params, all.size());
    all.subList(page.from, page.to).forEach(v -> items.add(versionJson(project, id, v)));
    if (!items.isEmpty()) {
      root.set("versions", items);
    }
    page.finish(root, all.size());
    return root.toString();
  }

  private String access(String project, String id, String version) {
    Version v = version(project, id, version);
    if (v.state() != VersionState.ENABLED) {
      throw GoogleError.failedPrecondition("Secret Version [" + versionName(project, id, v) + "] is in "
          + v.state() + " state.");
    }
    ObjectNode root = json.createObjectNode();
    root.put("name", versionName(project, id, v));
    ObjectNode payload = root.putObject("payload");
    payload.put("data", Base64.getEncoder().encodeToString(v.data()));
    payload.put("dataCrc32c", Long.toString(v.crc32c()));
    return root.toString();
  }

  private String changeState(String project, String id, String version, VersionState next) {
    version(project, id, version);
    Version v = state.setState(project, id, version, next).orElseThrow(() -> versionNotFound(project, id, version));
    return versionJson(project, id, v).toString();
  }

  private Secret secret(String project, String id) {
    return state.get(project, id).orElseThrow(() -> secretNotFound(project, id));
  }

  private Version version(String project, String id, String version) {
    if (!version.equals("latest") && SecretManagerState.parseVersion(version).isEmpty()) {
      throw GoogleError.invalid("Invalid secret version [" + version + "]: use a version number or 'latest'");
    }
    Secret secret = secret(project, id);
    return state.version(project, id, version).orElseThrow(() -> version.equals("latest")
        ? GoogleError.notFound("Secret [" + secret.name() + "] not found or has no versions.")
        : versionNotFound(project, id, version));
  }

  private ObjectNode secretJson(Secret s) {
    ObjectNode node = json.createObjectNode();
    node.put("name", s.name());
    node.set("replication", s.replication());
    node.put("createTime", s.created().toString());
    if (s.labels() != null) {
      node.set("labels", s.labels());
    }
    node.put("etag", etag(s.etag()));
    return node;
  }

  private ObjectNode versionJson(String project, String id, Version v) {
    ObjectNode node = json.createObjectNode();
    node.put("name", versionName(project, id, v));
    node.put("createTime", v.created().toString());
    node.put("state", v.state().name());
    ObjectNode replication = node.putObject("replicationStatus");
    replication.putObject("automatic");
    node.put("etag", etag(v.etag()));
    if (v.clientChecksum()) {
      node.put("clientSpecifiedPayloadChecksum", true);
    }
    return node;
  }

  private static String versionName(String project, String id, Version v) {
    return "projects/" + project + "/secrets/" + id + "/versions/" + v.number();
  }

  private static String etag(long value) {
    return "\"" + Long.toHexString(0x5ec0000000L + value) + "\"";
  }

  private static GoogleError secretNotFound(String project, String id) {
    return GoogleError.notFound("Secret [projects/" + project + "/secrets/" + id + "] not found.");
  }

  private static GoogleError versionNotFound(String project, String id, String version) {
    return GoogleError.notFound("Secret Version [projects/" + project + "/secrets/" + id + "/versions/" + version
        + "] not found.");
  }

  private static GoogleError notAllowed(String method, String path) {
    return GoogleError.notFound("The fake Secret Manager does not serve " + method + " " + path);
  }

  private static void requireMethod(String expected, String method, String path) {
    if (!expected.equals(method)) {
      throw notAllowed(method, path);
    }
  }

  private JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return json.createObjectNode();
    }
    try {
      JsonNode node = json.readTree(body);
      if (node == null || !node.isObject()) {
        throw GoogleError.invalid("Invalid JSON payload received. Expected an object.");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw GoogleError.invalid("Invalid JSON payload received.");
    } catch (IOException e) {
      throw GoogleError.invalid("Invalid JSON payload received.");
    }
  }

  /** Bytes as proto3 JSON carries them: base64, standard or URL-safe, padded or not. */
  private static byte[] base64(String text) {
    String normalized = text.replace('-', '+').replace('_', '/');
    try {
      return Base64.getMimeDecoder().decode(normalized);
    } catch (IllegalArgumentException e) {
      throw GoogleError.invalid("Invalid value at 'payload.data' (TYPE_BYTES), Base64 decoding failed");
    }
  }

  /** The CRC32C (Castagnoli) checksum of {@code data}, as Secret Manager computes it. */
  public static long crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return crc.getValue();
  }

  private static Map<String, String> params(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.putIfAbsent(k, v);
    }
    return params;
  }

  private static Page page(Map<String, String> params, int total) {
    int size = DEFAULT_PAGE_SIZE;
    String pageSize = params.getOrDefault("pageSize", "");
    if (!pageSize.isEmpty()) {
      try {
        size = Integer.parseInt(pageSize);
      } catch (NumberFormatException e) {
        throw GoogleError.invalid("Invalid value at 'page_size' (TYPE_INT32), \"" + pageSize + "\"");
      }
      if (size < 0) {
        throw GoogleError.invalid("page_size must not be negative");
      }
      size = size == 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
    }
    int from = 0;
    String token = params.getOrDefault("pageToken", "");
    if (!token.isEmpty()) {
      try {
        String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        if (!decoded.startsWith("offset:")) {
          throw new IllegalArgumentException(decoded);
        }
        from = Integer.parseInt(decoded.substring(7));
      } catch (IllegalArgumentException e) {
        throw GoogleError.invalid("Invalid page token.");
      }
      if (from < 0 || from > total) {
        throw GoogleError.invalid("Invalid page token.");
      }
    }
    return new Page(from, Math.min(total, from + size));
  }

  private record Page(int from, int to) {
    void finish(ObjectNode root, int total) {
      if (to < total) {
        root.put("nextPageToken", Base64.getUrlEncoder().withoutPadding()
            .encodeToString(("offset:" + to).getBytes(StandardCharsets.UTF_8)));
      }
      if (total > 0) {
        root.put("totalSize", total);
      }
    }
  }
}
