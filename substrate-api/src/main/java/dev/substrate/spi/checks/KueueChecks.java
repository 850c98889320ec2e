package dev.substrate.spi.checks;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Doctor checks of Kueue's quota against the nodes: every ResourceFlavor's {@code nodeLabels} select a node, and no
 * ClusterQueue's nominal quota of a flavor exceeds what the flavor's nodes can allocate. Where Kueue's CRDs are absent
 * both skip. A finding fails where GPU nodes are fixed (nothing will ever add the missing nodes) and warns where an
 * autoscaler may add them (a pool scaled to zero has no nodes yet).
 *
 * <pre>{@code
 * List<Check> checks = KueueChecks.all(false);   // GPU nodes scale to zero, so findings warn
 * }</pre>
 */
public final class KueueChecks {
  public static final String FLAVORS = "gpu.kueue.flavors";
  public static final String QUOTA = "gpu.kueue.quota";

  private static final String REMEDY_SUFFIX = " (substrate gpus --kueue DIR renders flavors and quota from the nodes)";

  private KueueChecks() {}

  /** Both checks; {@code fixedNodes} where no autoscaler adds nodes, so findings fail rather than warn. */
  public static List<Check> all(boolean fixedNodes) {
    return List.of(flavors(fixedNodes), quota(fixedNodes));
  }

  /** {@value #FLAVORS}: every ResourceFlavor's {@code spec.nodeLabels} match at least one node. */
  public static Check flavors(boolean fixedNodes) {
    return Check.of(FLAVORS, Set.of(ResourceKind.NODES, ResourceKind.RESOURCE_FLAVORS), snapshot -> {
      if (snapshot.state(ResourceKind.RESOURCE_FLAVORS) == ClusterSnapshot.ReadState.ABSENT) {
        return CheckResult.skip(FLAVORS, notInstalled(ResourceKind.RESOURCE_FLAVORS));
      }
      List<GenericKubernetesResource> flavors = snapshot.list(ResourceKind.RESOURCE_FLAVORS);
      List<Node> nodes = snapshot.list(ResourceKind.NODES, Node.class);
      List<String> unmatched = new ArrayList<>();
      for (GenericKubernetesResource flavor : flavors) {
        Map<String, String> labels = nodeLabels(flavor);
        if (nodes.stream().noneMatch(n -> matches(n, labels))) {
          unmatched.add(flavor.getMetadata().getName() + " " + labels);
        }
      }
      if (flavors.isEmpty()) {
        return CheckResult.pass(FLAVORS, "Kueue is installed and has no ResourceFlavors");
      }
      if (unmatched.isEmpty()) {
        return CheckResult.pass(FLAVORS, Resources.count(flavors.size(), "ResourceFlavor selects", "ResourceFlavors "
            + "select") + " nodes");
      }
      return result(FLAVORS, fixedNodes, Resources.count(unmatched.size(), "ResourceFlavor's", "ResourceFlavors'")
          + " nodeLabels match no node: " + String.join("; ", unmatched),
          "fix the flavor's nodeLabels to the labels its nodes carry (kubectl get nodes --show-labels)"
              + (fixedNodes ? "" : ", unless its node pool is scaled to zero and will grow") + REMEDY_SUFFIX);
    });
  }

