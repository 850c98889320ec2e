package dev.substrate.kubefake.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** What the apiextensions controller would write into a CRD's status: names accepted, established. */
public final class CrdStatus {

  private final Json json;

  public CrdStatus(Json json) {
    this.json = json;
  }

  /** The CRD JSON with its status established; the same string when it already is. */
  public String establish(String crdJson) {
    JsonNode crd = json.read(crdJson);
    if (!(crd instanceof ObjectNode) || !establish((ObjectNode) crd)) {
      return crdJson;
    }
    return json.write(crd);
  }

  /** Establishes the CRD in place; returns whether anything changed. */
  boolean establish(ObjectNode crd) {
    JsonNode spec = crd.path("spec");
    ObjectNode accepted = json.object();
    JsonNode names = spec.path("names");
    for (String f : new String[] {"plural", "singular", "shortNames", "kind", "listKind", "categories"}) {
      if (names.has(f)) {
        accepted.set(f, names.get(f).deepCopy());
      }
    }
    if (!accepted.has("singular") && names.has("kind")) {
      accepted.put("singular", names.get("kind").asText().toLowerCase(java.util.Locale.ROOT));
    }
    if (!accepted.has("listKind") && names.has("kind")) {
      accepted.put("listKind", names.get("kind").asText() + "List");
    }
    ArrayNode stored = json.array();
    for (JsonNode v : spec.path("versions")) {
      if (v.path("storage").asBoolean(false)) {
        stored.add(v.path("name").asText());
      }
    }
    JsonNode status = crd.path("status");
    boolean ok = accepted.equals(status.path("acceptedNames"))
        && isTrue(status, "Established") && isTrue(status, "NamesAccepted")
        && containsAll(status.path("storedVersions"), stored);
    if (ok) {
      return false;
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    ObjectNode s = json.object();
    s.set("acceptedNames", accepted);
    ArrayNode conditions = s.putArray("conditions");
    conditions.addObject().put("type", "NamesAccepted").put("status", "True").put("lastTransitionTime", now)
        .put("reason", "NoConflicts").put("message", "no conflicts found");
    conditions.addObject().put("type", "Established").put("status", "True").put("lastTransitionTime", now)
        .put("reason", "InitialNamesAccepted").put("message", "the initial names have been accepted");
    ArrayNode storedVersions = s.putArray("storedVersions");
    status.path("storedVersions").forEach(v -> storedVersions.add(v.asText()));
    stored.forEach(v -> {
      if (!contains(storedVersions, v)) {
        storedVersions.add(v.asText());
      }
    });
    crd.set("status", s);
    return true;
  }

  private static boolean isTrue(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsAll(JsonNode list, ArrayNode wanted) {
    for (JsonNode w : wanted) {
      if (!contains(list, w)) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(JsonNode list, JsonNode value) {
    for (JsonNode v : list) {
      if (v.asText().equals(value.asText())) {
        return true;
      }
    }
    return false;
  }
}
