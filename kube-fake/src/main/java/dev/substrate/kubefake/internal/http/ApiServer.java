package dev.substrate.kubefake.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.kubefake.internal.apply.Patches;
import dev.substrate.kubefake.internal.apply.ServerSideApply;
import dev.substrate.kubefake.internal.store.CrdStatus;
import dev.substrate.kubefake.internal.store.Json;
import dev.substrate.kubefake.internal.store.ObjectStore;
import dev.substrate.kubefake.internal.store.ResourceRegistry;
import dev.substrate.kubefake.internal.store.ResourceType;
import dev.substrate.kubefake.internal.store.Selectors;
import dev.substrate.kubefake.internal.tokens.ServiceAccountIssuer;
import dev.substrate.kubefake.internal.tokens.TokenRequests;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded API server's dispatcher: routes each request to discovery, health, version and openapi
 * documents, or to the {@link ObjectStore}, adding what Fabric8's CRUD mock lacks (paginated and
 * selector-filtered LISTs, server-side apply, strategic and RFC 7386 merge patches, dry runs, real
 * {@code Status} errors, the service-account issuer's discovery documents and TokenRequests) and recording every
 * request.
 */
public final class ApiServer extends Dispatcher {

  /** Told about every request once it has been answered. */
  public interface Listener {
    void onRequest(Instant time, String method, ApiPath path, String verb, int status);
  }

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final String JSON = "application/json";

  private final Json json;
  private final ResourceRegistry registry;
  private final ObjectStore store;
  private final Faults faults;
  private final String versionJson;
  private final MockWebServer server;
  private final Listener listener;
  private final Statuses statuses;
  private final Discovery discovery;
  private final ServerSideApply ssa;
  private final CrdStatus crdStatus;
  private final Tables tables;
  private final ServiceAccountIssuer issuer;
  private final TokenRequests tokenRequests;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile String serverAddress = "127.0.0.1:443";

  public ApiServer(Json json, ResourceRegistry registry, ObjectStore store, Faults faults, String versionJson,
      MockWebServer server, Listener listener, ServiceAccountIssuer issuer) {
    this.json = json;
    this.registry = registry;
    this.store = store;
    this.faults = faults;
    this.versionJson = versionJson;
    this.server = server;
    this.listener = listener;
    this.statuses = new Statuses(json);
    this.discovery = new Discovery(json, registry);
    this.ssa = new ServerSideApply(json);
    this.crdStatus = new CrdStatus(json);
    this.tables = new Tables(json);
    this.issuer = issuer;
    this.tokenRequests = new TokenRequests(json, store, statuses, issuer);
  }

  /** Runs {@code call} under the store's read lock, as requests read it. */
  public <T> T readLocked(Supplier<T> call) {
    Lock l = lock.readLock();
    l.lock();
    try {
      return call.get();
    } finally {
      l.unlock();
    }
  }

  /** The {@code host:port} discovery advertises. */
  public void setServerAddress(String hostPort) {
    this.serverAddress = hostPort;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    Instant time = Instant.now();
    String method = request.method() == null ? "UNKNOWN" : request.method().name();
    ApiPath path = ApiPath.parse(request.getPath());
    MockResponse response;
    try {
      response = route(request, method, path);
    } catch (RuntimeException e) {
      LOG.warn("embedded API server failed on {} {}", method, request.getPath(), e);
      response = json(500, statuses.failure(500, "InternalError", "an error on the server (" + e + ")", null,
          null, null));
    }
    drainServerQueue();
    listener.onRequest(time, method, path, path.verb(method), response.code());
    Duration delay = faults.delay();
    if (!delay.isZero() && response.getWebSocketListener() == null) {
      response.setBodyDelay(delay);
    }
    return response;
  }

