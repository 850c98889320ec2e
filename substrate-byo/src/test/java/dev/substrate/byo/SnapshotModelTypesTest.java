package dev.substrate.byo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Built-in kinds are parsed once, straight into their model types: what checks read equals what the earlier path
 * (generic objects, then converted to the model type) gave, field for field.
 */
class SnapshotModelTypesTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Set<ResourceKind> KINDS =
      Set.of(ResourceKind.NODES, ResourceKind.SERVICES, ResourceKind.STORAGE_CLASSES);

  @TempDir Path dir;

  /** The earlier path: every page listed as generic objects without managedFields, then converted. */
  private static <T> List<T> viaGeneric(KubernetesClient client, String apiVersion, String kind, Class<T> type) {
    List<T> out = new ArrayList<>();
    String token = null;
    do {
      GenericKubernetesResourceList page = client.genericKubernetesResources(apiVersion, kind).inAnyNamespace()
          .list(new ListOptionsBuilder().withLimit(500L).withContinue(token).build());
      for (GenericKubernetesResource item : page.getItems()) {
        item.getMetadata().setManagedFields(null);
        out.add(type == GenericKubernetesResource.class ? type.cast(item) : SERIALIZATION.convertValue(item, type));
      }
      token = page.getMetadata().getContinue();
    } while (token != null && !token.isEmpty());
    return out;
  }

  private static Node gpuNode(List<Node> nodes) {
    return nodes.stream().filter(n -> n.getStatus().getAllocatable().containsKey("nvidia.com/gpu")
        && n.getSpec().getTaints() != null && !n.getSpec().getTaints().isEmpty()).findFirst().orElseThrow();
  }

  @Test
  void listedNodesEqualTheGenericPathsFieldForField() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.GKE).nodes(600).start()) {
      ClusterSnapshot snapshot = ClusterSnapshot.read(cluster.client(), KINDS);
      List<Node> nodes = snapshot.list(ResourceKind.NODES, Node.class);
      List<Node> before = viaGeneric(cluster.client(), "v1", "Node", Node.class);

      assertThat(nodes).hasSize(600).isEqualTo(before);
      Node gpu = gpuNode(nodes);
      Node old = before.stream().filter(n -> n.getMetadata().getName().equals(gpu.getMetadata().getName()))
          .findFirst().orElseThrow();
      assertThat(gpu.getMetadata().getLabels()).isNotEmpty().isEqualTo(old.getMetadata().getLabels());
      assertThat(gpu.getStatus().getAllocatable()).isEqualTo(old.getStatus().getAllocatable());
      assertThat(gpu.getStatus().getAllocatable().get("nvidia.com/gpu").getAmount()).isNotBlank();
      assertThat(gpu.getSpec().getTaints()).isEqualTo(old.getSpec().getTaints());
      assertThat(gpu.getSpec().getProviderID()).startsWith("gce://").isEqualTo(old.getSpec().getProviderID());
      assertThat(gpu.getStatus().getNodeInfo()).isEqualTo(old.getStatus().getNodeInfo());
      assertThat(gpu.getStatus().getNodeInfo().getKubeletVersion()).isNotBlank();
      assertThat(gpu.getMetadata().getManagedFields()).isEmpty();

      assertThat(snapshot.list(ResourceKind.SERVICES, Service.class))
          .isNotEmpty().isEqualTo(viaGeneric(cluster.client(), "v1", "Service", Service.class));
      assertThat(snapshot.list(ResourceKind.STORAGE_CLASSES, StorageClass.class)).isNotEmpty()
          .isEqualTo(viaGeneric(cluster.client(), "storage.k8s.io/v1", "StorageClass", StorageClass.class));
    }
  }

  @Test
  void nodesOfOneReadShareTheTextTheyRepeat() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.GKE).nodes(600).start()) {
      List<Node> nodes = ClusterSnapshot.read(cluster.client(), KINDS).list(ResourceKind.NODES, Node.class);
      Node first = nodes.get(0);
      Node last = nodes.get(nodes.size() - 1);
      assertThat(last.getMetadata().getLabels().get("kubernetes.io/arch"))
          .isEqualTo("amd64").isSameAs(first.getMetadata().getLabels().get("kubernetes.io/arch"));
      assertThat(last.getStatus().getNodeInfo().getKernelVersion())
          .isSameAs(first.getStatus().getNodeInfo().getKernelVersion());
      assertThat(last.getStatus().getConditions().get(0).getMessage())
          .isSameAs(first.getStatus().getConditions().get(0).getMessage());
      assertThat(last.getStatus().getAllocatable().get("pods").getAmount())
          .isSameAs(first.getStatus().getAllocatable().get("pods").getAmount());
      assertThat(last.getMetadata().getName()).isNotEqualTo(first.getMetadata().getName());
    }
  }

  @Test
  void theGenericViewOfAModelTypedKindEqualsWhatTheServerSent() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER).nodes(30).start()) {
      ClusterSnapshot snapshot = ClusterSnapshot.read(cluster.client(), KINDS);
      // Converted from the model type, the dropped managedFields read as an empty list rather than null.
      assertThat(snapshot.list(ResourceKind.NODES)).hasSize(30)
          .usingRecursiveFieldByFieldElementComparatorIgnoringFields("metadata.managedFields")
          .isEqualTo(viaGeneric(cluster.client(), "v1", "Node", GenericKubernetesResource.class));
      assertThat(snapshot.list(ResourceKind.STORAGE_CLASSES)).isNotEmpty()
          .usingRecursiveFieldByFieldElementComparatorIgnoringFields("metadata.managedFields")
          .isEqualTo(viaGeneric(cluster.client(), "storage.k8s.io/v1", "StorageClass",
              GenericKubernetesResource.class));
    }
  }

  @Test
  void aDumpsNodesEqualTheListedOnes() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.GKE).nodes(20).start()) {
      List<Node> listed = ClusterSnapshot.read(cluster.client(), KINDS).list(ResourceKind.NODES, Node.class);
      Path dump = dir.resolve("nodes.json");
      Files.writeString(dump, SERIALIZATION.asJson(cluster.client().nodes().list()));

      List<Node> dumped = ClusterSnapshot.fromDump(dump).list(ResourceKind.NODES, Node.class);
      assertThat(dumped).isEqualTo(listed);
      assertThat(gpuNode(dumped).getStatus().getNodeInfo().getOsImage()).isNotBlank();
      assertThat(dumped.get(dumped.size() - 1).getStatus().getNodeInfo().getOsImage())
          .isSameAs(dumped.get(0).getStatus().getNodeInfo().getOsImage());
    }
  }

  @Test
  void modelObjectsAddedByHandAreKeptNotCopied() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.GKE).nodes(3).start()) {
      List<Node> nodes = cluster.client().nodes().list().getItems();
      ClusterSnapshot snapshot = ClusterSnapshot.builder().addObjects(ResourceKind.NODES, nodes).build();
      List<Node> read = snapshot.list(ResourceKind.NODES, Node.class);
      assertThat(read).hasSize(nodes.size());
      for (int i = 0; i < nodes.size(); i++) {
        assertThat(read.get(i)).isSameAs(nodes.get(i));
      }
      assertThat(snapshot.list(ResourceKind.NODES, Node.class)).isSameAs(read);
    }
  }
}
