package dev.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GpuCapacityTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final Substrate substrate = Substrates.builder().loader(TestProviders.loader())
      .config(SubstrateConfig.parse("substrate: {id: alpha}")).build();

  private static Node node(String name, Map<String, String> labels, Map<String, String> allocatable) {
    Map<String, Quantity> a = new LinkedHashMap<>();
    a.put("cpu", new Quantity("8"));
    a.put("memory", new Quantity("32Gi"));
    allocatable.forEach((k, v) -> a.put(k, new Quantity(v)));
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().addNewTaint().withKey("nvidia.com/gpu").withValue("present").withEffect("NoSchedule").endTaint()
            .addNewTaint().withKey("only-" + name).withEffect("NoSchedule").endTaint().endSpec()
        .withNewStatus().withAllocatable(a).endStatus().build();
  }

  private static Container gpus(String name, String resource, String requests, String limits) {
    ContainerBuilder c = new ContainerBuilder().withName(name).withNewResources().endResources();
    if (requests != null) {
      c.editResources().addToRequests(resource, new Quantity(requests)).endResources();
    }
    if (limits != null) {
      c.editResources().addToLimits(resource, new Quantity(limits)).endResources();
    }
    return c.build();
  }

  private static Pod pod(String name, String node, String phase, List<Container> init, Container... containers) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("ml").endMetadata()
        .withNewSpec().withNodeName(node).withInitContainers(init).withContainers(containers).endSpec()
        .withNewStatus().withPhase(phase).endStatus().build();
  }

  /** Two GKE-style pools (one time-sliced), and an H200 pool with MIG slices of the mixed strategy. */
  private ClusterSnapshot cluster(List<Pod> pods) {
    List<Object> nodes = List.of(
        node("l4-a", Map.of("cloud.google.com/gke-nodepool", "l4", "cloud.google.com/gke-accelerator", "nvidia-l4"),
            Map.of("nvidia.com/gpu", "2")),
        node("l4-b", Map.of("cloud.google.com/gke-nodepool", "l4", "cloud.google.com/gke-accelerator", "nvidia-l4"),
            Map.of("nvidia.com/gpu", "2")),
        node("t4-a", Map.of("cloud.google.com/gke-nodepool", "shared-t4",
            "cloud.google.com/gke-accelerator", "nvidia-tesla-t4",
            "cloud.google.com/gke-gpu-sharing-strategy", "time-sharing",
            "cloud.google.com/gke-max-shared-clients-per-gpu", "4"), Map.of("nvidia.com/gpu", "4")),
        node("h200-a", Map.of("node.kubernetes.io/instance-type", "h200-box", "nvidia.com/gpu.product", "NVIDIA-H200",
            "nvidia.com/mig-1g.18gb.product", "NVIDIA-H200-MIG-1g.18gb", "nvidia.com/mig-1g.18gb.replicas", "2",
            "nvidia.com/mig-1g.18gb.sharing-strategy", "time-slicing",
            "nvidia.com/mig-3g.71gb.product", "NVIDIA-H200-MIG-3g.71gb"),
            Map.of("nvidia.com/mig-1g.18gb", "8", "nvidia.com/mig-3g.71gb", "1")),
        node("cpu-a", Map.of("cloud.google.com/gke-nodepool", "default-pool"), Map.of()));
    return ClusterSnapshot.builder().addObjects(ResourceKind.NODES, nodes).addObjects(ResourceKind.PODS, pods)
        .apiRequests(2).build();
  }

  @Test
  void pools_count_allocatable_requested_and_free_per_resource_and_product() {
    List<Pod> pods = List.of(
        pod("serve", "l4-a", "Running", List.of(), gpus("main", "nvidia.com/gpu", "1", "1")),
        pod("limits-only", "l4-b", "Running", List.of(), gpus("main", "nvidia.com/gpu", null, "1")),
        pod("starting", "l4-b", "Pending", List.of(), gpus("main", "nvidia.com/gpu", "1", "1")),
        pod("done", "l4-b", "Succeeded", List.of(), gpus("main", "nvidia.com/gpu", "1", "1")),
        pod("failed", "l4-a", "Failed", List.of(), gpus("main", "nvidia.com/gpu", "1", "1")),
        pod("unscheduled", null, "Pending", List.of(), gpus("main", "nvidia.com/gpu", "1", "1")),
        pod("slices", "h200-a", "Running", List.of(), gpus("a", "nvidia.com/mig-1g.18gb", "3", "3"),
            gpus("b", "nvidia.com/mig-1g.18gb", "2", "2")),
        pod("cpu-only", "cpu-a", "Running", List.of(), new ContainerBuilder().withName("c").build()));

    GpuCapacity capacity = GpuCapacity.of(substrate, cluster(pods));

    assertThat(capacity.pools()).extracting(GpuPool::name, GpuPool::groupedBy, GpuPool::nodes).containsExactly(
        org.assertj.core.groups.Tuple.tuple("h200-box", "node.kubernetes.io/instance-type", 1),
        org.assertj.core.groups.Tuple.tuple("l4", "cloud.google.com/gke-nodepool", 2),
        org.assertj.core.groups.Tuple.tuple("shared-t4", "cloud.google.com/gke-nodepool", 1));
    GpuPool h200 = capacity.pools().get(0);
    assertThat(h200.resources()).extracting(GpuResource::resource, GpuResource::model, GpuResource::migProfile,
        GpuResource::sharing, GpuResource::replicas, GpuResource::devices, GpuResource::allocatable,
        GpuResource::requested, GpuResource::free).containsExactly(
        org.assertj.core.groups.Tuple.tuple("nvidia.com/mig-1g.18gb", java.util.Optional.of("H200"),
            java.util.Optional.of("1g.18gb"), "time-slicing", 2, 4L, 8L, 5L, 3L),
        org.assertj.core.groups.Tuple.tuple("nvidia.com/mig-3g.71gb", java.util.Optional.of("H200"),
            java.util.Optional.of("3g.71gb"), "none", 1, 1L, 1L, 0L, 1L));
    GpuResource l4 = capacity.pools().get(1).resources().get(0);
    assertThat(l4.product()).isEqualTo("nvidia-l4");
    assertThat(l4.model()).contains("L4");
    assertThat(l4.allocatable()).isEqualTo(4);
    assertThat(l4.requested()).as("running, limits-only and bound pending pods; not finished or unbound ones")
        .isEqualTo(3);
    assertThat(l4.free()).isEqualTo(1);
    GpuResource t4 = capacity.pools().get(2).resources().get(0);
    assertThat(t4.model()).contains("T4");
    assertThat(t4.sharing()).isEqualTo("time-slicing");
    assertThat(t4.replicas()).isEqualTo(4);
    assertThat(t4.devices()).isEqualTo(1);
    assertThat(capacity.apiRequests()).isEqualTo(2);
  }

  @Test
  void a_pod_requests_the_larger_of_its_containers_and_its_largest_init_container_with_earlier_sidecars() {
    Container sidecar = new ContainerBuilder(gpus("sidecar", "nvidia.com/gpu", "1", "1")).withRestartPolicy("Always")
        .build();
    List<Pod> pods = List.of(
        pod("big-init", "l4-a", "Running", List.of(gpus("warm", "nvidia.com/gpu", "2", "2")),
            gpus("main", "nvidia.com/gpu", "1", "1")),
        pod("with-sidecar", "l4-b", "Running", List.of(sidecar, gpus("warm", "nvidia.com/gpu", "1", "1")),
            gpus("main", "nvidia.com/gpu", "1", "1")));

    GpuResource l4 = GpuCapacity.of(substrate, cluster(pods)).pools().get(1).resources().get(0);

    assertThat(l4.requested()).as("max(1, 2) + (1 sidecar + 1 main, max with 1 init + 1 sidecar)").isEqualTo(4);
    assertThat(l4.free()).isZero();
  }

  @Test
  void text_and_json_show_each_pool_and_resource() throws Exception {
    GpuCapacity capacity = GpuCapacity.of(substrate, cluster(List.of(
        pod("serve", "l4-a", "Running", List.of(), gpus("main", "nvidia.com/gpu", "1", "1")))));

    assertThat(capacity.toText()).startsWith(
        "POOL       NODES  RESOURCE                PRODUCT           SHARING          ALLOCATABLE  REQUESTED  FREE\n"
        + "h200-box       1  nvidia.com/mig-1g.18gb  H200 MIG 1g.18gb  time-slicing x2            8          0     8\n");
    assertThat(capacity.toText()).contains(
        "l4             2  nvidia.com/gpu          L4                -                          4          1     3\n",
        "pools by node.kubernetes.io/instance-type, cloud.google.com/gke-nodepool\n")
        .endsWith("Kubernetes API: 2 requests\n");
    JsonNode json = new ObjectMapper().readTree(capacity.toJson());
    assertThat(json.at("/pools/1/name").asText()).isEqualTo("l4");
    assertThat(json.at("/pools/1/resources/0/free").asInt()).isEqualTo(3);
    assertThat(json.at("/pools/0/resources/0/migProfile").asText()).isEqualTo("1g.18gb");
    assertThat(json.at("/pools/0/growth").asText()).isEqualTo("unknown");
  }

  @Test
  void capacity_needs_nodes_and_pods_read() {
    ClusterSnapshot noPods = ClusterSnapshot.builder().addObjects(ResourceKind.NODES, List.of())
        .unread(ResourceKind.PODS, ClusterSnapshot.ReadState.FORBIDDEN, "may not list pods (403 Forbidden)").build();

    assertThatThrownBy(() -> GpuCapacity.of(substrate, noPods)).isInstanceOf(SubstrateException.class)
        .hasMessage("cannot count GPUs: may not list pods (403 Forbidden)");
  }

  @Test
  void kueue_gets_a_flavor_per_product_and_mig_profile_and_a_queue_quoting_the_capacity(@TempDir Path dir)
      throws Exception {
    Rendering kueue = GpuCapacity.of(substrate, cluster(List.of())).kueue("gpus");

    Map<String, JsonNode> byName = new LinkedHashMap<>();
    for (HasMetadata r : kueue.resources()) {
      byName.put(r.getKind() + "/" + r.getMetadata().getName(), YAML.readTree(
          dev.substrate.internal.ManifestWriter.toYaml(r)));
    }
    assertThat(byName.keySet()).containsExactly("ResourceFlavor/h200-1g.18gb", "ResourceFlavor/h200-3g.71gb",
        "ResourceFlavor/l4", "ResourceFlavor/t4", "ResourceFlavor/default", "ClusterQueue/gpus");
    JsonNode l4 = byName.get("ResourceFlavor/l4");
    assertThat(l4.at("/apiVersion").asText()).isEqualTo("kueue.x-k8s.io/v1beta2");
    assertThat(l4.at("/spec/nodeLabels")).isEqualTo(YAML.readTree("cloud.google.com/gke-accelerator: nvidia-l4"));
    assertThat(l4.at("/spec/tolerations")).as("only the taint both nodes carry").isEqualTo(YAML.readTree(
        "- {key: nvidia.com/gpu, operator: Equal, value: present, effect: NoSchedule}"));
    assertThat(byName.get("ResourceFlavor/h200-1g.18gb").at("/spec/nodeLabels"))
        .isEqualTo(YAML.readTree("nvidia.com/gpu.product: NVIDIA-H200"));
    assertThat(byName.get("ResourceFlavor/default").at("/spec").isEmpty()).isTrue();

    JsonNode queue = byName.get("ClusterQueue/gpus");
    assertThat(queue.at("/spec/namespaceSelector").isObject()).isTrue();
    assertThat(queue.at("/spec/resourceGroups")).isEqualTo(YAML.readTree(String.join("\n",
        "- coveredResources: [cpu, memory]",
        "  flavors: [{name: default, resources: [{name: cpu, nominalQuota: 32000m}, {name: memory, nominalQuota: 131072Mi}]}]",
        "- coveredResources: [nvidia.com/gpu]",
        "  flavors: [{name: l4, resources: [{name: nvidia.com/gpu, nominalQuota: 4}]},",
        "            {name: t4, resources: [{name: nvidia.com/gpu, nominalQuota: 4}]}]",
        "- coveredResources: [nvidia.com/mig-1g.18gb]",
        "  flavors: [{name: h200-1g.18gb, resources: [{name: nvidia.com/mig-1g.18gb, nominalQuota: 8}]}]",
        "- coveredResources: [nvidia.com/mig-3g.71gb]",
        "  flavors: [{name: h200-3g.71gb, resources: [{name: nvidia.com/mig-3g.71gb, nominalQuota: 1}]}]")));
    assertThat(queue.at("/metadata/annotations/substrate.dev~1quota-basis").asText())
        .contains("nvidia.com/gpu of flavor l4: 4 allocatable on 2 nodes of pool l4");

    kueue.writeTo(dir);
    assertThat(Files.readString(dir.resolve("kustomization.yaml"))).contains("- 05-clusterqueue-gpus.yaml");
  }

  @Test
  void kueue_checks_skip_without_kueue_and_flag_flavors_matching_no_node_and_quota_above_capacity() {
    ClusterSnapshot base = cluster(List.of());
    List<Object> nodes = new ArrayList<>(base.list(ResourceKind.NODES, Node.class));
    ClusterSnapshot absent = ClusterSnapshot.builder().addObjects(ResourceKind.NODES, nodes)
        .unread(ResourceKind.RESOURCE_FLAVORS, ClusterSnapshot.ReadState.ABSENT, "not served")
        .unread(ResourceKind.CLUSTER_QUEUES, ClusterSnapshot.ReadState.ABSENT, "not served").build();
    for (dev.substrate.spi.Check check : dev.substrate.spi.checks.KueueChecks.all(true)) {
      CheckResult r = DeclaredReads.run(check, absent);
      assertThat(r.status()).isEqualTo(CheckStatus.SKIP);
      assertThat(r.finding()).startsWith("Kueue is not installed: ");
    }

    List<HasMetadata> rendered = new ArrayList<>(GpuCapacity.of(substrate, base).kueue("gpus").resources());
    ClusterSnapshot fits = ClusterSnapshot.builder().addObjects(ResourceKind.NODES, nodes)
        .addObjects(ResourceKind.RESOURCE_FLAVORS, rendered.stream().filter(r -> r.getKind().equals("ResourceFlavor"))
            .toList())
        .addObjects(ResourceKind.CLUSTER_QUEUES, rendered.stream().filter(r -> r.getKind().equals("ClusterQueue"))
            .toList()).build();
    assertThat(dev.substrate.spi.checks.KueueChecks.all(true)).allSatisfy(check ->
        assertThat(DeclaredReads.run(check, fits).status()).as(DeclaredReads.run(check, fits).finding())
            .isEqualTo(CheckStatus.PASS));

    String flavors = "apiVersion: kueue.x-k8s.io/v1beta2\nkind: ResourceFlavor\nmetadata: {name: a100}\n"
        + "spec: {nodeLabels: {nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB}}\n";
    String queue = "apiVersion: kueue.x-k8s.io/v1beta2\nkind: ClusterQueue\nmetadata: {name: team}\nspec:\n"
        + "  resourceGroups:\n  - coveredResources: [nvidia.com/gpu]\n    flavors:\n"
        + "    - {name: l4, resources: [{name: nvidia.com/gpu, nominalQuota: 6}]}\n";
    ClusterSnapshot wrong = ClusterSnapshot.builder().addObjects(ResourceKind.NODES, nodes)
        .addObjects(ResourceKind.RESOURCE_FLAVORS, List.of(YAML.convertValue(read(flavors), Map.class),
            rendered.get(2)))
        .addObjects(ResourceKind.CLUSTER_QUEUES, List.of(YAML.convertValue(read(queue), Map.class))).build();
    CheckResult flavorsFixed = DeclaredReads.run(dev.substrate.spi.checks.KueueChecks.flavors(true), wrong);
    assertThat(flavorsFixed.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(flavorsFixed.finding()).isEqualTo("1 ResourceFlavor's nodeLabels match no node: a100 "
        + "{nvidia.com/gpu.product=NVIDIA-A100-SXM4-80GB}");
    assertThat(DeclaredReads.run(dev.substrate.spi.checks.KueueChecks.flavors(false), wrong).status())
        .as("a pool scaled to zero has no nodes yet").isEqualTo(CheckStatus.WARN);
    CheckResult quota = DeclaredReads.run(dev.substrate.spi.checks.KueueChecks.quota(false), wrong);
    assertThat(quota.status()).isEqualTo(CheckStatus.WARN);
    assertThat(quota.finding()).isEqualTo("ClusterQueue team quotes 6 nvidia.com/gpu of flavor l4 but its nodes "
        + "allocate 4");
    assertThat(quota.remedy()).hasValueSatisfying(r -> assertThat(r).contains("substrate gpus --kueue DIR"));
  }

  @Test
  void a_snapshot_keeps_of_a_pod_only_what_gpu_accounting_needs(@TempDir Path dir) throws Exception {
    Path dump = dir.resolve("pods.yaml");
    Files.writeString(dump, String.join("\n",
        "apiVersion: v1", "kind: Pod",
        "metadata: {name: vllm, namespace: ml, labels: {app: vllm}, annotations: {note: big}, uid: u-1}",
        "spec:",
        "  nodeName: l4-a",
        "  serviceAccountName: vllm",
        "  initContainers:",
        "  - {name: fetch, image: busybox, restartPolicy: Always, env: [{name: TOKEN, value: not-kept}]}",
        "  containers:",
        "  - name: vllm",
        "    image: vllm/vllm-openai",
        "    args: [--model, x]",
        "    resources: {requests: {nvidia.com/gpu: '1'}, limits: {nvidia.com/gpu: '1'}}",
        "status: {phase: Running, podIP: 10.0.0.1, conditions: [{type: Ready, status: 'True'}]}", ""));

    Pod kept = ClusterSnapshot.fromDump(dump).list(ResourceKind.PODS, Pod.class).get(0);

    assertThat(YAML.readTree(dev.substrate.internal.ManifestWriter.toYaml(kept))).isEqualTo(YAML.readTree(String.join(
        "\n", "apiVersion: v1", "kind: Pod", "metadata: {name: vllm, namespace: ml}",
        "spec:",
        "  nodeName: l4-a",
        "  initContainers: [{name: fetch, restartPolicy: Always}]",
        "  containers: [{name: vllm, resources: {requests: {nvidia.com/gpu: '1'}, limits: {nvidia.com/gpu: '1'}}}]")));
    assertThat(kept.getStatus().getPhase()).isEqualTo("Running");
    assertThat(kept.getStatus().getConditions()).isEmpty();
  }

  private static JsonNode read(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