  private MockResponse route(RecordedRequest request, String method, ApiPath p) {
    if (faults.failingAll() > 0) {
      return serverError(faults.failingAll());
    }
    if (p.type() == ApiPath.Type.RESOURCE) {
      return resource(request, method, p);
    }
    if (p.type() == ApiPath.Type.OTHER && (p.path().equals(ServiceAccountIssuer.DISCOVERY_PATH)
        || p.path().equals(ServiceAccountIssuer.JWKS_PATH))) {
      return issuerDocument(method, p);
    }
    if (!method.equals("GET")) {
      return json(405, statuses.failure(405, "MethodNotAllowed", "the server does not allow this method on the "
          + "requested resource", null, null, null));
    }
    switch (p.type()) {
      case ROOT:
        return json(200, discovery.rootPaths());
      case VERSION:
        return json(200, versionJson);
      case HEALTH:
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain; charset=utf-8")
            .setBody("ok");
      case OPENAPI_V2:
        // An empty protobuf document: kubectl finds no schema and skips client-side validation.
        return new MockResponse().setResponseCode(200)
            .setHeader("Content-Type", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
            .setBody(new Buffer());
      case OPENAPI_V3:
        return p.group().isEmpty() ? json(200, "{\"paths\":{}}") : json(404, statuses.noSuchResource());
      case CORE_VERSIONS:
        return json(200, discovery.coreVersions(serverAddress));
      case GROUPS:
        return json(200, discovery.groups());
      case GROUP:
        return orNotFound(discovery.group(p.group()));
      case GROUP_VERSION:
        return orNotFound(discovery.resources(p.group(), p.version()));
      default:
        return json(404, statuses.noSuchResource());
    }
  }

  private MockResponse resource(RecordedRequest request, String method, ApiPath p) {
    ResourceType t = registry.lookup(p.group(), p.version(), p.plural());
    if (t == null) {
      return json(404, statuses.noSuchResource());
    }
    if (faults.isForbidden(t.group(), t.plural())) {
      return json(403, forbidden(method, p, t));
    }
    if (faults.failing(t.group(), t.plural()) > 0) {
      return serverError(faults.failing(t.group(), t.plural()));
    }
    boolean collection = p.name() == null;
    if ("token".equals(p.subresource()) && t.group().isEmpty() && t.plural().equals("serviceaccounts")
        && p.namespace() != null) {
      if (!method.equals("POST")) {
        return methodNotAllowed();
      }
      return read(() -> {
        TokenRequests.Answer a = tokenRequests.create(request, p, t);
        return json(a.code(), a.body());
      });
    }
    boolean badSubresource = p.subresource() != null && !(p.subresource().equals("status") && t.hasStatus());
    boolean badScope = !t.namespaced() && p.namespace() != null
        || t.namespaced() && p.namespace() == null && !(method.equals("GET") && collection);
    if (badSubresource || badScope) {
      return json(404, statuses.noSuchResource());
    }
    String contentType = request.getHeader("Content-Type");
    if (contentType != null && contentType.contains("protobuf")) {
      // Like a server that does not speak protobuf (as for custom resources): clients fall back to JSON.
      return json(415, statuses.failure(415, "UnsupportedMediaType", "the body of the request was in an unknown "
          + "format - accepted media types include: application/json, application/yaml", null, null, null));
    }
    switch (method) {
      case "GET":
        if (p.isWatch()) {
          return watch(request, p, t);
        }
        MockResponse got = collection ? read(() -> list(p, t)) : read(() -> get(p, t));
        return Tables.wanted(request.getHeader("Accept")) ? asTable(got, p, t, collection) : got;
      case "POST":
        return collection ? write(() -> create(request, p, t)) : methodNotAllowed();
      case "PUT":
        return collection ? methodNotAllowed() : write(() -> update(request, p, t));
      case "PATCH":
        return collection ? methodNotAllowed() : write(() -> patch(request, p, t));
      case "DELETE":
        return write(() -> delete(p, t));
      default:
        return methodNotAllowed();
    }
  }

  // ---- the service-account issuer

  /** Like kube-apiserver: served only for an https issuer without query or fragment, else 404. */
  private MockResponse issuerDocument(String method, ApiPath p) {
    if (!issuer.servesDocuments()) {
      return json(404, statuses.noSuchResource());
    }
    if (!method.equals("GET")) {
      return methodNotAllowed();
    }
    boolean jwks = p.path().equals(ServiceAccountIssuer.JWKS_PATH);
    return new MockResponse().setResponseCode(200)
        .setHeader("Content-Type", jwks ? "application/jwk-set+json" : JSON)
        .setHeader("Cache-Control", "public, max-age=3600")
        .setBody(jwks ? issuer.jwksJson() : issuer.discoveryJson());
  }

  // ---- reads

  private MockResponse get(ApiPath p, ResourceType t) {
    ObjectStore.Stored s = store.get(t.group(), t.plural(), p.namespace(), p.name());
    return s == null ? json(404, statuses.notFound(t, p)) : json(200, s.json());
  }

  private MockResponse list(ApiPath p, ResourceType t) {
    List<Selectors.Requirement> labels;
    List<Selectors.Requirement> fields;
    String after;
    int limit;
    try {
      labels = Selectors.labels(p.param("labelSelector"));
      fields = Selectors.fields(p.param("fieldSelector"));
      after = p.param("continue") == null || p.param("continue").isEmpty() ? null
          : ContinueToken.decode(json, p.param("continue"));
      limit = p.param("limit") == null || p.param("limit").isEmpty() ? 0 : Integer.parseInt(p.param("limit"));
    } catch (IllegalArgumentException e) {
      return json(400, statuses.failure(400, "BadRequest", e.getMessage(), null, null, null));
    }
    NavigableMap<String, ObjectStore.Stored> view = inNamespace(store.collection(t.group(), t.plural()), p.namespace());
    if (after != null) {
      view = view.tailMap(after, false);
    }
    StringBuilder items = new StringBuilder();
    int count = 0;
    int remaining = 0;
    String lastKey = null;
    for (ObjectStore.Stored s : view.values()) {
      if (p.name() != null && !p.name().equals(s.name())
          || !Selectors.matchesAll(labels, s.labels()::get) || !Selectors.matchesAll(fields, fieldValues(s))) {
        continue;
      }
      if (limit > 0 && count == limit) {
        remaining++;
        continue;
      }
      if (count > 0) {
        items.append(',');
      }
      items.append(s.json());
      count++;
      lastKey = s.key();
    }
    long rv = store.currentResourceVersion();
    StringBuilder body = new StringBuilder(items.length() + 256);
    body.append("{\"kind\":\"").append(t.kind()).append("List\",\"apiVersion\":\"").append(t.apiVersion())
        .append("\",\"metadata\":{\"resourceVersion\":\"").append(rv).append('"');
    if (remaining > 0) {
      body.append(",\"continue\":\"").append(ContinueToken.encode(json, rv, lastKey))
          .append("\",\"remainingItemCount\":").append(remaining);
    }
    body.append("},\"items\":[").append(items).append("]}");
    return json(200, body.toString());
  }

  private MockResponse asTable(MockResponse response, ApiPath p, ResourceType t, boolean collection) {
    if (response.code() != 200) {
      return response;
    }
    JsonNode body = json.read(response.getBody().readUtf8());
    List<JsonNode> objects = new java.util.ArrayList<>();
    if (collection) {
      body.path("items").forEach(objects::add);
    } else {
      objects.add(body);
    }
    return json(200, tables.table(t, objects, collection ? body.path("metadata") : null,
        "Object".equals(p.param("includeObject"))));
  }

  private static NavigableMap<String, ObjectStore.Stored> inNamespace(NavigableMap<String, ObjectStore.Stored> all,
      String namespace) {
    return namespace == null ? all : all.subMap(namespace + '\u0000', true, namespace + '\u0001', false);
  }

  private Function<String, String> fieldValues(ObjectStore.Stored s) {
    JsonNode[] parsed = new JsonNode[1];
    return field -> {
      if (field.equals("metadata.name")) {
        return s.name();
      }
      if (field.equals("metadata.namespace")) {
        return s.namespace() == null ? "" : s.namespace();
      }
      if (parsed[0] == null) {
        parsed[0] = json.read(s.json());
      }
      JsonNode n = parsed[0];
      for (String part : field.split("\\.")) {
        n = n.path(part);
      }
      return n.isValueNode() ? n.asText() : null;
    };
  }

  private MockResponse watch(RecordedRequest request, ApiPath p, ResourceType t) {
    String upgrade = request.getHeader("Upgrade");
    if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
      return store.handleGet(request.getPath());
    }
    // Plain HTTP watch (kubectl, client-go). Events cannot be streamed through MockWebServer, so a watch
    // from a resourceVersion waits a second and then says it expired: informers (kubectl wait) relist and
    // so poll. A watch from no or "0" resourceVersion gets the current state as ADDED events and ends.
    String rv = p.param("resourceVersion");
    if (rv != null && !rv.isEmpty() && !rv.equals("0")) {
      String expired = statuses.failure(410, "Expired", "too old resource version: " + rv + " ("
          + store.currentResourceVersion() + ")", null, null, null);
      return new MockResponse().setResponseCode(200).setHeader("Content-Type", JSON)
          .setBody("{\"type\":\"ERROR\",\"object\":" + expired + "}\n").setBodyDelay(Duration.ofSeconds(1));
    }
    MockResponse listed = read(() -> list(withoutLimit(p), t));
    JsonNode list = json.read(listed.getBody().readUtf8());
    boolean table = Tables.wanted(request.getHeader("Accept"));
    StringBuilder events = new StringBuilder();
    for (JsonNode item : list.path("items")) {
      String object = table ? tables.table(t, List.of(item), null, "Object".equals(p.param("includeObject")))
          : json.write(item);
      events.append("{\"type\":\"ADDED\",\"object\":").append(object).append("}\n");
    }
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", JSON).setBody(events.toString());
  }

