package dev.substrate.spi;

import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    // Every provider's detection reads every node: the few schemes seen so far are matched in place, and counted in
    // arrays, so a node costs no string or map entry.
    List<String> seen = new ArrayList<>();
    int[] schemeCounts = new int[4];
    int[] labelCounts = new int[labelKeys.length];
    int count = 0;
    for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
      count++;
      String id = node.getSpec() == null ? null : node.getSpec().getProviderID();
      int end = id == null ? -1 : id.indexOf("://");
      int scheme = end < 0 ? indexOf(seen, NONE, NONE.length()) : indexOf(seen, id, end + 3);
      if (scheme == seen.size()) {
        seen.add(end < 0 ? NONE : id.substring(0, end + 3));
        schemeCounts = seen.size() > schemeCounts.length ? Arrays.copyOf(schemeCounts, seen.size() * 2) : schemeCounts;
      }
      schemeCounts[scheme]++;
      Map<String, String> nodeLabels = node.getMetadata().getLabels();
      for (int i = 0; nodeLabels != null && i < labelKeys.length; i++) {
        if (nodeLabels.containsKey(labelKeys[i])) {
          labelCounts[i]++;
        }
      }
    }
    Map<String, Integer> schemes = new TreeMap<>();
    for (int i = 0; i < seen.size(); i++) {
      schemes.put(seen.get(i), schemeCounts[i]);
    }
    Map<String, Integer> labels = new TreeMap<>();
    for (int i = 0; i < labelKeys.length; i++) {
      if (labelCounts[i] > 0) {
        labels.put(labelKeys[i], labelCounts[i]);
      }
    }
    return new NodeFingerprint(count, schemes, labels);
  }

  private static final String NONE = "(none)";

  /** Where in {@code seen} the first {@code length} characters of {@code text} are; {@code seen.size()} if nowhere. */
  private static int indexOf(List<String> seen, String text, int length) {
    for (int i = 0; i < seen.size(); i++) {
      String s = seen.get(i);
      if (s.length() == length && text.startsWith(s)) {
        return i;
      }
    }
    return seen.size();
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
        .map(e -> e.getValue() + " " + (e.getKey().equals(NONE) ? "without providerID" : e.getKey()))
        .collect(Collectors.joining(", "));
    if (!labels.isEmpty()) {
      s += "; labels: " + labels.entrySet().stream().map(e -> e.getKey() + " on " + e.getValue())
          .collect(Collectors.joining(", "));
    }
    return s;
  }
}
