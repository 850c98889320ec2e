package dev.substrate.spi;

import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a cluster's nodes say about where they run: how many carry each providerID scheme ({@code gce://},
 * {@code hcloud://}, {@code hrobot://}, ...) and each label of interest. Substrate detection reads this.
 */
public final class NodeFingerprint {
  private final int nodes;
  private final Map<String, Integer> schemes;
  private final Map<String, Integer> labels;

  private NodeFingerprint(int nodes, Map<String, Integer> schemes, Map<String, Integer> labels) {
    this.nodes = nodes;
    this.schemes = schemes;
    this.labels = labels;
  }

  /** Counts providerID schemes and how many nodes carry each of {@code labelKeys}. */
  public static NodeFingerprint of(ClusterSnapshot snapshot, String... labelKeys) {
    Map<String, Integer> schemes = new TreeMap<>();
    Map<String, Integer> labels = new TreeMap<>();
    int count = 0;
    for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
      count++;
      String id = node.getSpec() == null ? null : node.getSpec().getProviderID();
      String scheme = id != null && id.contains("://") ? id.substring(0, id.indexOf("://") + 3) : "(none)";
      schemes.merge(scheme, 1, Integer::sum);
      Map<String, String> nodeLabels = node.getMetadata().getLabels();
      for (String key : labelKeys) {
        if (nodeLabels != null && nodeLabels.containsKey(key)) {
          labels.merge(key, 1, Integer::sum);
        }
      }
    }
    return new NodeFingerprint(count, schemes, labels);
  }

  public int nodes() {
    return nodes;
  }

  /** Nodes whose providerID starts with {@code scheme}, e.g. {@code hcloud://}. */
  public int withScheme(String scheme) {
    return schemes.getOrDefault(scheme, 0);
  }

  /** Nodes carrying label {@code key} (one of the keys passed to {@link #of}). */
  public int withLabel(String key) {
    return labels.getOrDefault(key, 0);
  }

  /** E.g. {@code 12 nodes: 8 hcloud://, 4 hrobot://; labels: instance.hetzner.cloud/provided-by on 12}. */
  public String describe() {
    String s = nodes + (nodes == 1 ? " node: " : " nodes: ") + schemes.entrySet().stream()
        .map(e -> e.getValue() + " " + (e.getKey().equals("(none)") ? "without providerID" : e.getKey()))
        .collect(Collectors.joining(", "));
    if (!labels.isEmpty()) {
      s += "; labels: " + labels.entrySet().stream().map(e -> e.getKey() + " on " + e.getValue())
          .collect(Collectors.joining(", "));
    }
    return s;
  }
}