  private static ApiPath withoutLimit(ApiPath p) {
    java.util.Map<String, String> q = new java.util.LinkedHashMap<>(p.query());
    q.remove("limit");
    q.remove("continue");
    return new ApiPath(p.type(), p.path(), p.rawQuery(), q, p.group(), p.version(), p.namespace(), p.plural(),
        p.name(), p.subresource());
  }

  // ---- writes

  private MockResponse create(RecordedRequest request, ApiPath p, ResourceType t) {
    ObjectNode obj = body(request);
    if (obj == null) {
      return badBody();
    }
    MockResponse scopeError = scope(obj, p, t);
    if (scopeError != null) {
      return scopeError;
    }
    String name = obj.path("metadata").path("name").asText("");
    MockResponse r = dryRunAware(p, () -> store.handleCreate(delegate(request, HttpMethod.POST, p.collectionPath(),
        json.write(obj))));
    return finish(p, t, r, name);
  }

  private MockResponse update(RecordedRequest request, ApiPath p, ResourceType t) {
    ObjectNode obj = body(request);
    if (obj == null) {
      return badBody();
    }
    MockResponse scopeError = scope(obj, p, t);
    return scopeError != null ? scopeError : put(request, p, t, obj);
  }

  private MockResponse put(RecordedRequest request, ApiPath p, ResourceType t, ObjectNode obj) {
    MockResponse r = dryRunAware(p, () -> store.handleUpdate(delegate(request, HttpMethod.PUT, p.path(),
        json.write(obj))));
    return finish(p, t, r, p.name());
  }

