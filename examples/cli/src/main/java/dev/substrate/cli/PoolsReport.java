package dev.substrate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.NodePool;
import dev.substrate.Placement;
import dev.substrate.PoolAssignment;
import dev.substrate.Substrate;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** What {@code substrate pools} prints: a document (JSON, YAML) and its text form; apart, so help loads no Jackson. */
final class PoolsReport {
  private PoolsReport() {}

  static String print(OutputFormat output, Substrate substrate, PoolAssignment assignment, List<Placement> placements,
      PoolsCommand.PodFile placed) {
    JsonNode document = document(substrate, assignment, placements, placed);
    return output == OutputFormat.text ? text(document) : output.write(document);
  }

  private static JsonNode document(Substrate substrate, PoolAssignment assignment, List<Placement> placements,
      PoolsCommand.PodFile placed) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("cluster", substrate.describe());
    ArrayNode pools = root.putArray("pools");
    for (NodePool pool : substrate.pools()) {
      Substrate s = pool.substrate();
      ObjectNode p = pools.addObject();
      p.put("pool", pool.name());
      p.put("substrate", s.id());
      p.put("nodes", assignment.nodes(pool.name()).size());
      p.put("evidence", assignment.evidence(pool.name()));
      p.put("gpuStack", s.gpuStack().id());
      p.put("storage", s.storage().id());
      p.put("gpus", gpus(assignment.nodes(pool.name())).toPlainString());
      p.put("rwx", state(s, CapabilityIds.STORAGE_RWX));
      p.put("gpuScaleToZero", state(s, CapabilityIds.GPU_SCALE_TO_ZERO));
    }
    if (!assignment.unpooled().isEmpty()) {
      ObjectNode unpooled = root.putObject("unpooled");
      assignment.unpooled().forEach((id, nodes) -> unpooled.put(id, nodes.size()));
    }
    if (placed != null) {
      ObjectNode pod = root.putObject("placement");
      pod.put("pod", placed.pod().getMetadata().getName());
      ArrayNode list = pod.putArray("pools");
      for (Placement placement : placements) {
        list.addObject().put("pool", placement.pool()).put("fits", placement.fits()).put("reason", placement.reason());
      }
    }
    return root;
  }

  private static String text(JsonNode document) {
    StringBuilder b = new StringBuilder("cluster " + document.path("cluster").asText()).append(System.lineSeparator());
    String format = "%-10s %-10s %5s  %-12s %-16s %4s  %-12s %-12s%n";
    b.append(String.format(format, "POOL", "SUBSTRATE", "NODES", "GPU STACK", "STORAGE", "GPUS", "RWX",
        "GPU SCALE-0"));
    for (JsonNode p : document.path("pools")) {
      b.append(String.format(format, p.path("pool").asText(), p.path("substrate").asText(), p.path("nodes").asInt(),
          p.path("gpuStack").asText(), p.path("storage").asText(), p.path("gpus").asText(), p.path("rwx").asText(),
          p.path("gpuScaleToZero").asText()));
    }
    for (JsonNode p : document.path("pools")) {
      b.append(p.path("pool").asText()).append(": ").append(p.path("evidence").asText()).append(System.lineSeparator());
    }
    document.path("unpooled").properties().forEach(e -> b.append(e.getValue().asInt())
        .append(" nodes look like ").append(e.getKey()).append(", which no pool runs on: add substrate.pools.")
        .append(e.getKey()).append(": {substrate: ").append(e.getKey()).append("}").append(System.lineSeparator()));
    JsonNode placement = document.path("placement");
    if (!placement.isMissingNode()) {
      b.append(System.lineSeparator()).append("pod ").append(placement.path("pod").asText()).append(":")
          .append(System.lineSeparator());
      for (JsonNode p : placement.path("pools")) {
        b.append(String.format("  %-8s %-10s %s%n", p.path("fits").asBoolean() ? "fits" : "no", p.path("pool").asText(),
            p.path("reason").asText()));
      }
    }
    return b.toString();
  }

  private static String state(Substrate substrate, String capabilityId) {
    return substrate.capability(capabilityId).map(Capability::state).map(Enum::name).orElse("-");
  }

  private static BigDecimal gpus(List<Node> nodes) {
    BigDecimal total = BigDecimal.ZERO;
    for (Node node : nodes) {
      Map<String, Quantity> allocatable = node.getStatus() == null ? null : node.getStatus().getAllocatable();
      if (allocatable != null && allocatable.get("nvidia.com/gpu") != null) {
        total = total.add(allocatable.get("nvidia.com/gpu").getNumericalAmount());
      }
    }
    return total;
  }
}
