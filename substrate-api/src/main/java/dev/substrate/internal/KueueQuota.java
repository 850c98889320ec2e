package dev.substrate.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Kueue's quota for the GPUs counted: a ResourceFlavor per GPU product and MIG profile (node labels that select its
 * nodes, tolerations of the taints they all carry), a {@code default} flavor for CPU and memory, and one ClusterQueue
 * whose nominal quota is what the nodes can allocate, or, for a pool an autoscaler grows to a known size, what that
 * size holds. {@code kueue.x-k8s.io/v1beta2} (kubernetes-sigs/kueue v0.19.2
 * config/components/crd/bases: v1beta1 is deprecated there). Kueue admits a workload only if the ClusterQueue covers
 * every resource it requests, so CPU and memory are covered too, in a group of their own (a resource and a flavor
 * belong to one group), with the GPU nodes' allocatable as quota.
 */
public final class KueueQuota {
  public static final String API_VERSION = "kueue.x-k8s.io/v1beta2";
  public static final String BASIS_ANNOTATION = "substrate.dev/quota-basis";
  static final String DEFAULT_FLAVOR = "default";

  /** How a pool can grow: its most nodes when an autoscaler grows it to a known size, else null. */
  public record PoolGrowth(boolean autoscaled, Integer maxNodes) {}

  private KueueQuota() {}

  /** The flavors, then the ClusterQueue {@code queue}; {@code growth} by pool name. */
  public static List<HasMetadata> render(String queue, List<GpuAccounting.Slot> slots,
      Function<String, PoolGrowth> growth) {
    Map<String, List<GpuAccounting.Slot>> byFlavor = new TreeMap<>();
    Map<String, String> flavorOf = new LinkedHashMap<>();
    Set<String> names = new HashSet<>();
    for (GpuAccounting.Slot s : slots) {
      String key = s.resource() + "\u0000" + s.product();
      flavorOf.computeIfAbsent(key, k -> unique(flavorName(s), names));
      byFlavor.computeIfAbsent(flavorOf.get(key), k -> new ArrayList<>()).add(s);
    }
    List<HasMetadata> out = new ArrayList<>();
    List<String> basis = new ArrayList<>();
    Map<String, Map<String, Long>> quotaByResource = new TreeMap<>();
    Map<String, Node> gpuNodes = new LinkedHashMap<>();
    for (Map.Entry<String, List<GpuAccounting.Slot>> f : byFlavor.entrySet()) {
      List<GpuAccounting.Slot> flavorSlots = f.getValue();
      List<Node> nodes = new ArrayList<>();
      flavorSlots.forEach(s -> nodes.addAll(s.nodes()));
      nodes.forEach(n -> gpuNodes.put(n.getMetadata().getName(), n));
      out.add(flavor(f.getKey(), nodeLabels(flavorSlots, nodes), tolerations(nodes)));
      long quota = 0;
      for (GpuAccounting.Slot s : flavorSlots) {
        PoolGrowth g = growth.apply(s.pool());
        long slotQuota = s.allocatable();
        String how = s.allocatable() + " allocatable on " + count(s.nodes().size(), "node") + " of pool " + s.pool();
        if (g.autoscaled() && g.maxNodes() != null && !s.nodes().isEmpty()) {
          long perNode = s.allocatable() / s.nodes().size();
          slotQuota = Math.max(slotQuota, perNode * g.maxNodes());
          how += ", which autoscales to " + count(g.maxNodes(), "node") + ": quota " + slotQuota;
        } else if (g.autoscaled()) {
          how += ", which autoscales to a maximum not known here: quota is today's capacity";
        }
        quota += slotQuota;
        basis.add(s.resource() + " of flavor " + f.getKey() + ": " + how);
      }
      quotaByResource.computeIfAbsent(flavorSlots.get(0).resource(), r -> new LinkedHashMap<>())
          .put(f.getKey(), quota);
    }
    if (!gpuNodes.isEmpty()) {
      out.add(flavor(DEFAULT_FLAVOR, Map.of(), List.of()));
    }
    out.add(clusterQueue(queue, quotaByResource, gpuNodes.values(), basis));
    return out;
  }

  /** The flavor's name: the catalog's model name or the product, the MIG profile, {@code shared} for the rename. */
  static String flavorName(GpuAccounting.Slot s) {
    String name = s.model().orElse(s.product());
    if (s.migProfile().isPresent()) {
      name += "-" + s.migProfile().get();
    }
    if (s.resource().equals(GpuAccounting.SHARED)) {
      name += "-shared";
    }
    String dns = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("-{2,}", "-")
        .replaceAll("^[-.]+|[-.]+$", "");
    return dns.isEmpty() ? "gpu" : dns;
  }

  private static String unique(String name, Set<String> taken) {
    String candidate = name;
    for (int i = 2; !taken.add(candidate); i++) {
      candidate = name + "-" + i;
    }
    return candidate;
  }

  /**
   * Labels every node of the flavor has with one value: GFD's product label, else GKE's accelerator (and partition
   * size), else the pool label; a flavor whose nodes share none of them gets none (it matches every node).
   */
  static Map<String, String> nodeLabels(List<GpuAccounting.Slot> slots, List<Node> nodes) {
    Map<String, String> product = common(nodes, GpuAccounting.PRODUCT_LABEL);
    if (!product.isEmpty()) {
      return product;
    }
    Map<String, String> accelerator = new TreeMap<>(common(nodes, GpuAccounting.GKE_ACCELERATOR));
    if (!accelerator.isEmpty()) {
      accelerator.putAll(common(nodes, GpuAccounting.GKE_PARTITION));
      return accelerator;
    }
    return common(nodes, slots.get(0).poolLabel());
  }