  private MockResponse patch(RecordedRequest request, ApiPath p, ResourceType t) {
    String contentType = request.getHeader("Content-Type");
    String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    String text = new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    switch (type) {
      case "application/apply-patch+yaml":
        return apply(request, p, t, text);
      case "application/json-patch+json":
        return finish(p, t, dryRunAware(p, () -> store.handlePatch(delegate(request, HttpMethod.PATCH, p.path(), text))),
            p.name());
      case "application/merge-patch+json":
      case "application/strategic-merge-patch+json": {
        ObjectStore.Stored current = store.get(t.group(), t.plural(), p.namespace(), p.name());
        if (current == null) {
          return json(404, statuses.notFound(t, p));
        }
        JsonNode patch;
        try {
          patch = json.read(text);
        } catch (RuntimeException e) {
          return badBody();
        }
        JsonNode live = json.read(current.json());
        JsonNode merged = type.equals("application/merge-patch+json") ? Patches.mergePatch(live, patch)
            : Patches.strategicMergePatch(live, patch);
        if (!(merged instanceof ObjectNode)) {
          return badBody();
        }
        return put(request, p, t, (ObjectNode) merged);
      }
      default:
        return json(415, statuses.failure(415, "UnsupportedMediaType", "the body of the request was in an unknown "
            + "format - accepted media types include: application/json-patch+json, application/merge-patch+json, "
            + "application/apply-patch+yaml, application/strategic-merge-patch+json", null, null, null));
    }
  }

