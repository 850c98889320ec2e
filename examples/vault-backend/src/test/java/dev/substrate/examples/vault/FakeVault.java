package dev.substrate.examples.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.cloudfakes.FakeHttpServer;
import dev.substrate.cloudfakes.FakeService;
import dev.substrate.cloudfakes.Faults;
import dev.substrate.cloudfakes.Journal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * An in-process Vault with one KV v2 engine, speaking Vault's HTTP API over plain HTTP on the loopback interface. It
 * runs on the cloud fakes' {@link FakeHttpServer}, so it has their fault and journal surface:
 *
 * <pre>{@code
 * try (FakeVault vault = FakeVault.start()) {
 *   // vault: {address: vault.url(), token_file: vault.tokenFile(), ...}
 *   vault.faults().failNext(503);   // the next request answers 503 {"errors":["Vault is sealed"]}
 *   vault.journal().requests();     // [GET /v1/secret/data/hf-token -> 503, ...]
 * }
 * }</pre>
 *
 * <p>What it serves under {@code /v1/{mount}/}: {@code data/{name}} GET (latest, or {@code ?version=N}) and POST/PUT
 * ({@code {"data": {...}, "options": {"cas": N}}}, check-and-set enforced when given); {@code metadata/{name}} GET and
 * DELETE (every version); {@code metadata/{folder}/} LIST or GET {@code ?list=true}. A path that holds nothing answers
 * 404 {@code {"errors":[]}}, as Vault does; other mounts 404 with "no handler for route". Every request needs
 * {@code X-Vault-Token: <token()>}, else 403 {@code {"errors":["permission denied"]}}. The journal records method, path,
 * query and status, never a body or a token; {@link #namespaces()} the {@code X-Vault-Namespace} of each request.
 * Thread-safe.
 */
public final class FakeVault implements FakeService {
  private record Version(JsonNode data, Instant created) {}

  private record Fault(int status, String message) {}

  private record Answer(int status, JsonNode body) {
    FakeHttpServer.Answer wire() {
      return new FakeHttpServer.Answer(status, "application/json", body == null ? "" : body.toString(), Map.of());
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String mount;
  private final String token = "hvs.fake-" + UUID.randomUUID();
  private final Map<String, List<Version>> secrets = new TreeMap<>();
  private final Deque<Fault> scripted = new ArrayDeque<>();
  private final Deque<Fault> writeFaults = new ArrayDeque<>();
  private final List<String> namespaces = new ArrayList<>();
  private final FakeHttpServer server;
  private final Path tokenFile;

  private FakeVault(String mount) {
    this.mount = mount;
    try {
      tokenFile = Files.createTempFile("fake-vault", ".token");
      Files.writeString(tokenFile, token + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server = FakeHttpServer.builder("fake-vault").handler(this::handle)
        .failures(status -> new Answer(status, errors(message(status))).wire()).start();
  }

  /** A fake with its KV v2 engine at {@code secret/}. */
  public static FakeVault start() {
    return new FakeVault("secret");
  }

  /** A fake with its KV v2 engine at {@code mount/}. */
  public static FakeVault start(String mount) {
    return new FakeVault(mount);
  }

  @Override
  public FakeHttpServer server() {
    return server;
  }

  /** The {@code X-Vault-Namespace} each request carried, oldest first; empty for none. */
  public synchronized List<String> namespaces() {
    return List.copyOf(namespaces);
  }

  /** The only token the fake accepts. */
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
    String namespace = call.header("X-Vault-Namespace");
    namespaces.add(namespace == null ? "" : namespace);
    try {
      return answer(call.method(), call.path(), call.query(), call.header("X-Vault-Token"), call.body()).wire();
    } catch (IOException | RuntimeException e) {
      return new Answer(400, errors("failed to parse JSON input: " + e.getClass().getSimpleName())).wire();
    }
  }

  private Answer answer(String method, String path, String query, String requestToken, byte[] body) throws IOException {
    Fault fault = method.equals("POST") || method.equals("PUT") ? writeFaults.poll() : null;
    if (fault == null) {
      fault = scripted.poll();
    }
    if (fault != null) {
      return new Answer(fault.status(), errors(fault.message()));
    }
    if (!token.equals(requestToken)) {
      return new Answer(403, errors("permission denied"));
    }
    String prefix = "/v1/" + mount + "/";
    if (!path.startsWith(prefix)) {
      return noHandler(path);
    }
    String rest = path.substring(prefix.length());
    boolean list = method.equals("LIST") || (method.equals("GET") && query.contains("list=true"));
    if (rest.startsWith("data/") && rest.length() > 5) {
      String name = rest.substring(5);
      switch (method) {
        case "GET":
          return read(name, query);
        case "POST":
        case "PUT":
          return write(name, JSON.readTree(body));
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
    Version v = new Version(request.get("data").deepCopy(), Instant.now());
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
    root.set("data", data);
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
}
