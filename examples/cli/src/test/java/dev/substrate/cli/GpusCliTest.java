package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import dev.substrate.kubefake.MinimalCrds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code substrate gpus}: capacity per pool on the presets, the requests it costs, and Kueue quota that validates. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GpusCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path tmp;

  @Test
  void on_gke_the_gpu_pool_holds_one_l4_used_by_the_vllm_pod_and_autoscales() {
    Cli.Result r = Cli.run("gpus", "--embedded", "gke");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).as(r.toString()).isEqualTo(String.join("\n",
        "POOL      NODES  RESOURCE        PRODUCT  SHARING  ALLOCATABLE  REQUESTED  FREE",
        "gpu-pool      1  nvidia.com/gpu  L4       -                  1          1     0",
        "pools by cloud.google.com/gke-nodepool",
        "gpu-pool: can grow: up to the autoscaling maximum set on the node pool (not visible in the cluster); GKE's "
            + "GPU node pools autoscale down to zero nodes and back up when a pod requests nvidia.com/gpu",
        "Kubernetes API: 2 requests", ""));
  }

  @Test
  void on_hetzner_the_robot_servers_are_pools_by_server_type_and_fixed() {
    Cli.Result r = Cli.run("gpus", "--embedded", "hetzner");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).as(r.toString()).isEqualTo(String.join("\n",
        "POOL   NODES  RESOURCE        PRODUCT           SHARING  ALLOCATABLE  REQUESTED  FREE",
        "GEX44      1  nvidia.com/gpu  RTX 4000 SFF Ada  -                  1          1     0",
        "pools by node.kubernetes.io/instance-type",
        "GEX44: fixed: Hetzner's GPU servers are dedicated Robot machines (GEX44, GEX45, GEX130, GEX131): bare metal, "
            + "provisioned in days and paid 24/7, so no autoscaler adds or removes GPU nodes",
        "Kubernetes API: 2 requests", ""));
  }

  @Test
  void a_larger_cluster_lists_pods_once_in_pages_of_500_and_counts_only_unfinished_pods_bound_to_gpu_nodes()
      throws IOException {
    List<HasMetadata> extra = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      extra.add(pod("web-" + i, "k3s-agent-cpx41-fsn1-" + "0001", "Running", "cpu", "100m"));
    }
    extra.add(pod("finished-training", "gex44-02", "Succeeded", "nvidia.com/gpu", "1"));
    extra.add(pod("failed-training", "gex130-01", "Failed", "nvidia.com/gpu", "1"));
    extra.add(pod("unscheduled", null, "Pending", "nvidia.com/gpu", "1"));
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER).nodes(16)
        .objects(extra.toArray(new HasMetadata[0])).start()) {
      String kubeconfig = cluster.writeKubeconfig(tmp.resolve("kubeconfig")).toString();
      cluster.resetJournal();

      Cli.Result r = Cli.run("gpus", "--kubeconfig", kubeconfig, "-o", "json");

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(cluster.listRequests("pods")).as("601+ pods: two pages, listed once").isEqualTo(2);
      assertThat(cluster.listRequests("nodes")).as("the nodes the substrate is detected from, listed once")
          .isEqualTo(1);
      JsonNode json = JSON.readTree(r.out());
      assertThat(json.path("apiRequests").asInt()).as("the probe, the nodes, two pages of pods")
          .isEqualTo(cluster.requestCount()).isEqualTo(4);
      assertThat(json.path("substrate").asText()).isEqualTo("hetzner");
      JsonNode gex130 = json.at("/pools/0");
      JsonNode gex44 = json.at("/pools/1");
      assertThat(gex130.path("name").asText()).isEqualTo("GEX130");
      assertThat(gex130.path("groupedBy").asText()).isEqualTo("node.kubernetes.io/instance-type");
      assertThat(gex130.path("growth").asText()).isEqualTo("fixed");
      assertThat(gex130.at("/resources/0/model").asText()).isEqualTo("RTX 6000 Ada");
      assertThat(gex130.at("/resources/0/product").asText()).isEqualTo("NVIDIA-RTX-6000-Ada-Generation");
      assertThat(List.of(gex130.at("/resources/0/allocatable").asInt(), gex130.at("/resources/0/requested").asInt(),
          gex130.at("/resources/0/free").asInt())).containsExactly(1, 0, 1);
      assertThat(gex44.path("nodes").asInt()).isEqualTo(3);
      assertThat(List.of(gex44.at("/resources/0/allocatable").asInt(), gex44.at("/resources/0/requested").asInt(),
          gex44.at("/resources/0/free").asInt())).as("vLLM on gex44-01 and gex44-03").containsExactly(3, 2, 1);
    }
  }

  @Test
  void kueue_quota_on_hetzner_validates_against_kueues_crds_and_doctor_passes_it_then_flags_too_much()
      throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER).nodes(16).start()) {
      String kubeconfig = cluster.writeKubeconfig(tmp.resolve("kubeconfig")).toString();
      Path dir = tmp.resolve("kueue");

      Cli.Result r = Cli.run("gpus", "--kubeconfig", kubeconfig, "--kueue", dir.toString());

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.err()).contains("wrote 4 Kueue resources to " + dir);
      assertThat(Files.readString(dir.resolve("kustomization.yaml"))).isEqualTo(String.join("\n",
          "apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", "resources:",
          "- 00-resourceflavor-rtx-4000-sff-ada.yaml", "- 01-resourceflavor-rtx-6000-ada.yaml",
          "- 02-resourceflavor-default.yaml", "- 03-clusterqueue-gpus.yaml", ""));
      JsonNode flavor = YAML.readTree(dir.resolve("01-resourceflavor-rtx-6000-ada.yaml").toFile());
      assertThat(flavor.at("/spec/nodeLabels")).isEqualTo(YAML.readTree(
          "nvidia.com/gpu.product: NVIDIA-RTX-6000-Ada-Generation"));
      JsonNode queue = YAML.readTree(dir.resolve("03-clusterqueue-gpus.yaml").toFile());
      assertThat(queue.at("/spec/resourceGroups/1")).isEqualTo(YAML.readTree(String.join("\n",
          "coveredResources: [nvidia.com/gpu]",
          "flavors:",
          "- {name: rtx-4000-sff-ada, resources: [{name: nvidia.com/gpu, nominalQuota: 3}]}",
          "- {name: rtx-6000-ada, resources: [{name: nvidia.com/gpu, nominalQuota: 1}]}")));
      validate(dir);

      // Kueue installed, with the rendered quota: doctor passes it; then a queue quoting more than the servers hold.
      cluster.client().resource(MinimalCrds.of("kueue.x-k8s.io", "v1beta2", "ResourceFlavor", "resourceflavors",
          false)).create();
      cluster.client().resource(MinimalCrds.of("kueue.x-k8s.io", "v1beta2", "ClusterQueue", "clusterqueues", false))
          .create();
      for (String file : List.of("00-resourceflavor-rtx-4000-sff-ada.yaml", "01-resourceflavor-rtx-6000-ada.yaml",
          "02-resourceflavor-default.yaml", "03-clusterqueue-gpus.yaml")) {
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
          cluster.client().resource(Serialization.unmarshal(in, GenericKubernetesResource.class)).create();
        }
      }
      Cli.Result passing = Cli.run("doctor", "--kubeconfig", kubeconfig, "--substrate", "hetzner");
      assertThat(passing.out()).as(passing.toString())
          .containsPattern("PASS  gpu\\.kueue\\.flavors +3 ResourceFlavors select nodes")
          .containsPattern("PASS  gpu\\.kueue\\.quota +the nominal quota of 1 ClusterQueue \\(4 quotas\\) fits the "
              + "nodes' capacity");

      GenericKubernetesResource greedy = Serialization.unmarshal(String.join("\n",
          "apiVersion: kueue.x-k8s.io/v1beta2", "kind: ClusterQueue", "metadata: {name: greedy}", "spec:",
          "  resourceGroups:", "  - coveredResources: [nvidia.com/gpu]", "    flavors:",
          "    - {name: rtx-6000-ada, resources: [{name: nvidia.com/gpu, nominalQuota: 4}]}"),
          GenericKubernetesResource.class);
      cluster.client().resource(greedy).create();
      Cli.Result failing = Cli.run("doctor", "--kubeconfig", kubeconfig, "--substrate", "hetzner");
      assertThat(failing.code()).isEqualTo(1);
      assertThat(failing.out()).as(failing.toString())
          .containsPattern("FAIL  gpu\\.kueue\\.quota +ClusterQueue greedy quotes 4 nvidia\\.com/gpu of flavor "
              + "rtx-6000-ada but its nodes allocate 1")
          .contains("→ lower nominalQuota to the capacity: Kueue would admit workloads that then stay Pending");
    }
  }

  @Test
  void on_gke_a_known_autoscaling_maximum_becomes_the_quota_and_the_flavor_tolerates_the_gpu_taint()
      throws Exception {
    Path dir = tmp.resolve("kueue");

    Cli.Result r = Cli.run("gpus", "--embedded", "gke", "--kueue", dir.toString(), "--max-nodes", "gpu-pool=4",
        "--cluster-queue", "team-a", "-o", "yaml");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(YAML.readTree(r.out()).at("/pools/0/maxNodes").asInt()).isEqualTo(4);
    JsonNode flavor = YAML.readTree(dir.resolve("00-resourceflavor-l4.yaml").toFile());
    assertThat(flavor.at("/spec")).isEqualTo(YAML.readTree(String.join("\n",
        "nodeLabels: {cloud.google.com/gke-accelerator: nvidia-l4}",
        "tolerations: [{key: nvidia.com/gpu, operator: Equal, value: present, effect: NoSchedule}]")));
    JsonNode queue = YAML.readTree(dir.resolve("02-clusterqueue-team-a.yaml").toFile());
    assertThat(queue.at("/spec/resourceGroups/1/flavors/0/resources/0/nominalQuota").asInt()).isEqualTo(4);
    assertThat(queue.at("/metadata/annotations").path("substrate.dev/quota-basis").asText())
        .contains("nvidia.com/gpu of flavor l4: 1 allocatable on 1 node of pool gpu-pool, which autoscales to 4 "
            + "nodes: quota 4");
    validate(dir);
  }

  @Test
  void kueue_files_follow_renders_safe_write_rules() throws IOException {
    Path dir = tmp.resolve("kueue");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("00-resourceflavor-l4.yaml"), "mine\n");

    Cli.Result r = Cli.run("gpus", "--embedded", "gke", "--kueue", dir.toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.errors()).singleElement().asString().contains("00-resourceflavor-l4.yaml");
    assertThat(Files.readString(dir.resolve("00-resourceflavor-l4.yaml"))).isEqualTo("mine\n");
  }

  @Test
  void a_cluster_queue_name_without_kueue_is_a_usage_error() {
    Cli.Result r = Cli.run("gpus", "--embedded", "gke", "--cluster-queue", "x");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errors()).containsExactly("substrate: --cluster-queue names the ClusterQueue --kueue DIR writes: "
        + "pass --kueue DIR too");
  }

  private static Pod pod(String name, String node, String phase, String resource, String amount) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("main").withImage("registry.example/app:1")
            .withNewResources().addToRequests(resource, new Quantity(amount))
            .addToLimits(resource, new Quantity(amount)).endResources().endContainer().endSpec()
        .withNewStatus().withPhase(phase).endStatus().build();
  }

  /** Validates against the shared CRDs and Kueue's (test resources, kubernetes-sigs/kueue v0.19.2). */
  private void validate(Path dir) throws IOException, InterruptedException {
    long resources;
    try (var files = Files.list(dir)) {
      resources = files.filter(f -> f.getFileName().toString().matches("\\d\\d-.*\\.yaml")).count();
    }
    assertThat(ManifestValidator.validate(dir, tmp, "crds/kueue"))
        .as("every rendered resource is a Kueue resource, and each was checked")
        .contains("validate-manifests: " + resources + " custom resources checked");
  }
}