  private MockResponse apply(RecordedRequest request, ApiPath p, ResourceType t, String text) {
    String manager = p.param("fieldManager");
    if (manager == null || manager.isEmpty()) {
      return json(400, statuses.failure(400, "BadRequest", "PATCH " + t.qualifiedName()
          + ": fieldManager is required for apply requests", p.name(), t.group(), t.plural()));
    }
    ObjectNode applied;
    try {
      JsonNode n = json.readJsonOrYaml(text);
      applied = n instanceof ObjectNode ? (ObjectNode) n : null;
    } catch (RuntimeException e) {
      applied = null;
    }
    if (applied == null) {
      return badBody();
    }
    if (applied.path("apiVersion").asText("").isEmpty() || applied.path("kind").asText("").isEmpty()) {
      return json(400, statuses.failure(400, "BadRequest", "apiVersion and kind must be set in an apply patch",
          p.name(), t.group(), t.plural()));
    }
    ObjectNode meta = applied.get("metadata") instanceof ObjectNode ? (ObjectNode) applied.get("metadata")
        : applied.putObject("metadata");
    String bodyName = meta.path("name").asText("");
    if (!bodyName.isEmpty() && !bodyName.equals(p.name())) {
      return json(400, statuses.failure(400, "BadRequest", "the name of the object (" + bodyName
          + ") does not match the name on the URL (" + p.name() + ")", p.name(), t.group(), t.plural()));
    }
    meta.put("name", p.name());
    MockResponse scopeError = scope(applied, p, t);
    if (scopeError != null) {
      return scopeError;
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    boolean ignoreStatus = p.subresource() == null && t.hasStatus();
    ObjectStore.Stored current = store.get(t.group(), t.plural(), p.namespace(), p.name());
    if (current == null) {
      if (p.subresource() != null) {
        return json(404, statuses.notFound(t, p));
      }
      ObjectNode created = ssa.create(applied, manager, now, ignoreStatus);
      MockResponse r = dryRunAware(p, () -> store.handleCreate(delegate(request, HttpMethod.POST, p.collectionPath(),
          json.write(created))));
      return finish(p, t, r, p.name());
    }
    ObjectNode live = (ObjectNode) json.read(current.json());
    ObjectNode merged = ssa.update(live, applied, manager, now, ignoreStatus);
    if (ssa.sameIgnoringTimes(live, merged)) {
      return json(200, current.json());
    }
    return put(request, p, t, merged);
  }

  private MockResponse delete(ApiPath p, ResourceType t) {
    String target = p.path();
    if (p.name() == null && p.param("labelSelector") != null) {
      target += "?labelSelector=" + java.net.URLEncoder.encode(p.param("labelSelector"), StandardCharsets.UTF_8);
    }
    String finalTarget = target;
    MockResponse r = dryRunAware(p, () -> store.handleDelete(finalTarget));
    if (r.code() == 200 && !p.isDryRun() && p.name() != null && t.group().isEmpty()
        && t.plural().equals("namespaces")) {
      for (String path : store.objectPathsIn(p.name())) {
        store.handleDelete(path);
      }
    }
    return finish(p, t, r, p.name());
  }

  // ---- helpers

  private ObjectNode body(RecordedRequest request) {
    try {
      JsonNode n = json.readJsonOrYaml(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
      return n instanceof ObjectNode ? (ObjectNode) n : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Puts the object in the path's namespace, or none for cluster-scoped kinds; an error on mismatch. */
  private MockResponse scope(ObjectNode obj, ApiPath p, ResourceType t) {
    ObjectNode meta = obj.get("metadata") instanceof ObjectNode ? (ObjectNode) obj.get("metadata") : null;
    if (meta == null) {
      return null;
    }
    if (!t.namespaced()) {
      meta.remove("namespace");
      return null;
    }
    String ns = meta.path("namespace").asText("");
    if (ns.isEmpty()) {
      meta.put("namespace", p.namespace());
    } else if (!ns.equals(p.namespace())) {
      return json(400, statuses.failure(400, "BadRequest", "the namespace of the provided object does not match "
          + "the namespace sent on the request", p.name(), t.group(), t.plural()));
    }
    return null;
  }

  private MockResponse finish(ApiPath p, ResourceType t, MockResponse r, String name) {
    int code = r.code();
    String body = r.getBody() == null ? "" : r.getBody().readUtf8();
    if (code == 404 && body.isEmpty()) {
      return json(404, statuses.notFound(t, p));
    }
    if (code >= 400) {
      String message = body;
      try {
        message = json.read(body).path("message").asText(body);
      } catch (RuntimeException e) {
        // keep the raw body as the message
      }
      if (code == 409 && message.contains("already exists")) {
        return json(409, statuses.alreadyExists(t, name));
      }
      String reason = code == 409 ? "Conflict" : code == 422 ? "Invalid" : code == 415 ? "UnsupportedMediaType"
          : code == 404 ? "NotFound" : "BadRequest";
      return json(code, statuses.failure(code, reason, message, name, t.group(), t.plural()));
    }
    if (code == 202) {
      code = 200;
    }
    if (body.isEmpty()) {
      return json(code, statuses.success(name, t));
    }
    if (code == 201 && !p.isDryRun()) {
      // the stored object, as the store completed it (random uid, CRD status)
      JsonNode created = json.read(body).path("metadata");
      ObjectStore.Stored stored = store.get(t.group(), t.plural(), t.namespaced() ? created.path("namespace")
          .asText(null) : null, created.path("name").asText());
      if (stored != null) {
        body = stored.json();
      }
    }
    if (p.isCrd() && p.subresource() == null) {
      body = crdStatus.establish(body);
    }
    return json(code, body);
  }

  private MockResponse dryRunAware(ApiPath p, Supplier<MockResponse> call) {
    store.setDryRun(p.isDryRun());
    try {
      return call.get();
    } finally {
      store.setDryRun(false);
    }
  }

  private static RecordedRequest delegate(RecordedRequest original, HttpMethod method, String path, String body) {
    return new RecordedRequest(original.getHttpVersion(), method, path, original.getHeaders(),
        new Buffer(body.getBytes(StandardCharsets.UTF_8)));
  }

  private String forbidden(String method, ApiPath p, ResourceType t) {
    String resource = t.plural() + (p.subresource() == null ? "" : "/" + p.subresource());
    String subject = t.qualifiedName() + (p.name() == null ? "" : " \"" + p.name() + "\"");
    String scope = p.namespace() == null ? "at the cluster scope" : "in the namespace \"" + p.namespace() + "\"";
    String message = subject + " is forbidden: User \"" + Faults.USER + "\" cannot " + p.verb(method)
        + " resource \"" + resource + "\" in API group \"" + t.group() + "\" " + scope;
    return statuses.failure(403, "Forbidden", message, p.name(), t.group(), t.plural());
  }

  private MockResponse orNotFound(String body) {
    return body == null ? json(404, statuses.noSuchResource()) : json(200, body);
  }

  private MockResponse badBody() {
    return json(400, statuses.failure(400, "BadRequest", "the body of the request could not be decoded", null,
        null, null));
  }

  /** An injected server error, with the reason kube-apiserver gives the status. */
  private MockResponse serverError(int code) {
    String reason = code == 503 ? "ServiceUnavailable" : code == 504 ? "Timeout" : "InternalError";
    return json(code, statuses.failure(code, reason, "an error on the server (\"injected fault " + code
        + "\") has prevented the request from succeeding", null, null, null));
  }

  private MockResponse methodNotAllowed() {
    return json(405, statuses.failure(405, "MethodNotAllowed",
        "the server does not allow this method on the requested resource", null, null, null));
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", JSON).setBody(body);
  }

  private MockResponse read(Supplier<MockResponse> call) {
    return locked(lock.readLock(), call);
  }

  private MockResponse write(Supplier<MockResponse> call) {
    return locked(lock.writeLock(), call);
  }

  private static MockResponse locked(Lock l, Supplier<MockResponse> call) {
    l.lock();
    try {
      return call.get();
    } finally {
      l.unlock();
    }
  }

  private void drainServerQueue() {
    // MockWebServer queues every request for takeRequest(); nobody takes them here, so drop them.
    try {
      while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
        // discard
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
