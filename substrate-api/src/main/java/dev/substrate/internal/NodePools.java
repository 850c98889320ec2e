package dev.substrate.internal;

import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Detection;
import dev.substrate.spi.NodeFingerprint;
import dev.substrate.spi.SubstrateProvider;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sorts a cluster's nodes by the substrate they run on: nodes are grouped by providerID scheme ({@code hcloud://},
 * {@code proxmox://}, none...), and each group goes to the substrate that recognises it best, so that Talos VMs on
 * Hetzner Cloud and Proxmox VMs at home in one cluster read as {@code hetzner + proxmox}.
 */
public final class NodePools {
  /** The label kubeadm, k3s and Talos put on control-plane nodes. */
  static final String CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";

  /** Nodes of one substrate and what was seen of them. */
  public record Group(String substrateId, List<Node> nodes, String evidence) {}

  private NodePools() {}

  /**
   * The nodes by substrate id, the substrate of the control plane first (else the one with the most nodes); a scheme
   * no substrate recognises is left out.
   */
  public static List<Group> bySubstrate(List<Node> nodes, List<SubstrateProvider> providers) {
    Map<String, List<Node>> byScheme = new LinkedHashMap<>();
    for (Node node : nodes) {
      byScheme.computeIfAbsent(scheme(node), k -> new ArrayList<>()).add(node);
    }
    Map<String, List<Node>> bySubstrate = new LinkedHashMap<>();
    for (List<Node> group : byScheme.values()) {
      ClusterSnapshot snapshot = ClusterSnapshot.builder().addObjects(ResourceKind.NODES, group).build();
      Optional<Detection> best = SubstrateDetector.best(snapshot, providers);
      best.ifPresent(d -> bySubstrate.computeIfAbsent(d.substrateId(), k -> new ArrayList<>()).addAll(group));
    }
    List<Group> groups = new ArrayList<>();
    bySubstrate.forEach((id, group) -> groups.add(new Group(id, List.copyOf(group), describe(group))));
    groups.sort(Comparator.comparing((Group g) -> !hasControlPlane(g.nodes()))
        .thenComparing(g -> -g.nodes().size()).thenComparing(Group::substrateId));
    return groups;
  }

  /** E.g. {@code 3 nodes: 3 proxmox://}. */
  public static String describe(List<Node> nodes) {
    return NodeFingerprint.of(ClusterSnapshot.builder().addObjects(ResourceKind.NODES, nodes).build()).describe();
  }

  private static boolean hasControlPlane(List<Node> nodes) {
    return nodes.stream().anyMatch(n -> n.getMetadata().getLabels() != null
        && n.getMetadata().getLabels().containsKey(CONTROL_PLANE_LABEL));
  }

  private static String scheme(Node node) {
    String id = node.getSpec() == null ? null : node.getSpec().getProviderID();
    return id != null && id.contains("://") ? id.substring(0, id.indexOf("://") + 3) : "";
  }
}
