package dev.substrate.kubefake.internal.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request path of the Kubernetes API, split into what the server routes on.
 *
 * @param type what kind of endpoint the path names
 * @param path the path without its query string
 * @param rawQuery the query string as sent (empty when absent)
 * @param query decoded query parameters (first value wins)
 * @param group API group; empty for the core group
 * @param version API version, or {@code null} when the path names none
 * @param namespace namespace segment, or {@code null}
 * @param plural resource name (plural), or {@code null}
 * @param name object name, or {@code null} for a collection
 * @param subresource subresource such as {@code status}, or {@code null}
 */
public record ApiPath(
    Type type,
    String path,
    String rawQuery,
    Map<String, String> query,
    String group,
    String version,
    String namespace,
    String plural,
    String name,
    String subresource) {

  /** What kind of endpoint a path names. */
  public enum Type {
    ROOT, VERSION, HEALTH, OPENAPI_V2, OPENAPI_V3, CORE_VERSIONS, GROUPS, GROUP, GROUP_VERSION, RESOURCE, OTHER
  }

  /** Parses a request target such as {@code /api/v1/namespaces/default/pods?limit=5}. */
  public static ApiPath parse(String target) {
    String raw = target == null ? "/" : target;
    int q = raw.indexOf('?');
    String path = q < 0 ? raw : raw.substring(0, q);
    String rawQuery = q < 0 ? "" : raw.substring(q + 1);
    Map<String, String> query = parseQuery(rawQuery);
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String[] segs = path.startsWith("/") ? path.substring(1).split("/", -1) : path.split("/", -1);
    if (path.equals("/") || path.isEmpty()) {
      return simple(Type.ROOT, path, rawQuery, query);
    }
    switch (segs[0]) {
      case "version":
        return simple(Type.VERSION, path, rawQuery, query);
      case "healthz":
      case "readyz":
      case "livez":
        return simple(Type.HEALTH, path, rawQuery, query);
      case "openapi":
        if (segs.length >= 2 && segs[1].equals("v2")) {
          return simple(Type.OPENAPI_V2, path, rawQuery, query);
        }
        if (segs.length >= 2 && segs[1].equals("v3")) {
          String gv = String.join("/", Arrays.copyOfRange(segs, 2, segs.length));
          return new ApiPath(Type.OPENAPI_V3, path, rawQuery, query, gv, null, null, null, null, null);
        }
        return simple(Type.OTHER, path, rawQuery, query);
      case "api":
        if (segs.length == 1) {
          return simple(Type.CORE_VERSIONS, path, rawQuery, query);
        }
        if (segs.length == 2) {
          return new ApiPath(Type.GROUP_VERSION, path, rawQuery, query, "", segs[1], null, null, null, null);
        }
        return resource(path, rawQuery, query, "", segs[1], Arrays.copyOfRange(segs, 2, segs.length));
      case "apis":
        if (segs.length == 1) {
          return simple(Type.GROUPS, path, rawQuery, query);
        }
        if (segs.length == 2) {
          return new ApiPath(Type.GROUP, path, rawQuery, query, segs[1], null, null, null, null, null);
        }
        if (segs.length == 3) {
          return new ApiPath(Type.GROUP_VERSION, path, rawQuery, query, segs[1], segs[2], null, null, null, null);
        }
        return resource(path, rawQuery, query, segs[1], segs[2], Arrays.copyOfRange(segs, 3, segs.length));
      default:
        return simple(Type.OTHER, path, rawQuery, query);
    }
  }

  private static ApiPath resource(String path, String rawQuery, Map<String, String> query, String group,
      String version, String[] rest) {
    String namespace = null;
    String[] segs = rest;
    boolean namespaceSubresource = segs.length == 3 && (segs[2].equals("status") || segs[2].equals("finalize"));
    if (segs.length >= 3 && segs[0].equals("namespaces") && !namespaceSubresource) {
      namespace = decode(segs[1]);
      segs = Arrays.copyOfRange(segs, 2, segs.length);
    }
    if (segs.length == 0 || segs.length > 3 || Arrays.stream(segs).anyMatch(String::isEmpty)) {
      return simple(Type.OTHER, path, rawQuery, query);
    }
    String plural = segs[0];
    String name = segs.length > 1 ? decode(segs[1]) : null;
    String sub = segs.length > 2 ? segs[2] : null;
    return new ApiPath(Type.RESOURCE, path, rawQuery, query, group, version, namespace, plural, name, sub);
  }

  private static ApiPath simple(Type type, String path, String rawQuery, Map<String, String> query) {
    return new ApiPath(type, path, rawQuery, query, null, null, null, null, null, null);
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    if (rawQuery.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.putIfAbsent(k, v);
    }
    return Collections.unmodifiableMap(out);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /** A query parameter, or {@code null}. */
  public String param(String key) {
    return query.get(key);
  }

  /** Whether the query asks for a watch. */
  public boolean isWatch() {
    String w = query.get("watch");
    return w != null && (w.equals("true") || w.equals("1"));
  }

  /** Whether the query asks for a dry run ({@code dryRun=All}). */
  public boolean isDryRun() {
    return "All".equals(query.get("dryRun"));
  }

  /** The collection path of this resource path (no name, no subresource, no query). */
  public String collectionPath() {
    StringBuilder sb = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
    if (namespace != null) {
      sb.append("/namespaces/").append(namespace);
    }
    return sb.append('/').append(plural).toString();
  }

  /** The path of one object of this resource type, without query. */
  public String objectPath(String objectName) {
    return collectionPath() + "/" + objectName;
  }

  /** The RBAC verb this request would need, for a method. */
  public String verb(String method) {
    if (type != Type.RESOURCE || method == null) {
      return "";
    }
    switch (method) {
      case "GET":
        return name == null ? (isWatch() ? "watch" : "list") : (isWatch() ? "watch" : "get");
      case "POST":
        return "create";
      case "PUT":
        return "update";
      case "PATCH":
        return "patch";
      case "DELETE":
        return name == null ? "deletecollection" : "delete";
      default:
        return method.toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Whether the path names the CustomResourceDefinition resource. */
  public boolean isCrd() {
    return type == Type.RESOURCE && "apiextensions.k8s.io".equals(group) && "customresourcedefinitions".equals(plural);
  }
}
