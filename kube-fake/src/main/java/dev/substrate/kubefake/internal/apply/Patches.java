package dev.substrate.kubefake.internal.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON merge patch (RFC 7386) and an approximation of Kubernetes strategic merge patch: lists of
 * well-known fields merge by their merge key, the {@code $patch}, {@code $retainKeys},
 * {@code $setElementOrder/} and {@code $deleteFromPrimitiveList/} directives are honoured, other lists
 * are replaced.
 */
public final class Patches {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Merge keys of the list fields Kubernetes' built-in types merge by key. */
  private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
      Map.entry("containers", "name"),
      Map.entry("initContainers", "name"),
      Map.entry("ephemeralContainers", "name"),
      Map.entry("volumes", "name"),
      Map.entry("env", "name"),
      Map.entry("imagePullSecrets", "name"),
      Map.entry("resourceClaims", "name"),
      Map.entry("volumeMounts", "mountPath"),
      Map.entry("volumeDevices", "devicePath"),
      Map.entry("conditions", "type"),
      Map.entry("ownerReferences", "uid"),
      Map.entry("hostAliases", "ip"),
      Map.entry("topologySpreadConstraints", "topologyKey"));

  private Patches() {
  }

  /** Applies an RFC 7386 JSON merge patch; returns the patched copy. */
  public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  /** Applies a strategic merge patch; returns the patched copy. */
  public static JsonNode strategicMergePatch(JsonNode target, JsonNode patch) {
    JsonNode out = strategic(target, patch);
    return out == null ? NODES.objectNode() : out;
  }

  private static JsonNode strategic(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return stripDirectives(patch.deepCopy());
    }
    String directive = patch.path("$patch").asText("");
    if (directive.equals("delete")) {
      return null;
    }
    if (directive.equals("replace")) {
      return stripDirectives(patch.deepCopy());
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : NODES.objectNode();
    Map<String, JsonNode> order = new HashMap<>();
    Map<String, JsonNode> deleteFromPrimitive = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String field = e.getKey();
      JsonNode value = e.getValue();
      if (field.startsWith("$setElementOrder/")) {
        order.put(field.substring("$setElementOrder/".length()), value);
      } else if (field.startsWith("$deleteFromPrimitiveList/")) {
        deleteFromPrimitive.put(field.substring("$deleteFromPrimitiveList/".length()), value);
      } else if (field.startsWith("$")) {
        continue;
      } else if (value.isNull()) {
        result.remove(field);
      } else if (value.isObject()) {
        JsonNode merged = strategic(result.get(field), value);
        if (merged == null) {
          result.remove(field);
        } else {
          result.set(field, merged);
        }
      } else if (value.isArray()) {
        result.set(field, mergeList(field, result.get(field), (ArrayNode) value));
      } else {
        result.set(field, value.deepCopy());
      }
    }
    deleteFromPrimitive.forEach((field, values) -> {
      JsonNode list = result.get(field);
      if (list instanceof ArrayNode) {
        ArrayNode kept = NODES.arrayNode();
        list.forEach(v -> {
          if (!contains(values, v)) {
            kept.add(v);
          }
        });
        result.set(field, kept);
      }
    });
    order.forEach((field, wanted) -> {
      JsonNode list = result.get(field);
      if (list instanceof ArrayNode) {
        result.set(field, reorder(field, (ArrayNode) list, wanted));
      }
    });
    JsonNode retain = patch.get("$retainKeys");
    if (retain != null && retain.isArray()) {
      List<String> keep = new ArrayList<>();
      retain.forEach(k -> keep.add(k.asText()));
      result.retain(keep);
    }
    return result;
  }

  private static JsonNode mergeList(String field, JsonNode current, ArrayNode patch) {
    String key = mergeKey(field, patch);
    if (key == null) {
      if (field.equals("finalizers") && current instanceof ArrayNode) {
        ArrayNode union = ((ArrayNode) current).deepCopy();
        patch.forEach(v -> {
          if (!contains(union, v)) {
            union.add(v.deepCopy());
          }
        });
        return union;
      }
      return stripDirectives(patch.deepCopy());
    }
    ArrayNode result = current instanceof ArrayNode ? ((ArrayNode) current).deepCopy() : NODES.arrayNode();
    for (JsonNode element : patch) {
      if (!element.isObject()) {
        continue;
      }
      if (element.path("$patch").asText("").equals("replace") && element.size() == 1) {
        return NODES.arrayNode();
      }
      int index = indexOf(result, key, element.get(key));
      if (element.path("$patch").asText("").equals("delete")) {
        if (index >= 0) {
          result.remove(index);
        }
      } else if (index >= 0) {
        result.set(index, strategic(result.get(index), element));
      } else {
        result.add(strategic(null, element));
      }
    }
    return result;
  }

  private static String mergeKey(String field, ArrayNode patch) {
    if (field.equals("ports")) {
      for (JsonNode e : patch) {
        if (e.has("containerPort")) {
          return "containerPort";
        }
      }
      return "port";
    }
    return MERGE_KEYS.get(field);
  }

  private static ArrayNode reorder(String field, ArrayNode list, JsonNode wanted) {
    String key = mergeKey(field, list);
    ArrayNode out = NODES.arrayNode();
    List<JsonNode> rest = new ArrayList<>();
    list.forEach(rest::add);
    for (JsonNode w : wanted) {
      for (Iterator<JsonNode> it = rest.iterator(); it.hasNext();) {
        JsonNode e = it.next();
        boolean same = key != null && w.isObject() ? e.path(key).equals(w.path(key)) : e.equals(w);
        if (same) {
          out.add(e);
          it.remove();
          break;
        }
      }
    }
    rest.forEach(out::add);
    return out;
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    if (value == null) {
      return -1;
    }
    for (int i = 0; i < list.size(); i++) {
      if (value.equals(list.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean contains(JsonNode list, JsonNode value) {
    for (JsonNode v : list) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode stripDirectives(JsonNode node) {
    if (node instanceof ObjectNode) {
      ObjectNode o = (ObjectNode) node;
      List<String> directives = new ArrayList<>();
      o.fieldNames().forEachRemaining(f -> {
        if (f.startsWith("$")) {
          directives.add(f);
        }
      });
      o.remove(directives);
      o.forEach(Patches::stripDirectives);
    } else if (node instanceof ArrayNode) {
      node.forEach(Patches::stripDirectives);
    }
    return node;
  }
}