  private static Map<String, String> common(List<Node> nodes, String key) {
    Set<String> values = new LinkedHashSet<>();
    for (Node n : nodes) {
      values.add(GpuAccounting.labels(n).get(key));
    }
    return values.size() == 1 && values.iterator().next() != null ? Map.of(key, values.iterator().next()) : Map.of();
  }

  /** Tolerations of the NoSchedule and NoExecute taints every node carries. */
  static List<Map<String, Object>> tolerations(List<Node> nodes) {
    Map<String, Taint> shared = null;
    for (Node n : nodes) {
      Map<String, Taint> mine = new LinkedHashMap<>();
      if (n.getSpec() != null && n.getSpec().getTaints() != null) {
        for (Taint t : n.getSpec().getTaints()) {
          if ("NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect())) {
            mine.put(t.getKey() + "=" + Objects.toString(t.getValue(), "") + ":" + t.getEffect(), t);
          }
        }
      }
      if (shared == null) {
        shared = mine;
      } else {
        shared.keySet().retainAll(mine.keySet());
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    if (shared != null) {
      for (Taint t : shared.values()) {
        Map<String, Object> tol = new LinkedHashMap<>();
        tol.put("key", t.getKey());
        if (t.getValue() == null || t.getValue().isEmpty()) {
          tol.put("operator", "Exists");
        } else {
          tol.put("operator", "Equal");
          tol.put("value", t.getValue());
        }
        tol.put("effect", t.getEffect());
        out.add(tol);
      }
    }
    return out;
  }

  private static GenericKubernetesResource flavor(String name, Map<String, String> nodeLabels,
      List<Map<String, Object>> tolerations) {
    Map<String, Object> spec = new LinkedHashMap<>();
    if (!nodeLabels.isEmpty()) {
      spec.put("nodeLabels", new TreeMap<>(nodeLabels));
    }
    if (!tolerations.isEmpty()) {
      spec.put("tolerations", tolerations);
    }
    return new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind("ResourceFlavor")
        .withNewMetadata().withName(name).addToLabels("app.kubernetes.io/managed-by", "substrate").endMetadata()
        .addToAdditionalProperties("spec", spec).build();
  }

  private static GenericKubernetesResource clusterQueue(String name, Map<String, Map<String, Long>> quota,
      java.util.Collection<Node> gpuNodes, List<String> basis) {
    List<Map<String, Object>> groups = new ArrayList<>();
    if (!gpuNodes.isEmpty()) {
      BigDecimal cpu = BigDecimal.ZERO;
      BigDecimal memory = BigDecimal.ZERO;
      for (Node n : gpuNodes) {
        Map<String, Quantity> a = n.getStatus() == null ? null : n.getStatus().getAllocatable();
        cpu = cpu.add(amount(a, "cpu"));
        memory = memory.add(amount(a, "memory"));
      }
      String cpuQuota = cpu.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.DOWN).toPlainString() + "m";
      String memoryQuota = memory.divide(BigDecimal.valueOf(1024L * 1024L), 0, RoundingMode.DOWN).toPlainString() + "Mi";
      groups.add(group(List.of("cpu", "memory"), DEFAULT_FLAVOR, List.of(quotaOf("cpu", cpuQuota),
          quotaOf("memory", memoryQuota))));
      basis.add(0, "cpu and memory of flavor " + DEFAULT_FLAVOR + ": the allocatable of the "
          + count(gpuNodes.size(), "GPU node"));
    }
    for (Map.Entry<String, Map<String, Long>> r : quota.entrySet()) {
      List<Map<String, Object>> flavors = new ArrayList<>();
      r.getValue().forEach((flavor, n) -> flavors.add(flavorQuota(flavor, List.of(quotaOf(r.getKey(), n)))));
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("coveredResources", List.of(r.getKey()));
      g.put("flavors", flavors);
      groups.add(g);
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("namespaceSelector", new LinkedHashMap<>());
    spec.put("resourceGroups", groups);
    return new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind("ClusterQueue")
        .withNewMetadata().withName(name).addToLabels("app.kubernetes.io/managed-by", "substrate")
            .addToAnnotations(BASIS_ANNOTATION, basis.isEmpty() ? "no GPU nodes: no GPU quota"
                : String.join("; ", basis)).endMetadata()
        .addToAdditionalProperties("spec", spec).build();
  }

  private static Map<String, Object> group(List<String> covered, String flavor, List<Map<String, Object>> quotas) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("coveredResources", covered);
    g.put("flavors", List.of(flavorQuota(flavor, quotas)));
    return g;
  }

  private static Map<String, Object> flavorQuota(String flavor, List<Map<String, Object>> quotas) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("name", flavor);
    f.put("resources", quotas);
    return f;
  }

  private static Map<String, Object> quotaOf(String resource, Object nominal) {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("name", resource);
    q.put("nominalQuota", nominal);
    return q;
  }

  private static BigDecimal amount(Map<String, Quantity> allocatable, String resource) {
    try {
      return allocatable == null || allocatable.get(resource) == null ? BigDecimal.ZERO
          : allocatable.get(resource).getNumericalAmount();
    } catch (ArithmeticException | IllegalArgumentException e) {
      return BigDecimal.ZERO;
    }
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
