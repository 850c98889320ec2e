package dev.substrate.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeFingerprintTest {
  private static Node node(String providerId, Map<String, String> labels) {
    NodeBuilder node = new NodeBuilder().withNewMetadata().withName("n").withLabels(labels).endMetadata();
    return providerId == null ? node.build() : node.withNewSpec().withProviderID(providerId).endSpec().build();
  }

  @Test
  void countsEachSchemeNodesWithoutOneAndTheNamedLabels() {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      nodes.add(node("hcloud://" + i, Map.of("instance.hetzner.cloud/provided-by", "cloud")));
    }
    nodes.add(node("hrobot://1", Map.of("instance.hetzner.cloud/provided-by", "robot")));
    nodes.add(node("hcloud:/not-a-scheme", Map.of()));
    nodes.add(node(null, Map.of("other", "x")));
    nodes.add(node("gce://p/z/i", Map.of()));
    nodes.add(node("proxmox://r/1", Map.of()));
    nodes.add(node("aws:///eu-west-1a/i-1", Map.of()));
    ClusterSnapshot snapshot = ClusterSnapshot.builder().addObjects(ResourceKind.NODES, nodes).build();

    NodeFingerprint fp = NodeFingerprint.of(snapshot, "instance.hetzner.cloud/provided-by", "absent");

    assertThat(fp.nodes()).isEqualTo(11);
    assertThat(fp.withScheme("hcloud://")).isEqualTo(5);
    assertThat(fp.withScheme("hrobot://")).isEqualTo(1);
    assertThat(fp.withScheme("aws://")).isEqualTo(1);
    assertThat(fp.withScheme("hcloud:/")).isZero();
    assertThat(fp.withLabel("instance.hetzner.cloud/provided-by")).isEqualTo(6);
    assertThat(fp.withLabel("absent")).isZero();
    assertThat(fp.describe()).isEqualTo("11 nodes: 2 without providerID, 1 aws://, 1 gce://, 5 hcloud://, 1 hrobot://, "
        + "1 proxmox://; labels: instance.hetzner.cloud/provided-by on 6");
  }

  @Test
  void anEmptyClusterHasNoSchemesAndNoLabels() {
    NodeFingerprint fp = NodeFingerprint.of(ClusterSnapshot.builder().build(), "a");
    assertThat(fp.nodes()).isZero();
    assertThat(fp.describe()).isEqualTo("0 nodes: ");
  }
}
