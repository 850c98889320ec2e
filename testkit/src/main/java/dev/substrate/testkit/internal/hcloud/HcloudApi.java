package dev.substrate.testkit.internal.hcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * The state and request handling of the fake Hetzner Cloud API v1: {@code servers}, {@code volumes},
 * {@code load_balancers} and {@code networks}, listed with {@code page}/{@code per_page} and {@code label_selector}, or
 * fetched by id; errors as {@code {"error":{"code":...,"message":...}}}; a rate limit with {@code RateLimit-*} headers.
 */
public final class HcloudApi {
  /** The collections served, by URL segment, with the JSON key of one object. */
  public static final Map<String, String> COLLECTIONS = Map.of(
      "servers", "server", "volumes", "volume", "load_balancers", "load_balancer", "networks", "network");

  private final Map<String, Map<Long, ObjectNode>> objects = new ConcurrentHashMap<>();
  private volatile String token;
  private volatile int rateLimit = 3600;
  private volatile int remaining = 3600;
  private volatile long resetEpochSecond;

  public HcloudApi(String token) {
    this.token = token;
    for (String c : COLLECTIONS.keySet()) {
      objects.put(c, new TreeMap<>());
    }
  }

  public void token(String value) {
    token = value;
  }

  /** Sets the limit and what is left of it; at 0 every request gets 429 until {@code resetEpochSecond}. */
  public synchronized void rateLimit(int limit, int left, long resetAtEpochSecond) {
    rateLimit = limit;
    remaining = left;
    resetEpochSecond = resetAtEpochSecond;
  }

  public synchronized void put(String collection, ObjectNode object) {
    objects.get(collection).put(object.path("id").asLong(), object);
  }

  public synchronized List<ObjectNode> list(String collection) {
    return new ArrayList<>(objects.get(collection).values());
  }

  public synchronized void clear() {
    objects.values().forEach(Map::clear);
  }

