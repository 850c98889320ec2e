package dev.substrate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.ClusterSnapshot;
import dev.substrate.NodePool;
import dev.substrate.Placement;
import dev.substrate.PoolAssignment;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code substrate pools}: the cluster's node pools, the substrate each runs on, and which can run a pod. */
@Command(name = "pools", description = {
    "Show the cluster's node pools: the substrate each pool's nodes run on (told apart by providerID scheme), "
        + "its GPU stack and storage, its GPUs, and whether it serves ReadWriteMany and adds GPU nodes on demand.",
    "--pod FILE matches a pod (and the PersistentVolumeClaims in the same file) to the pools that can run it."})
final class PoolsCommand implements Callable<Integer> {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;
  @Mixin ClusterOptions cluster;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--pod", paramLabel = "FILE",
      description = "A Pod manifest (YAML or JSON), with the PersistentVolumeClaims it mounts, to place.")
  Path pod;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PodFile placed = pod == null ? null : PodFile.read(pod);
    try (ClusterAccess access = cluster.open(err, "pools");
        EmbeddedExample example = EmbeddedExample.of(config, access.embedded(), cluster.embedded, err)) {
      ConfigOptions.progress(err, "reading nodes from " + access.server() + "…");
      ClusterSnapshot nodes = access.nodes(line -> ConfigOptions.progress(err, "  " + line));
      if (nodes.state(ResourceKind.NODES) != ClusterSnapshot.ReadState.READ) {
        throw new CliException("cannot sort nodes into pools: "
            + nodes.problem(ResourceKind.NODES).orElse("nodes were not read"));
      }
      Substrate substrate = access.substrate(example.config(), nodes, err);
      PoolAssignment assignment = substrate.assign(nodes);
      List<Placement> placements = placed == null ? List.of()
          : substrate.placements(placed.pod(), placed.claims(), nodes);
      JsonNode document = document(substrate, assignment, placements, placed);
      out.print(output == OutputFormat.text ? text(document) : output.write(document));
      out.flush();
    }
    return 0;
  }

  static JsonNode document(Substrate substrate, PoolAssignment assignment, List<Placement> placements,
      PodFile placed) {
    ObjectNode root = JSON.objectNode();
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

  static String text(JsonNode document) {
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

  /** A pod and the claims beside it in one file. */
  record PodFile(Pod pod, List<PersistentVolumeClaim> claims) {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static PodFile read(Path file) {
      Pod pod = null;
      List<PersistentVolumeClaim> claims = new ArrayList<>();
      for (JsonNode document : YamlInput.readAll(file, "pod file")) {
        String kind = document.path("kind").asText();
        if (kind.equals("Pod")) {
          if (pod != null) {
            throw new CliException("pod file " + file + " holds more than one Pod; --pod places one");
          }
          pod = SERIALIZATION.convertValue(document, Pod.class);
        } else if (kind.equals("PersistentVolumeClaim")) {
          claims.add(SERIALIZATION.convertValue(document, PersistentVolumeClaim.class));
        } else {
          throw new CliException("pod file " + file + " holds a " + (kind.isEmpty() ? "document without kind" : kind)
              + " but must hold one Pod and the PersistentVolumeClaims it mounts");
        }
      }
      if (pod == null || pod.getMetadata() == null || pod.getSpec() == null) {
        throw new CliException("pod file " + file + " holds no Pod with metadata and spec; --pod FILE must hold one");
      }
      return new PodFile(pod, claims);
    }
  }
}
