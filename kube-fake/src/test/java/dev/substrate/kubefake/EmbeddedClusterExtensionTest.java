package dev.substrate.kubefake;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedClusterExtensionTest {

  @RegisterExtension
  static EmbeddedClusterExtension cluster = EmbeddedClusterExtension.withPreset(ClusterPreset.HETZNER);

  @Test
  void resolves_the_cluster_and_its_client(EmbeddedCluster embedded, KubernetesClient client) {
    assertThat(embedded).isSameAs(cluster.cluster());
    assertThat(client).isSameAs(embedded.client());
    assertThat(embedded.preset()).isEqualTo(ClusterPreset.HETZNER);
    assertThat(client.nodes().list().getItems()).hasSize(4);
  }

  @Nested
  class NestedTests {

    @Test
    void share_the_outer_cluster(EmbeddedCluster embedded) {
      assertThat(embedded).isSameAs(cluster.cluster());
    }
  }
}
