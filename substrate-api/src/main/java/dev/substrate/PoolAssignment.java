package dev.substrate;

import io.fabric8.kubernetes.api.model.Node;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which of a cluster's nodes belong to which pool ({@link Substrate#assign(ClusterSnapshot)}). */
public final class PoolAssignment {
  private final Map<String, List<Node>> pools;
  private final Map<String, List<Node>> unpooled;
  private final Map<String, String> evidence;

  PoolAssignment(Map<String, List<Node>> pools, Map<String, List<Node>> unpooled, Map<String, String> evidence) {
    this.pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    this.unpooled = Collections.unmodifiableMap(new LinkedHashMap<>(unpooled));
    this.evidence = Map.copyOf(evidence);
  }

  /** The nodes of pool {@code name}; empty for a pool without nodes or an unknown name. */
  public List<Node> nodes(String name) {
    return pools.getOrDefault(name, List.of());
  }

  /** Nodes that no pool's substrate recognises, by the substrate that does (such as {@code byo}). */
  public Map<String, List<Node>> unpooled() {
    return unpooled;
  }

  /** What was seen of pool {@code name}'s nodes, e.g. {@code 3 nodes: 3 proxmox://}. */
  public String evidence(String name) {
    return evidence.getOrDefault(name, "no nodes");
  }
}
