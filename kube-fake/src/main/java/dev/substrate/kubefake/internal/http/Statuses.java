package dev.substrate.kubefake.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.kubefake.internal.store.Json;
import dev.substrate.kubefake.internal.store.ResourceType;

/** Kubernetes {@code Status} bodies for failed requests. */
public final class Statuses {

  private final Json json;

  Statuses(Json json) {
    this.json = json;
  }

  public String failure(int code, String reason, String message, String name, String group, String kind) {
    ObjectNode s = json.object();
    s.put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure").put("message", message).put("reason", reason);
    if (name != null || kind != null) {
      ObjectNode d = s.putObject("details");
      if (name != null) {
        d.put("name", name);
      }
      if (group != null && !group.isEmpty()) {
        d.put("group", group);
      }
      if (kind != null) {
        d.put("kind", kind);
      }
    }
    s.put("code", code);
    return json.write(s);
  }

  public String notFound(ResourceType t, ApiPath p) {
    String what = t == null ? p.plural() : t.qualifiedName();
    return failure(404, "NotFound", what + " \"" + p.name() + "\" not found", p.name(),
        t == null ? p.group() : t.group(), p.plural());
  }

  String noSuchResource() {
    return failure(404, "NotFound", "the server could not find the requested resource", null, null, null);
  }

  String alreadyExists(ResourceType t, String name) {
    return failure(409, "AlreadyExists", t.qualifiedName() + " \"" + name + "\" already exists", name, t.group(),
        t.plural());
  }

  String success(String name, ResourceType t) {
    ObjectNode s = json.object();
    s.put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    ObjectNode d = s.putObject("details");
    d.put("name", name);
    if (!t.group().isEmpty()) {
      d.put("group", t.group());
    }
    d.put("kind", t.plural());
    return json.write(s);
  }
}
