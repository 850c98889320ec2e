package dev.substrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.internal.GpuAccounting;
import dev.substrate.internal.KueueQuota;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The cluster's GPUs as they are: per node pool and product, what the nodes can allocate, what running pods request
 * and what is free, MIG slices by profile, time-slicing and MPS replicas, and whether the pool can grow. Counted
 * from one read of nodes and pods ({@link #READS}: one paginated LIST each), and rendered as Kueue quota.
 *
 * <pre>{@code
 * GpuCapacity capacity = GpuCapacity.read(substrate, client);
 * for (GpuPool pool : capacity.pools()) {
 *   pool.resources().forEach(r -> System.out.println(pool.name() + " " + r.resource() + " free " + r.free()));
 * }
 * capacity.withMaxNodes("gpu-pool", 8).kueue("gpus").writeTo(Path.of("kueue"));
 * }</pre>
 */
public final class GpuCapacity {
  /** What capacity reads: nodes and pods. */
  public static final Set<ResourceKind> READS = Set.of(ResourceKind.NODES, ResourceKind.PODS);

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Substrate substrate;
  private final String source;
  private final int apiRequests;
  private final List<GpuAccounting.Slot> slots;
  private final Map<String, Integer> maxNodes;

  private GpuCapacity(Substrate substrate, String source, int apiRequests, List<GpuAccounting.Slot> slots,
      Map<String, Integer> maxNodes) {
    this.substrate = substrate;
    this.source = source;
    this.apiRequests = apiRequests;
    this.slots = slots;
    this.maxNodes = Collections.unmodifiableMap(new TreeMap<>(maxNodes));
  }

  /** Lists nodes and pods once each (500 a page, without retries) and counts. */
  public static GpuCapacity read(Substrate substrate, KubernetesClient client) {
    return read(substrate, client, ClusterSnapshot.builder().build(), line -> {});
  }

  /**
   * As {@link #read(Substrate, KubernetesClient)}, reusing the kinds {@code alreadyRead} holds (such as the nodes the
   * substrate was detected from) and reporting each read to {@code progress}; {@link #apiRequests()} counts both.
   */
  public static GpuCapacity read(Substrate substrate, KubernetesClient client, ClusterSnapshot alreadyRead,
      Consumer<String> progress) {
    Set<ResourceKind> missing = new java.util.TreeSet<>(READS);
    missing.removeAll(alreadyRead.kinds());
    ClusterSnapshot read = ClusterSnapshot.read(client, missing, progress);
    ClusterSnapshot all = ClusterSnapshot.builder().source(read.source()).addAll(alreadyRead).addAll(read)
        .apiRequests(alreadyRead.apiRequests() + read.apiRequests()).build();
    return of(substrate, all);
  }

  /**
   * Counts from a snapshot that holds nodes and pods.
   *
   * @throws SubstrateException naming the kind and why, when nodes or pods were not read
   */
  public static GpuCapacity of(Substrate substrate, ClusterSnapshot snapshot) {
    for (ResourceKind kind : List.of(ResourceKind.NODES, ResourceKind.PODS)) {
      if (snapshot.state(kind) != ClusterSnapshot.ReadState.READ) {
        throw new SubstrateException("cannot count GPUs: " + snapshot.problem(kind)
            .orElse(kind.qualifiedName() + " were not read"));
      }
    }
    List<GpuAccounting.Slot> slots = GpuAccounting.count(snapshot.list(ResourceKind.NODES, Node.class),
        snapshot.list(ResourceKind.PODS, Pod.class));
    return new GpuCapacity(substrate, snapshot.source(), snapshot.apiRequests(), slots, Map.of());
  }

  /**
   * This capacity, knowing that an autoscaler grows {@code pool} to at most {@code nodes} nodes (a node pool's
   * maximum is set on the cloud's side, not visible in the cluster); {@link #kueue} then quotes that size.
   */
  public GpuCapacity withMaxNodes(String pool, int nodes) {
    if (nodes < 0) {
      throw new IllegalArgumentException("the most nodes of pool " + pool + " must be 0 or more, not " + nodes);
    }
    Map<String, Integer> max = new TreeMap<>(maxNodes);
    max.put(pool, nodes);
    return new GpuCapacity(substrate, source, apiRequests, slots, max);
  }

  /** Every pool with GPU nodes, by name. */
  public List<GpuPool> pools() {
    Map<String, List<GpuAccounting.Slot>> byPool = new TreeMap<>();
    slots.forEach(s -> byPool.computeIfAbsent(s.pool(), k -> new ArrayList<>()).add(s));
    List<GpuPool> pools = new ArrayList<>();
    Capability growth = growth();
    for (Map.Entry<String, List<GpuAccounting.Slot>> e : byPool.entrySet()) {
      Set<String> nodes = new java.util.HashSet<>();
      GpuPool.Builder pool = GpuPool.builder().name(e.getKey()).groupedBy(e.getValue().get(0).poolLabel())
          .growth(growth(growth)).growthReason(growth.reason());
      if (maxNodes.containsKey(e.getKey())) {
        pool.maxNodes(maxNodes.get(e.getKey()));
      }
      for (GpuAccounting.Slot s : e.getValue()) {
        s.nodes().forEach(n -> nodes.add(n.getMetadata().getName()));
        pool.addResources(GpuResource.builder().resource(s.resource()).product(s.product()).model(s.model())
            .migProfile(s.migProfile()).sharing(s.sharing()).replicas(s.replicas()).nodes(s.nodes().size())
            .allocatable(s.allocatable()).requested(s.requested()).build());
      }
      pools.add(pool.nodes(nodes.size()).build());
    }
    return pools;
  }

  /**
   * Kueue quota for these GPUs ({@code kueue.x-k8s.io/v1beta2}): a ResourceFlavor per product and MIG profile, with
   * the node labels that select its nodes and tolerations of the taints they all carry, a {@code default} flavor for
   * CPU and memory, and the ClusterQueue {@code clusterQueue} whose nominal quota is what the nodes can allocate; for
   * a pool that autoscales to a known size ({@link #withMaxNodes}) what that size holds, as a pool scaled to zero
   * must still admit work for the autoscaler to add nodes. The queue's annotation {@code substrate.dev/quota-basis}
   * says where each figure comes from.
   */
  public Rendering kueue(String clusterQueue) {
    boolean autoscaled = growth(growth()) == GpuPool.Growth.AUTOSCALED;
    return new Rendering(KueueQuota.render(clusterQueue, slots,
        pool -> new KueueQuota.PoolGrowth(autoscaled, maxNodes.get(pool))));
  }

  /** Where the nodes and pods came from. */
  public String source() {
    return source;
  }

  /** The requests made to the Kubernetes API server to read nodes and pods, pages included. */
  public int apiRequests() {
    return apiRequests;
  }

  /** A table, one line per pool and resource, then how pools were told apart and whether they grow. */
  public String toText() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"POOL", "NODES", "RESOURCE", "PRODUCT", "SHARING", "ALLOCATABLE", "REQUESTED", "FREE"});
    Map<String, String> groupedBy = new LinkedHashMap<>();
    Map<String, List<String>> growth = new LinkedHashMap<>();
    List<GpuPool> pools = pools();
    for (GpuPool pool : pools) {
      for (GpuResource r : pool.resources()) {
        rows.add(new String[] {pool.name(), String.valueOf(pool.nodes()), r.resource(), product(r), sharing(r),
            String.valueOf(r.allocatable()), String.valueOf(r.requested()), String.valueOf(r.free())});
      }
      groupedBy.computeIfAbsent(pool.groupedBy(), k -> "");
      growth.computeIfAbsent(growthLine(pool), k -> new ArrayList<>()).add(pool.name());
    }
    StringBuilder out = new StringBuilder();
    if (pools.isEmpty()) {
      out.append("no GPU nodes: no node advertises nvidia.com/gpu, nvidia.com/gpu.shared or nvidia.com/mig-*, "
          + "or is labelled as a GPU node\n");
    } else {
      int[] widths = new int[rows.get(0).length];
      rows.forEach(row -> {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      });
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
          boolean number = i == 1 || i >= 5;
          String cell = number && line.length() > 0 ? " ".repeat(widths[i] - row[i].length()) + row[i]
              : row[i] + " ".repeat(widths[i] - row[i].length());
          line.append(i == 0 ? "" : "  ").append(cell);
        }
        out.append(line.toString().stripTrailing()).append('\n');
      }
      out.append("pools by ").append(String.join(", ", groupedBy.keySet())).append('\n');
      growth.forEach((line, names) -> out.append(String.join(", ", names)).append(": ").append(line).append('\n'));
    }
    out.append("Kubernetes API: ").append(apiRequests).append(apiRequests == 1 ? " request" : " requests")
        .append('\n');
    return out.toString();
  }

  /** The same content as {@link #toText()}, as JSON. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("substrate", substrate.id());
    root.put("source", source);
    ArrayNode pools = root.putArray("pools");
    for (GpuPool pool : pools()) {
      ObjectNode p = pools.addObject();
      p.put("name", pool.name());
      p.put("groupedBy", pool.groupedBy());
      p.put("nodes", pool.nodes());
      p.put("growth", pool.growth().name().toLowerCase(Locale.ROOT));
      p.put("growthReason", pool.growthReason());
      pool.maxNodes().ifPresent(m -> p.put("maxNodes", m));
      ArrayNode resources = p.putArray("resources");
      for (GpuResource r : pool.resources()) {
        ObjectNode o = resources.addObject();
        o.put("resource", r.resource());
        o.put("product", r.product());
        r.model().ifPresent(m -> o.put("model", m));
        r.migProfile().ifPresent(m -> o.put("migProfile", m));
        o.put("sharing", r.sharing());
        o.put("replicas", r.replicas());
        o.put("nodes", r.nodes());
        o.put("devices", r.devices());
        o.put("allocatable", r.allocatable());
        o.put("requested", r.requested());
        o.put("free", r.free());
      }
    }
    root.put("apiRequests", apiRequests);
    try {
      return JSON.writeValueAsString(root) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Capability growth() {
    return substrate.capability(CapabilityIds.GPU_SCALE_TO_ZERO).orElse(Capability.of(CapabilityIds.GPU_SCALE_TO_ZERO,
        CapabilityState.NEEDS_ACTION, "the substrate states nothing about GPU node elasticity",
        "check the node provisioner"));
  }

  private static GpuPool.Growth growth(Capability c) {
    switch (c.state()) {
      case SUPPORTED:
        return GpuPool.Growth.AUTOSCALED;
      case UNSUPPORTED:
        return GpuPool.Growth.FIXED;
      default:
        return GpuPool.Growth.UNKNOWN;
    }
  }

  private static String growthLine(GpuPool pool) {
    switch (pool.growth()) {
      case AUTOSCALED:
        return "can grow: " + pool.maxNodes().map(m -> "to " + m + (m == 1 ? " node" : " nodes"))
            .orElse("up to the autoscaling maximum set on the node pool (not visible in the cluster)")
            + "; " + pool.growthReason();
      case FIXED:
        return "fixed: " + pool.growthReason();
      default:
        return "growth unknown: " + pool.growthReason();
    }
  }

  private static String product(GpuResource r) {
    return r.model().map(m -> m + r.migProfile().map(p -> " MIG " + p).orElse("")).orElse(r.product());
  }

  private static String sharing(GpuResource r) {
    return r.sharing().equals("none") && r.replicas() <= 1 ? "-" : r.sharing() + " x" + r.replicas();
  }
}
