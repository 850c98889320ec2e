package dev.substrate.internal;

import dev.substrate.spi.checks.GpuChecks;
import dev.substrate.spi.gpu.GpuCatalog;
import dev.substrate.spi.gpu.GpuModel;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Counts GPUs per node pool, resource and product from nodes and pods: what the nodes can allocate and what pods
 * bound to them, and not finished, request.
 *
 * <p>Labels, from GPU feature discovery (NVIDIA/k8s-device-plugin v0.20.0 internal/lm/resource.go,
 * {@code baseLabeler}: every resource {@code R} it advertises is labelled {@code R.product}, {@code R.count},
 * {@code R.replicas} and {@code R.sharing-strategy} = {@code none|time-slicing|mps}, keyed by the resource's own
 * name, so a MIG slice of the mixed strategy has {@code nvidia.com/mig-1g.10gb.product}; a renamed shared resource
 * {@code nvidia.com/gpu.shared} keeps the {@code nvidia.com/gpu.*} labels), and from GKE
 * ({@code cloud.google.com/gke-accelerator}, {@code cloud.google.com/gke-gpu-partition-size},
 * {@code cloud.google.com/gke-gpu-sharing-strategy} = {@code time-sharing|mps},
 * {@code cloud.google.com/gke-max-shared-clients-per-gpu}).
 *
 * <p>A pod's request of a resource is what the scheduler counts (KEP-753): the larger of its containers' and
 * sidecars' (init containers with {@code restartPolicy: Always}) sum and its largest init container's with the
 * sidecars started before it, plus the pod's overhead; a container that only sets a limit of an extended resource
 * requests that limit.
 */
public final class GpuAccounting {
  /** Node labels that name a node pool, the first one a node has wins. */
  public static final List<String> POOL_LABELS = List.of(
      "cloud.google.com/gke-nodepool", "karpenter.sh/nodepool", "eks.amazonaws.com/nodegroup",
      "kubernetes.azure.com/agentpool", "node.kubernetes.io/instance-type");
  public static final String NO_POOL_LABEL = "(none)";

  static final String GPU = GpuChecks.GPU_RESOURCE;
  static final String SHARED = GpuChecks.SHARED_GPU_RESOURCE;
  static final String MIG_PREFIX = "nvidia.com/mig-";
  public static final String PRODUCT_LABEL = "nvidia.com/gpu.product";
  public static final String GKE_ACCELERATOR = "cloud.google.com/gke-accelerator";
  public static final String GKE_PARTITION = "cloud.google.com/gke-gpu-partition-size";
  static final String GKE_SHARING = "cloud.google.com/gke-gpu-sharing-strategy";
  static final String GKE_MAX_CLIENTS = "cloud.google.com/gke-max-shared-clients-per-gpu";

  /** One pool's resource of one product, with the nodes that advertise it. */
  public record Slot(String pool, String poolLabel, String resource, String product, Optional<String> model,
      Optional<String> migProfile, String sharing, int replicas, List<Node> nodes, long allocatable, long requested) {}

  private GpuAccounting() {}

  /** The slots, by pool, then resource, then product. */
  public static List<Slot> count(List<Node> nodes, List<Pod> pods) {
    Map<String, Map<String, Long>> requestedByNode = new HashMap<>();
    for (Pod pod : pods) {
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (node == null || node.isEmpty() || "Succeeded".equals(phase) || "Failed".equals(phase)) {
        continue;
      }
      Map<String, Long> mine = requestedByNode.computeIfAbsent(node, k -> new HashMap<>());
      requests(pod).forEach((r, n) -> mine.merge(r, n, Long::sum));
    }
    Map<String, SlotBuilder> slots = new TreeMap<>();
    for (Node node : nodes) {
      Map<String, Long> advertised = gpuResources(node);
      if (advertised.isEmpty()) {
        continue;
      }
      Map<String, String> labels = labels(node);
      String poolLabel = POOL_LABELS.stream().filter(labels::containsKey).findFirst().orElse(NO_POOL_LABEL);
      String pool = labels.getOrDefault(poolLabel, "all");
      Map<String, Long> requested = requestedByNode.getOrDefault(node.getMetadata().getName(), Map.of());
      for (Map.Entry<String, Long> e : advertised.entrySet()) {
        String resource = e.getKey();
        String product = product(labels, resource);
        String key = pool + "\u0000" + resource + "\u0000" + product;
        SlotBuilder slot = slots.computeIfAbsent(key, k -> new SlotBuilder(pool, poolLabel, resource, product, labels));
        slot.nodes.add(node);
        slot.allocatable += e.getValue();
        slot.requested += requested.getOrDefault(resource, 0L);
      }
    }
    List<Slot> out = new ArrayList<>();
    slots.values().forEach(s -> out.add(s.build()));
    return out;
  }

  /** The GPU resources {@code node} advertises; {@code nvidia.com/gpu: 0} for a GPU node that advertises none. */
  static Map<String, Long> gpuResources(Node node) {
    Map<String, Long> out = new TreeMap<>();
    Map<String, Quantity> allocatable = node.getStatus() == null ? null : node.getStatus().getAllocatable();
    if (allocatable != null) {
      allocatable.forEach((resource, q) -> {
        if (isGpu(resource)) {
          out.put(resource, amount(q));
        }
      });
    }
    if (out.isEmpty() && (GpuChecks.looksLikeGpuNode(node) || labels(node).containsKey(GKE_ACCELERATOR))) {
      out.put(GPU, 0L);
    }
    return out;
  }

  public static boolean isGpu(String resource) {
    return resource.equals(GPU) || resource.equals(SHARED) || resource.startsWith(MIG_PREFIX);
  }