  /** Answers one request; returns the status sent. */
  public int handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (!path.startsWith("/v1/")) {
      return error(ex, 404, "not_found", "no such endpoint " + path);
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.equals("Bearer " + token)) {
      return error(ex, 401, "unauthorized", "unable to authenticate");
    }
    synchronized (this) {
      long now = System.currentTimeMillis() / 1000;
      if (remaining <= 0 && resetEpochSecond > 0 && now >= resetEpochSecond) {
        remaining = rateLimit;
        resetEpochSecond = 0;
      }
      if (remaining <= 0) {
        rateHeaders(ex);
        return error(ex, 429, "rate_limit_exceeded", "limit of " + rateLimit + " requests per hour reached");
      }
      remaining--;
      rateHeaders(ex);
    }
    if (!ex.getRequestMethod().equals("GET")) {
      return error(ex, 405, "method_not_allowed", "the fake serves GET only");
    }
    String[] parts = path.substring("/v1/".length()).split("/");
    String collection = parts[0];
    if (!COLLECTIONS.containsKey(collection)) {
      return error(ex, 404, "not_found", "no such endpoint " + path);
    }
    if (parts.length == 2) {
      long id;
      try {
        id = Long.parseLong(parts[1]);
      } catch (NumberFormatException e) {
        return error(ex, 400, "invalid_input", "invalid id " + parts[1]);
      }
      ObjectNode o;
      synchronized (this) {
        o = objects.get(collection).get(id);
      }
      if (o == null) {
        return error(ex, 404, "not_found", COLLECTIONS.get(collection) + " with ID '" + id + "' not found");
      }
      ObjectNode body = HcloudObjects.JSON.createObjectNode();
      body.set(COLLECTIONS.get(collection), o);
      return send(ex, 200, body);
    }
    return listPage(ex, collection, query(ex.getRequestURI().getRawQuery()));
  }

  private int listPage(HttpExchange ex, String collection, Map<String, String> q) throws IOException {
    int page;
    int perPage;
    try {
      page = Integer.parseInt(q.getOrDefault("page", "1"));
      perPage = Integer.parseInt(q.getOrDefault("per_page", "25"));
    } catch (NumberFormatException e) {
      return error(ex, 400, "invalid_input", "page and per_page must be numbers");
    }
    if (page < 1 || perPage < 1) {
      return error(ex, 400, "invalid_input", "page and per_page must be at least 1");
    }
    perPage = Math.min(perPage, 50);
    Predicate<Map<String, String>> selector;
    try {
      selector = q.containsKey("label_selector") ? LabelSelector.parse(q.get("label_selector")) : l -> true;
    } catch (IllegalArgumentException e) {
      return error(ex, 400, "invalid_input", e.getMessage());
    }
    String name = q.get("name");
    List<ObjectNode> matching = new ArrayList<>();
    for (ObjectNode o : list(collection)) {
      Map<String, String> labels = new LinkedHashMap<>();
      o.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      if (selector.test(labels) && (name == null || name.equals(o.path("name").asText()))) {
        matching.add(o);
      }
    }
    int total = matching.size();
    int lastPage = Math.max(1, (total + perPage - 1) / perPage);
    ObjectNode body = HcloudObjects.JSON.createObjectNode();
    ArrayNode items = body.putArray(collection);
    for (int i = (page - 1) * perPage; i < Math.min(total, page * perPage); i++) {
      items.add(matching.get(i));
    }
    ObjectNode pagination = body.putObject("meta").putObject("pagination");
    pagination.put("page", page).put("per_page", perPage);
    if (page > 1) {
      pagination.put("previous_page", page - 1);
    } else {
      pagination.putNull("previous_page");
    }
    if (page < lastPage) {
      pagination.put("next_page", page + 1);
    } else {
      pagination.putNull("next_page");
    }
    pagination.put("last_page", lastPage).put("total_entries", total);
    String base = "http://" + ex.getRequestHeaders().getFirst("Host") + ex.getRequestURI().getPath();
    List<String> links = new ArrayList<>();
    if (page < lastPage) {
      links.add("<" + base + "?page=" + (page + 1) + "&per_page=" + perPage + ">; rel=\"next\"");
    }
    if (page > 1) {
      links.add("<" + base + "?page=" + (page - 1) + "&per_page=" + perPage + ">; rel=\"prev\"");
    }
    links.add("<" + base + "?page=" + lastPage + "&per_page=" + perPage + ">; rel=\"last\"");
    ex.getResponseHeaders().add("Link", String.join(", ", links));
    return send(ex, 200, body);
  }

  private void rateHeaders(HttpExchange ex) {
    long reset = resetEpochSecond > 0 ? resetEpochSecond : System.currentTimeMillis() / 1000 + (rateLimit - remaining);
    ex.getResponseHeaders().add("RateLimit-Limit", String.valueOf(rateLimit));
    ex.getResponseHeaders().add("RateLimit-Remaining", String.valueOf(Math.max(0, remaining)));
    ex.getResponseHeaders().add("RateLimit-Reset", String.valueOf(reset));
  }

  /** Sends the Hetzner error document. */
  public static int error(HttpExchange ex, int status, String code, String message) throws IOException {
    ObjectNode body = HcloudObjects.JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code).put("message", message).putNull("details");
    return send(ex, status, body);
  }

  // Per thread, not an exchange attribute: on JDK 17 those are the HttpContext's, shared by concurrent exchanges.
  private static final ThreadLocal<IntConsumer> BEFORE_RESPONSE = new ThreadLocal<>();

  /**
   * Tells {@code hook} the status of each response sent on this thread, before the client can see it; {@code null}
   * stops.
   */
  public static void beforeResponse(IntConsumer hook) {
    if (hook == null) {
      BEFORE_RESPONSE.remove();
    } else {
      BEFORE_RESPONSE.set(hook);
    }
  }

  static int send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = HcloudObjects.JSON.writeValueAsBytes(body);
    IntConsumer hook = BEFORE_RESPONSE.get();
    if (hook != null) {
      hook.accept(status);
    }
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
    return status;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.putIfAbsent(k, v);
    }
    return q;
  }
}
