package dev.substrate.kubefake.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.kubefake.internal.store.Json;
import dev.substrate.kubefake.internal.store.ResourceType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Server-side printing: the {@code meta.k8s.io/v1 Table} kubectl asks for, with the columns the real API
 * server prints for nodes, namespaces, services, deployments, daemonsets and storage classes, and
 * Name/Age for everything else.
 */
final class Tables {

  /** One column: header, type, priority (1 shows only with {@code -o wide}) and how to compute it. */
  private record Column(String name, String type, int priority, Function<JsonNode, Object> value) {
  }

  private final Json json;

  Tables(Json json) {
    this.json = json;
  }

  /** Whether the request's Accept header asks for a Table. */
  static boolean wanted(String accept) {
    return accept != null && accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
  }

  /** A Table of the given objects; {@code listMetadata} is copied into the Table's metadata. */
  String table(ResourceType t, List<JsonNode> objects, JsonNode listMetadata, boolean includeObject) {
    List<Column> columns = columns(t);
    ObjectNode table = json.object();
    table.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    table.set("metadata", listMetadata == null ? json.object() : listMetadata.deepCopy());
    ArrayNode defs = table.putArray("columnDefinitions");
    for (Column c : columns) {
      defs.addObject().put("name", c.name()).put("type", c.type()).put("format", c.name().equals("Name") ? "name" : "")
          .put("description", c.name()).put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode o : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Column c : columns) {
        Object v = c.value().apply(o);
        if (v instanceof Number) {
          cells.add(((Number) v).longValue());
        } else {
          cells.add(v == null ? "<none>" : v.toString());
        }
      }
      row.set("object", includeObject ? o : partial(o));
    }
    return json.write(table);
  }

  private ObjectNode partial(JsonNode o) {
    ObjectNode p = json.object();
    p.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
    p.set("metadata", o.path("metadata").deepCopy());
    return p;
  }

  private static List<Column> columns(ResourceType t) {
    List<Column> c = new ArrayList<>();
    c.add(new Column("Name", "string", 0, o -> o.path("metadata").path("name").asText()));
    String key = t.group() + "/" + t.plural();
    switch (key) {
      case "/nodes":
        c.add(new Column("Status", "string", 0, Tables::nodeStatus));
        c.add(new Column("Roles", "string", 0, Tables::roles));
        c.add(age());
        c.add(new Column("Version", "string", 0, o -> o.path("status").path("nodeInfo").path("kubeletVersion").asText()));
        c.add(new Column("Internal-IP", "string", 1, o -> address(o, "InternalIP")));
        c.add(new Column("External-IP", "string", 1, o -> address(o, "ExternalIP")));
        c.add(new Column("OS-Image", "string", 1, o -> o.path("status").path("nodeInfo").path("osImage").asText()));
        c.add(new Column("Kernel-Version", "string", 1,
            o -> o.path("status").path("nodeInfo").path("kernelVersion").asText()));
        c.add(new Column("Container-Runtime", "string", 1,
            o -> o.path("status").path("nodeInfo").path("containerRuntimeVersion").asText()));
        return c;
      case "/namespaces":
        c.add(new Column("Status", "string", 0, o -> o.path("status").path("phase").asText("Active")));
        c.add(age());
        return c;
      case "/services":
        c.add(new Column("Type", "string", 0, o -> o.path("spec").path("type").asText("ClusterIP")));
        c.add(new Column("Cluster-IP", "string", 0, o -> o.path("spec").path("clusterIP").asText("<none>")));
        c.add(new Column("External-IP", "string", 0, Tables::externalIps));
        c.add(new Column("Port(s)", "string", 0, Tables::ports));
        c.add(age());
        return c;
      case "apps/deployments":
        c.add(new Column("Ready", "string", 0, o -> o.path("status").path("readyReplicas").asInt(0) + "/"
            + o.path("spec").path("replicas").asInt(1)));
        c.add(new Column("Up-to-date", "integer", 0, o -> o.path("status").path("updatedReplicas").asInt(0)));
        c.add(new Column("Available", "integer", 0, o -> o.path("status").path("availableReplicas").asInt(0)));
        c.add(age());
        return c;
      case "apps/daemonsets":
        c.add(new Column("Desired", "integer", 0, o -> o.path("status").path("desiredNumberScheduled").asInt(0)));
        c.add(new Column("Current", "integer", 0, o -> o.path("status").path("currentNumberScheduled").asInt(0)));
        c.add(new Column("Ready", "integer", 0, o -> o.path("status").path("numberReady").asInt(0)));
        c.add(new Column("Up-to-date", "integer", 0, o -> o.path("status").path("updatedNumberScheduled").asInt(0)));
        c.add(new Column("Available", "integer", 0, o -> o.path("status").path("numberAvailable").asInt(0)));
        c.add(new Column("Node Selector", "string", 0, Tables::nodeSelector));
        c.add(age());
        return c;
      case "storage.k8s.io/storageclasses":
        c.set(0, new Column("Name", "string", 0, o -> o.path("metadata").path("name").asText()
            + ("true".equals(o.path("metadata").path("annotations")
                .path("storageclass.kubernetes.io/is-default-class").asText()) ? " (default)" : "")));
        c.add(new Column("Provisioner", "string", 0, o -> o.path("provisioner").asText()));
        c.add(new Column("ReclaimPolicy", "string", 0, o -> o.path("reclaimPolicy").asText("Delete")));
        c.add(new Column("VolumeBindingMode", "string", 0, o -> o.path("volumeBindingMode").asText("Immediate")));
        c.add(new Column("AllowVolumeExpansion", "string", 0,
            o -> String.valueOf(o.path("allowVolumeExpansion").asBoolean(false))));
        c.add(age());
        return c;
      case "apiextensions.k8s.io/customresourcedefinitions":
        c.add(new Column("Created At", "date", 0, o -> o.path("metadata").path("creationTimestamp").asText()));
        return c;
      default:
        c.add(age());
        return c;
    }
  }

  private static Column age() {
    return new Column("Age", "string", 0, o -> humanAge(o.path("metadata").path("creationTimestamp").asText("")));
  }

  private static String nodeStatus(JsonNode o) {
    for (JsonNode cnd : o.path("status").path("conditions")) {
      if ("Ready".equals(cnd.path("type").asText())) {
        String s = "True".equals(cnd.path("status").asText()) ? "Ready" : "NotReady";
        return o.path("spec").path("unschedulable").asBoolean(false) ? s + ",SchedulingDisabled" : s;
      }
    }
    return "Unknown";
  }

  private static String roles(JsonNode o) {
    TreeSet<String> roles = new TreeSet<>();
    for (Map.Entry<String, JsonNode> l : o.path("metadata").path("labels").properties()) {
      if (l.getKey().startsWith("node-role.kubernetes.io/")) {
        roles.add(l.getKey().substring("node-role.kubernetes.io/".length()));
      }
    }
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String address(JsonNode o, String type) {
    for (JsonNode a : o.path("status").path("addresses")) {
      if (type.equals(a.path("type").asText())) {
        return a.path("address").asText();
      }
    }
    return "<none>";
  }

  private static String externalIps(JsonNode o) {
    List<String> ips = new ArrayList<>();
    for (JsonNode i : o.path("status").path("loadBalancer").path("ingress")) {
      ips.add(i.has("ip") ? i.path("ip").asText() : i.path("hostname").asText());
    }
    if (ips.isEmpty()) {
      return "LoadBalancer".equals(o.path("spec").path("type").asText()) ? "<pending>" : "<none>";
    }
    return String.join(",", ips);
  }

  private static String ports(JsonNode o) {
    List<String> ports = new ArrayList<>();
    for (JsonNode p : o.path("spec").path("ports")) {
      ports.add(p.path("port").asInt() + (p.has("nodePort") ? ":" + p.path("nodePort").asInt() : "") + "/"
          + p.path("protocol").asText("TCP"));
    }
    return ports.isEmpty() ? "<none>" : String.join(",", ports);
  }

  private static String nodeSelector(JsonNode o) {
    List<String> s = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : o.path("spec").path("template").path("spec").path("nodeSelector")
        .properties()) {
      s.add(e.getKey() + "=" + e.getValue().asText());
    }
    return s.isEmpty() ? "<none>" : String.join(",", s);
  }

  /** Kubernetes' short human duration, as {@code kubectl get} prints ages: 45s, 3m12s, 5h, 30d, 2y. */
  static String humanAge(String timestamp) {
    Instant t;
    try {
      t = Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
    Duration d = Duration.between(t, Instant.now());
    long seconds = d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    }
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    if (hours < 24 * 8) {
      return hours % 24 == 0 ? hours / 24 + "d" : hours / 24 + "d" + hours % 24 + "h";
    }
    if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    }
    if (hours < 24 * 365 * 8) {
      long days = hours / 24;
      return days % 365 == 0 ? days / 365 + "y" : days / 365 + "y" + days % 365 + "d";
    }
    return hours / 24 / 365 + "y";
  }
}
