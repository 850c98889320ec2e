package dev.substrate.kubefake.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.kubefake.internal.store.Json;
import dev.substrate.kubefake.internal.store.ResourceRegistry;
import dev.substrate.kubefake.internal.store.ResourceType;
import java.util.List;
import java.util.Map;

/** Legacy (unaggregated) discovery documents built from the {@link ResourceRegistry}. */
final class Discovery {

  private final Json json;
  private final ResourceRegistry registry;

  Discovery(Json json, ResourceRegistry registry) {
    this.json = json;
    this.registry = registry;
  }

  /** {@code /api}: the core group's versions. */
  String coreVersions(String serverAddress) {
    ObjectNode o = json.object();
    o.put("kind", "APIVersions");
    o.putArray("versions").add("v1");
    o.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0")
        .put("serverAddress", serverAddress);
    return json.write(o);
  }

  /** {@code /apis}: every group with its versions. */
  String groups() {
    ObjectNode o = json.object();
    o.put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = o.putArray("groups");
    registry.groups().forEach((name, versions) -> groups.add(group(name, versions)));
    return json.write(o);
  }

  /** {@code /apis/{group}}, or {@code null} when the group is not served. */
  String group(String name) {
    List<String> versions = registry.groups().get(name);
    if (versions == null) {
      return null;
    }
    ObjectNode g = group(name, versions);
    g.put("kind", "APIGroup").put("apiVersion", "v1");
    return json.write(g);
  }

  private ObjectNode group(String name, List<String> versions) {
    ObjectNode g = json.object();
    g.put("name", name);
    ArrayNode vs = g.putArray("versions");
    for (String v : versions) {
      vs.addObject().put("groupVersion", name + "/" + v).put("version", v);
    }
    g.putObject("preferredVersion").put("groupVersion", name + "/" + versions.get(0)).put("version", versions.get(0));
    return g;
  }

  /** {@code /api/v1} or {@code /apis/{group}/{version}}, or {@code null} when not served. */
  String resources(String group, String version) {
    List<ResourceType> types = registry.resources(group, version);
    if (types.isEmpty()) {
      return null;
    }
    ObjectNode o = json.object();
    o.put("kind", "APIResourceList").put("apiVersion", "v1");
    o.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = o.putArray("resources");
    for (ResourceType t : types) {
      ObjectNode r = resources.addObject();
      r.put("name", t.plural()).put("singularName", t.singular()).put("namespaced", t.namespaced())
          .put("kind", t.kind());
      ArrayNode verbs = r.putArray("verbs");
      ResourceType.VERBS.forEach(verbs::add);
      if (!t.shortNames().isEmpty()) {
        ArrayNode sn = r.putArray("shortNames");
        t.shortNames().forEach(sn::add);
      }
      if (!t.categories().isEmpty()) {
        ArrayNode cs = r.putArray("categories");
        t.categories().forEach(cs::add);
      }
      for (String sub : t.subresources()) {
        ObjectNode s = resources.addObject();
        s.put("name", t.plural() + "/" + sub).put("singularName", "").put("namespaced", t.namespaced());
        if (sub.equals("token")) {
          s.put("group", "authentication.k8s.io").put("version", "v1").put("kind", "TokenRequest");
          s.putArray("verbs").add("create");
          continue;
        }
        if (sub.equals("scale")) {
          s.put("group", "autoscaling").put("version", "v1").put("kind", "Scale");
        } else {
          s.put("kind", t.kind());
        }
        s.putArray("verbs").add("get").add("patch").add("update");
      }
    }
    return json.write(o);
  }

  /** {@code /}: the paths the server serves. */
  String rootPaths() {
    ObjectNode o = json.object();
    ArrayNode paths = o.putArray("paths");
    paths.add("/api").add("/api/v1").add("/apis");
    for (Map.Entry<String, List<String>> g : registry.groups().entrySet()) {
      paths.add("/apis/" + g.getKey());
      g.getValue().forEach(v -> paths.add("/apis/" + g.getKey() + "/" + v));
    }
    paths.add("/healthz").add("/livez").add("/openapi/v2").add("/openapi/v3").add("/readyz").add("/version");
    return json.write(o);
  }
}
