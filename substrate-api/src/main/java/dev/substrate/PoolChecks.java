package dev.substrate;

import dev.substrate.spi.Check;
import dev.substrate.spi.checks.GpuChecks;
import dev.substrate.spi.checks.StorageChecks;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Doctor checks of a cluster with node pools on several substrates ({@link Substrate#checks()}). */
final class PoolChecks {
  static final String ASSIGNMENT = "substrate.pools";

  private PoolChecks() {}

  /** Every node is in a pool, and every pool has nodes. */
  static Check assignment(Substrate cluster) {
    return Check.of(ASSIGNMENT, Set.of(ResourceKind.NODES), snapshot -> {
      if (snapshot.list(ResourceKind.NODES, Node.class).isEmpty()) {
        return CheckResult.warn(ASSIGNMENT, "the cluster has no nodes", "join nodes to the cluster");
      }
      PoolAssignment assignment = cluster.assign(snapshot);
      String pools = cluster.pools().stream()
          .map(p -> p + ": " + assignment.evidence(p.name()))
          .collect(Collectors.joining("; "));
      for (Map.Entry<String, List<Node>> other : assignment.unpooled().entrySet()) {
        int n = other.getValue().size();
        return CheckResult.warn(ASSIGNMENT, n + (n == 1 ? " node looks" : " nodes look") + " like " + other.getKey()
            + ", which no pool runs on (" + names(other.getValue()) + "); pools: " + pools,
            "add substrate.pools." + other.getKey() + ": {substrate: " + other.getKey()
                + "}, or check that the kubeconfig points at the right cluster");
      }
      for (NodePool pool : cluster.pools()) {
        if (assignment.nodes(pool.name()).isEmpty()) {
          return CheckResult.warn(ASSIGNMENT, "pool " + pool + " has no nodes; pools: " + pools,
              pool.main() ? "join the " + pool.substrate().id() + " nodes, or set substrate.id to the substrate the "
                  + "control plane runs on" : "join the pool's nodes, or remove substrate.pools." + pool.name());
        }
      }
      return CheckResult.pass(ASSIGNMENT, "every node is in a pool: " + pools);
    });
  }

  /**
   * The pool's substrate, GPU stack and storage checks, run on the pool's nodes alone and named after it. Another
   * pool than the cluster's own does not judge the default StorageClass (the cluster has one, its own substrate's),
   * nor repeat the checks of the main pool's GPU stack or storage that read no nodes when it runs the same one.
   */
  static List<Check> of(Substrate cluster, NodePool pool) {
    Substrate substrate = pool.substrate();
    Substrate main = cluster.pools().stream().filter(NodePool::main).findFirst().orElse(pool).substrate();
    List<Check> checks = new ArrayList<>(substrate.ownChecks().stream().map(c -> onPool(cluster, pool, c, false))
        .toList());
    boolean sameGpuStack = !pool.main() && main.gpuStack().id().equals(substrate.gpuStack().id());
    substrate.gpuStack().checks().stream()
        .filter(c -> !sameGpuStack || c.reads().contains(ResourceKind.NODES))
        .forEach(c -> checks.add(onPool(cluster, pool, c, true)));
    boolean sameStorage = !pool.main() && main.storage().id().equals(substrate.storage().id());
    substrate.storage().checks().stream()
        .filter(c -> pool.main() || !c.id().equals(StorageChecks.DEFAULT_CLASS))
        .filter(c -> !sameStorage || c.reads().contains(ResourceKind.NODES))
        .forEach(c -> checks.add(onPool(cluster, pool, c, false)));
    return checks;
  }

  /**
   * A check run on the pool's nodes. A GPU stack's warning in a pool without GPU nodes while another pool has them
   * is a skip: there is nothing there to warn about.
   */
  private static Check onPool(Substrate cluster, NodePool pool, Check check, boolean gpuStack) {
    String id = pool.name() + "/" + check.id();
    return Check.of(id, check.reads(), (snapshot, context) -> {
      if (!check.reads().contains(ResourceKind.NODES)) {
        return CheckResult.builder().from(check.run(snapshot, context)).id(id).build();
      }
      PoolAssignment assignment = cluster.assign(snapshot);
      List<Node> nodes = assignment.nodes(pool.name());
      CheckResult result = check.run(snapshot.withNodes(nodes), context);
      if (gpuStack && result.status() == CheckStatus.WARN && nodes.stream().noneMatch(GpuChecks::looksLikeGpuNode)) {
        List<String> withGpus = cluster.pools().stream().map(NodePool::name)
            .filter(p -> assignment.nodes(p).stream().anyMatch(GpuChecks::looksLikeGpuNode)).toList();
        if (!withGpus.isEmpty()) {
          return CheckResult.skip(id, "pool " + pool.name() + " has no GPU nodes; the cluster's GPUs are in pool "
              + String.join(", ", withGpus));
        }
      }
      return CheckResult.builder().from(result).id(id).build();
    });
  }

  private static String names(List<Node> nodes) {
    String shown = nodes.stream().limit(3).map(n -> n.getMetadata().getName()).collect(Collectors.joining(", "));
    return nodes.size() > 3 ? shown + ", ..." : shown;
  }
}
