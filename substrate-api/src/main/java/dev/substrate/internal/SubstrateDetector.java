package dev.substrate.internal;

import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ConfigException;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Check;
import dev.substrate.spi.Detection;
import dev.substrate.spi.SubstrateProvider;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Recognises a substrate from the cluster's nodes, and checks that the chosen one matches them. */
public final class SubstrateDetector {
  public static final String CHECK_ID = "substrate.nodes";

  private SubstrateDetector() {}

  public static Detection detect(KubernetesClient client, List<SubstrateProvider> providers) {
    return detect(ClusterSnapshot.read(client, Set.of(ResourceKind.NODES)), providers);
  }

  /** Recognises the substrate from the nodes in {@code nodes}, a snapshot that holds them. */
  public static Detection detect(ClusterSnapshot nodes, List<SubstrateProvider> providers) {
    if (nodes.state(ResourceKind.NODES) != ClusterSnapshot.ReadState.READ) {
      throw new ConfigException("substrate.id was '' and the substrate cannot be detected: "
          + nodes.problem(ResourceKind.NODES).orElse("nodes were not readable") + "; set substrate.id");
    }
    return best(nodes, providers).orElseThrow(() -> new ConfigException(
        "substrate.id was '' and no substrate recognised this cluster's nodes; set substrate.id"));
  }

  static Optional<Detection> best(ClusterSnapshot nodes, List<SubstrateProvider> providers) {
    return providers.stream()
        .map(p -> p.detect(nodes))
        .flatMap(Optional::stream)
        .max(Comparator.comparingInt(Detection::score).thenComparing(Detection::substrateId));
  }

  /** Checks that the nodes look like {@code substrateId}; another substrate recognising them better is a warning. */
  public static Check check(String substrateId, List<SubstrateProvider> providers) {
    return Check.of(CHECK_ID, Set.of(ResourceKind.NODES), snapshot -> {
      if (snapshot.list(ResourceKind.NODES, Node.class).isEmpty()) {
        return CheckResult.warn(CHECK_ID, "the cluster has no nodes", "join nodes to the cluster");
      }
      Optional<Detection> best = best(snapshot, providers);
      if (best.isEmpty() || best.get().substrateId().equals(substrateId)) {
        return CheckResult.pass(CHECK_ID, "nodes match substrate " + substrateId
            + best.map(d -> ": " + d.evidence()).orElse(""));
      }
      return CheckResult.warn(CHECK_ID, "substrate is " + substrateId + " but the nodes look like "
          + best.get().substrateId() + ": " + best.get().evidence(),
          "set substrate.id: " + best.get().substrateId() + ", or check that the kubeconfig points at the right cluster");
    });
  }
}