  /**
   * {@value #QUOTA}: no ClusterQueue's {@code nominalQuota} of a resource in a flavor exceeds the allocatable of
   * that resource on the nodes the flavor's {@code nodeLabels} select.
   */
  public static Check quota(boolean fixedNodes) {
    return Check.of(QUOTA, Set.of(ResourceKind.NODES, ResourceKind.RESOURCE_FLAVORS, ResourceKind.CLUSTER_QUEUES),
        snapshot -> {
          if (snapshot.state(ResourceKind.CLUSTER_QUEUES) == ClusterSnapshot.ReadState.ABSENT) {
            return CheckResult.skip(QUOTA, notInstalled(ResourceKind.CLUSTER_QUEUES));
          }
          Map<String, Map<String, String>> flavors = new HashMap<>();
          snapshot.list(ResourceKind.RESOURCE_FLAVORS).forEach(f -> flavors.put(f.getMetadata().getName(),
              nodeLabels(f)));
          List<Node> nodes = snapshot.list(ResourceKind.NODES, Node.class);
          List<GenericKubernetesResource> queues = snapshot.list(ResourceKind.CLUSTER_QUEUES);
          List<String> over = new ArrayList<>();
          int quotas = 0;
          for (GenericKubernetesResource queue : queues) {
            for (Map<?, ?> group : Resources.mappings(queue, "spec", "resourceGroups")) {
              for (Object f : list(group.get("flavors"))) {
                Map<?, ?> flavor = (Map<?, ?>) f;
                Map<String, String> labels = flavors.get(String.valueOf(flavor.get("name")));
                if (labels == null) {
                  continue; // Kueue itself marks a queue whose flavor does not exist inactive
                }
                for (Object q : list(flavor.get("resources"))) {
                  Map<?, ?> quota = (Map<?, ?>) q;
                  BigDecimal nominal = amount(quota.get("nominalQuota"));
                  if (nominal == null) {
                    continue;
                  }
                  quotas++;
                  String resource = String.valueOf(quota.get("name"));
                  BigDecimal capacity = BigDecimal.ZERO;
                  for (Node n : nodes) {
                    if (matches(n, labels) && n.getStatus() != null && n.getStatus().getAllocatable() != null
                        && n.getStatus().getAllocatable().get(resource) != null) {
                      BigDecimal a = amount(n.getStatus().getAllocatable().get(resource));
                      capacity = capacity.add(a == null ? BigDecimal.ZERO : a);
                    }
                  }
                  if (nominal.compareTo(capacity) > 0) {
                    over.add("ClusterQueue " + queue.getMetadata().getName() + " quotes " + plain(quota.get(
                        "nominalQuota")) + " " + resource + " of flavor " + flavor.get("name") + " but its nodes "
                        + "allocate " + plain(capacity));
                  }
                }
              }
            }
          }
          if (queues.isEmpty()) {
            return CheckResult.pass(QUOTA, "Kueue is installed and has no ClusterQueues");
          }
          if (over.isEmpty()) {
            return CheckResult.pass(QUOTA, "the nominal quota of " + Resources.count(queues.size(), "ClusterQueue",
                "ClusterQueues") + " (" + Resources.count(quotas, "quota", "quotas") + ") fits the nodes' capacity");
          }
          return result(QUOTA, fixedNodes, String.join("; ", over), (fixedNodes
              ? "lower nominalQuota to the capacity: Kueue would admit workloads that then stay Pending"
              : "lower nominalQuota to the capacity, unless the flavor's node pool autoscales at least that far")
              + REMEDY_SUFFIX);
        });
  }

  private static CheckResult result(String id, boolean fixedNodes, String finding, String remedy) {
    return CheckResult.builder().id(id).status(fixedNodes ? CheckStatus.FAIL : CheckStatus.WARN).finding(finding)
        .remedy(remedy).build();
  }

  private static String notInstalled(ResourceKind kind) {
    return "Kueue is not installed: " + kind.qualifiedName() + " (" + kind.apiVersion() + ") is not served";
  }

  private static Map<String, String> nodeLabels(GenericKubernetesResource flavor) {
    Map<String, String> out = new java.util.TreeMap<>();
    Resources.at(flavor, "spec", "nodeLabels").filter(v -> v instanceof Map)
        .ifPresent(v -> ((Map<?, ?>) v).forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val))));
    return out;
  }

  private static boolean matches(Node node, Map<String, String> labels) {
    Map<String, String> mine = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    return labels.entrySet().stream().allMatch(e -> e.getValue().equals(mine.get(e.getKey())));
  }

  private static List<?> list(Object o) {
    return o instanceof List ? (List<?>) o : List.of();
  }

  private static BigDecimal amount(Object quantity) {
    if (quantity == null) {
      return null;
    }
    try {
      return quantity instanceof Quantity ? ((Quantity) quantity).getNumericalAmount()
          : new Quantity(String.valueOf(quantity)).getNumericalAmount();
    } catch (ArithmeticException | IllegalArgumentException e) {
      return null;
    }
  }

  private static String plain(Object quantity) {
    return quantity instanceof BigDecimal ? ((BigDecimal) quantity).stripTrailingZeros().toPlainString()
        : String.valueOf(quantity);
  }
}