  /** What {@code pod} requests of each GPU resource, as the scheduler counts it. */
  static Map<String, Long> requests(Pod pod) {
    Map<String, Long> running = new HashMap<>();
    Map<String, Long> init = new HashMap<>();
    Map<String, Long> sidecars = new HashMap<>();
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        Map<String, Long> own = request(c);
        if ("Always".equals(c.getRestartPolicy())) {
          own.forEach((r, n) -> sidecars.merge(r, n, Long::sum));
        } else {
          own.forEach((r, n) -> init.merge(r, Math.addExact(n, sidecars.getOrDefault(r, 0L)), Math::max));
        }
      }
    }
    if (pod.getSpec().getContainers() != null) {
      pod.getSpec().getContainers().forEach(c -> request(c).forEach((r, n) -> running.merge(r, n, Long::sum)));
    }
    sidecars.forEach((r, n) -> running.merge(r, n, Long::sum));
    init.forEach((r, n) -> running.merge(r, n, Math::max));
    if (pod.getSpec().getOverhead() != null) {
      pod.getSpec().getOverhead().forEach((r, q) -> {
        if (isGpu(r)) {
          running.merge(r, amount(q), Long::sum);
        }
      });
    }
    return running;
  }

  private static Map<String, Long> request(Container c) {
    Map<String, Long> out = new HashMap<>();
    if (c.getResources() == null) {
      return out;
    }
    Map<String, Quantity> requests = c.getResources().getRequests() == null ? Map.of() : c.getResources().getRequests();
    Map<String, Quantity> limits = c.getResources().getLimits() == null ? Map.of() : c.getResources().getLimits();
    requests.forEach((r, q) -> {
      if (isGpu(r)) {
        out.put(r, amount(q));
      }
    });
    limits.forEach((r, q) -> {
      if (isGpu(r) && !requests.containsKey(r)) {
        out.put(r, amount(q));
      }
    });
    return out;
  }

  private static long amount(Quantity q) {
    try {
      BigDecimal n = q.getNumericalAmount();
      return n.signum() <= 0 ? 0 : n.longValue();
    } catch (ArithmeticException | IllegalArgumentException | NullPointerException malformed) {
      return 0;
    }
  }

  static Map<String, String> labels(Node node) {
    Map<String, String> labels = node.getMetadata() == null ? null : node.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  /** The label prefix GFD uses for {@code resource}: the resource's own name, {@code nvidia.com/gpu} for its rename. */
  static String labelBase(String resource) {
    return resource.equals(SHARED) ? GPU : resource;
  }

  static String product(Map<String, String> labels, String resource) {
    String own = labels.get(labelBase(resource) + ".product");
    if (own != null && !own.isBlank()) {
      return own;
    }
    String gpu = labels.get(PRODUCT_LABEL);
    if (gpu != null && !gpu.isBlank()) {
      return gpu;
    }
    String accelerator = labels.get(GKE_ACCELERATOR);
    return accelerator != null && !accelerator.isBlank() ? accelerator : "unknown";
  }

  static Optional<GpuModel> model(String product) {
    GpuCatalog catalog = GpuCatalog.shipped();
    Optional<GpuModel> m = catalog.byProductLabel(product);
    String p = product.toLowerCase(Locale.ROOT);
    if (m.isEmpty() && p.startsWith("nvidia-tesla-")) {
      m = catalog.byProductLabel("Tesla-" + product.substring("nvidia-tesla-".length()));
    }
    return m;
  }

  static Optional<String> migProfile(Map<String, String> labels, String resource, String product) {
    if (resource.startsWith(MIG_PREFIX)) {
      return Optional.of(resource.substring(MIG_PREFIX.length()));
    }
    int mig = product.toUpperCase(Locale.ROOT).indexOf("-MIG-");
    if (mig >= 0) {
      String profile = product.substring(mig + "-MIG-".length());
      return Optional.of(profile.toUpperCase(Locale.ROOT).endsWith("-SHARED")
          ? profile.substring(0, profile.length() - "-SHARED".length()) : profile);
    }
    return Optional.ofNullable(labels.get(GKE_PARTITION)).filter(v -> !v.isBlank());
  }

  static String sharing(Map<String, String> labels, String resource) {
    String gfd = labels.get(labelBase(resource) + ".sharing-strategy");
    if (gfd != null && !gfd.isBlank()) {
      return gfd;
    }
    String gke = labels.getOrDefault(GKE_SHARING, "");
    return gke.equalsIgnoreCase("time-sharing") ? "time-slicing" : gke.equalsIgnoreCase("mps") ? "mps" : "none";
  }

  static int replicas(Map<String, String> labels, String resource) {
    String gfd = labels.get(labelBase(resource) + ".replicas");
    String value = gfd != null ? gfd : labels.containsKey(GKE_SHARING) ? labels.get(GKE_MAX_CLIENTS) : null;
    try {
      return value == null ? 1 : Math.max(1, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static final class SlotBuilder {
    final String pool;
    final String poolLabel;
    final String resource;
    final String product;
    final Map<String, String> firstLabels;
    final List<Node> nodes = new ArrayList<>();
    long allocatable;
    long requested;

    SlotBuilder(String pool, String poolLabel, String resource, String product, Map<String, String> labels) {
      this.pool = pool;
      this.poolLabel = poolLabel;
      this.resource = resource;
      this.product = product;
      this.firstLabels = new LinkedHashMap<>(labels);
    }

    Slot build() {
      return new Slot(pool, poolLabel, resource, product, model(product).map(GpuModel::name),
          migProfile(firstLabels, resource, product), sharing(firstLabels, resource), replicas(firstLabels, resource),
          List.copyOf(nodes), allocatable, requested);
    }
  }
}
