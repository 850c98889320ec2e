package dev.substrate.kubefake.internal.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.kubefake.internal.store.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An approximation of server-side apply. The applied configuration merges into the live object (maps
 * recursively, lists of objects by a merge key such as {@code name}, other values replaced); each
 * manager's applied fields are recorded in {@code metadata.managedFields} as FieldsV1, and fields a
 * manager applied before but no longer applies are removed unless another applier owns them. Conflicts
 * between managers are not detected.
 */
public final class ServerSideApply {

  private static final List<String> MERGE_KEY_CANDIDATES =
      List.of("name", "mountPath", "devicePath", "containerPort", "port", "type", "key", "ip", "uid");
  private static final List<String> SERVER_METADATA = List.of("managedFields", "resourceVersion", "uid",
      "creationTimestamp", "generation", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds");

  private final Json json;

  public ServerSideApply(Json json) {
    this.json = json;
  }

  /** The object to create from a first apply. */
  public ObjectNode create(ObjectNode applied, String manager, String time, boolean ignoreStatus) {
    ObjectNode config = clean(applied, ignoreStatus);
    ObjectNode obj = config.deepCopy();
    Set<List<String>> owned = ownedPaths(config);
    setManager(obj, manager, config.path("apiVersion").asText(), time, owned);
    return obj;
  }

  /** The live object after applying a configuration to it. */
  public ObjectNode update(ObjectNode live, ObjectNode applied, String manager, String time, boolean ignoreStatus) {
    ObjectNode config = clean(applied, ignoreStatus);
    ObjectNode merged = live.deepCopy();
    Set<List<String>> before = managerPaths(live, manager, true);
    Set<List<String>> others = managerPaths(live, manager, false);
    Set<List<String>> now = ownedPaths(config);
    ObjectNode body = config.deepCopy();
    body.remove(List.of("apiVersion", "kind"));
    if (body.get("metadata") instanceof ObjectNode) {
      ((ObjectNode) body.get("metadata")).remove(List.of("name", "namespace"));
    }
    mergeObject(merged, body);
    for (List<String> path : before) {
      if (!now.contains(path) && !others.contains(path)) {
        remove(merged, path, 0);
      }
    }
    setManager(merged, manager, config.path("apiVersion").asText(), time, now);
    return merged;
  }

  /** Whether two objects are equal once the managedFields timestamps are ignored. */
  public boolean sameIgnoringTimes(JsonNode a, JsonNode b) {
    return withoutTimes(json.normalize(a)).equals(withoutTimes(json.normalize(b)));
  }

  private static JsonNode withoutTimes(JsonNode n) {
    JsonNode mf = n.path("metadata").path("managedFields");
    mf.forEach(e -> ((ObjectNode) e).remove("time"));
    return n;
  }

  private ObjectNode clean(ObjectNode applied, boolean ignoreStatus) {
    ObjectNode c = applied.deepCopy();
    JsonNode meta = c.path("metadata");
    if (meta instanceof ObjectNode) {
      ((ObjectNode) meta).remove(SERVER_METADATA);
    }
    if (ignoreStatus) {
      c.remove("status");
    }
    return c;
  }

  // ---- merging

  private static void mergeObject(ObjectNode target, ObjectNode applied) {
    for (Map.Entry<String, JsonNode> e : applied.properties()) {
      String field = e.getKey();
      JsonNode av = e.getValue();
      JsonNode tv = target.get(field);
      if (av.isNull()) {
        target.remove(field);
      } else if (av.isObject() && tv != null && tv.isObject()) {
        mergeObject((ObjectNode) tv, (ObjectNode) av);
      } else if (av.isArray() && tv != null && tv.isArray() && mergeKey(av, tv) != null) {
        mergeList((ArrayNode) tv, (ArrayNode) av, mergeKey(av, tv));
      } else {
        target.set(field, av.deepCopy());
      }
    }
  }

  private static void mergeList(ArrayNode target, ArrayNode applied, String key) {
    for (JsonNode ae : applied) {
      int i = indexOf(target, key, ae.get(key));
      if (i >= 0) {
        mergeObject((ObjectNode) target.get(i), (ObjectNode) ae);
      } else {
        target.add(ae.deepCopy());
      }
    }
  }

  /** A key every element of the lists has, scalar and unique within each list; {@code null} if none. */
  private static String mergeKey(JsonNode applied, JsonNode existing) {
    if (applied.isEmpty()) {
      return null;
    }
    for (String key : MERGE_KEY_CANDIDATES) {
      if (uniqueScalarKey(applied, key) && (existing == null || uniqueScalarKey(existing, key))) {
        return key;
      }
    }
    return null;
  }

  private static boolean uniqueScalarKey(JsonNode list, String key) {
    Set<JsonNode> seen = new HashSet<>();
    for (JsonNode e : list) {
      if (!e.isObject() || e.get(key) == null || !e.get(key).isValueNode() || !seen.add(e.get(key))) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (value != null && value.equals(list.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }

  // ---- field ownership

  private Set<List<String>> ownedPaths(ObjectNode config) {
    Set<List<String>> out = new LinkedHashSet<>();
    for (Map.Entry<String, JsonNode> e : config.properties()) {
      String f = e.getKey();
      if (f.equals("apiVersion") || f.equals("kind")) {
        continue;
      }
      if (f.equals("metadata") && e.getValue().isObject()) {
        for (Map.Entry<String, JsonNode> m : e.getValue().properties()) {
          if (!m.getKey().equals("name") && !m.getKey().equals("namespace")) {
            collect(m.getValue(), List.of("f:metadata", "f:" + m.getKey()), out);
          }
        }
      } else {
        collect(e.getValue(), List.of("f:" + f), out);
      }
    }
    return out;
  }

  private void collect(JsonNode node, List<String> prefix, Set<List<String>> out) {
    if (node.isObject() && !node.isEmpty()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        collect(e.getValue(), append(prefix, "f:" + e.getKey()), out);
      }
    } else if (node.isArray() && mergeKey(node, null) != null) {
      String key = mergeKey(node, null);
      for (JsonNode element : node) {
        ObjectNode k = json.object();
        k.set(key, element.get(key));
        collect(element, append(prefix, "k:" + json.write(k)), out);
      }
    } else {
      out.add(prefix);
    }
  }

  private static List<String> append(List<String> prefix, String seg) {
    List<String> l = new ArrayList<>(prefix);
    l.add(seg);
    return List.copyOf(l);
  }

  private Set<List<String>> managerPaths(JsonNode live, String manager, boolean mine) {
    Set<List<String>> out = new HashSet<>();
    for (JsonNode entry : live.path("metadata").path("managedFields")) {
      boolean isMine = manager.equals(entry.path("manager").asText()) && "Apply".equals(entry.path("operation").asText())
          && !entry.has("subresource");
      if (isMine == mine && (mine || "Apply".equals(entry.path("operation").asText()))) {
        parseFields(entry.path("fieldsV1"), List.of(), out);
      }
    }
    return out;
  }

  private static void parseFields(JsonNode node, List<String> prefix, Set<List<String>> out) {
    boolean leaf = true;
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getKey().equals(".")) {
        leaf = false;
        parseFields(e.getValue(), append(prefix, e.getKey()), out);
      }
    }
    if (leaf && !prefix.isEmpty()) {
      out.add(prefix);
    }
  }

  private void setManager(ObjectNode obj, String manager, String apiVersion, String time, Set<List<String>> owned) {
    ObjectNode meta = obj.get("metadata") instanceof ObjectNode ? (ObjectNode) obj.get("metadata")
        : obj.putObject("metadata");
    ArrayNode entries = meta.has("managedFields") && meta.get("managedFields").isArray()
        ? (ArrayNode) meta.get("managedFields") : meta.putArray("managedFields");
    ObjectNode fields = json.object();
    for (List<String> path : owned) {
      ObjectNode n = fields;
      for (String seg : path) {
        n = n.has(seg) ? (ObjectNode) n.get(seg) : n.putObject(seg);
      }
    }
    ObjectNode entry = null;
    for (int i = 0; i < entries.size(); i++) {
      JsonNode e = entries.get(i);
      if (manager.equals(e.path("manager").asText()) && "Apply".equals(e.path("operation").asText())
          && !e.has("subresource")) {
        if (owned.isEmpty()) {
          entries.remove(i);
          return;
        }
        entry = (ObjectNode) e;
      }
    }
    if (owned.isEmpty()) {
      return;
    }
    if (entry == null) {
      entry = entries.addObject();
    }
    entry.put("manager", manager).put("operation", "Apply").put("apiVersion", apiVersion).put("time", time)
        .put("fieldsType", "FieldsV1").set("fieldsV1", fields);
  }

  /** Removes the field a FieldsV1 path names; returns whether {@code node} became empty. */
  private boolean remove(JsonNode node, List<String> path, int i) {
    String seg = path.get(i);
    boolean last = i == path.size() - 1;
    if (seg.startsWith("f:") && node instanceof ObjectNode) {
      ObjectNode o = (ObjectNode) node;
      String name = seg.substring(2);
      JsonNode child = o.get(name);
      if (child == null) {
        return false;
      }
      if (last || remove(child, path, i + 1)) {
        o.remove(name);
      }
      return o.isEmpty();
    }
    if (seg.startsWith("k:") && node instanceof ArrayNode) {
      ArrayNode a = (ArrayNode) node;
      JsonNode key = json.read(seg.substring(2));
      for (int j = 0; j < a.size(); j++) {
        if (matchesKey(a.get(j), key)) {
          if (last || remove(a.get(j), path, i + 1)) {
            a.remove(j);
          }
          return a.isEmpty();
        }
      }
    }
    return false;
  }

  private static boolean matchesKey(JsonNode element, JsonNode key) {
    for (Map.Entry<String, JsonNode> k : key.properties()) {
      if (!k.getValue().equals(element.get(k.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
