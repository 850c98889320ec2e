package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster on two substrates, as the embedded {@code hybrid} preset has it: Talos on Hetzner Cloud VMs (the cluster's
 * own substrate) and Proxmox VMs at home (pool {@code home}, one with an L4), Vault behind ESO.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PoolsCliTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String HYBRID = Path.of("../../examples/config/hybrid.yaml").toAbsolutePath().normalize()
      .toString();
  private static final String GPU_POD = String.join("\n",
      "apiVersion: v1", "kind: Pod", "metadata: {name: vllm}", "spec:", "  containers:", "  - name: vllm",
      "    image: vllm/vllm-openai", "    resources: {limits: {nvidia.com/gpu: 1}}", "");

  @TempDir Path tmp;

  @Test
  void pools_names_each_pools_substrate_gpu_stack_storage_and_gpus_and_what_it_saw() {
    Cli.Result r = Cli.run("pools", "--embedded", "hybrid");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).as(r.toString()).isEqualTo(String.join("\n",
        "cluster hetzner + proxmox (home)",
        "POOL       SUBSTRATE  NODES  GPU STACK    STORAGE          GPUS  RWX          GPU SCALE-0 ",
        "hetzner    hetzner        2  talos        hcloud-volumes      0  UNSUPPORTED  UNSUPPORTED ",
        "home       proxmox        2  talos        proxmox-csi         1  UNSUPPORTED  NEEDS_ACTION",
        "hetzner: 2 nodes: 2 hcloud://",
        "home: 2 nodes: 2 proxmox://", ""));
  }

  @Test
  void a_gpu_pod_fits_the_pool_with_the_gpu_and_a_shared_volume_fits_no_pool() throws IOException {
    Path gpu = Files.writeString(tmp.resolve("vllm.yaml"), GPU_POD);
    Path shared = Files.writeString(tmp.resolve("shared.yaml"), GPU_POD
        + "    volumeMounts: [{name: weights, mountPath: /models}]\n"
        + "  volumes: [{name: weights, persistentVolumeClaim: {claimName: weights}}]\n"
        + "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: weights}\n"
        + "spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 100Gi}}}\n");

    Cli.Result alone = Cli.run("pools", "--embedded", "hybrid", "--pod", gpu.toString(), "-o", "yaml");
    Cli.Result withVolume = Cli.run("pools", "--embedded", "hybrid", "--pod", shared.toString(), "-o", "yaml");

    assertThat(alone.code()).as(alone.toString()).isZero();
    JsonNode placement = YAML.readTree(alone.out()).path("placement");
    assertThat(placement.path("pod").asText()).isEqualTo("vllm");
    assertThat(placement.at("/pools/0/pool").asText()).isEqualTo("hetzner");
    assertThat(placement.at("/pools/0/fits").asBoolean()).isFalse();
    assertThat(placement.at("/pools/0/reason").asText())
        .startsWith("no node in the pool has 1 nvidia.com/gpu allocatable, and it cannot add GPU nodes");
    assertThat(placement.at("/pools/1/pool").asText()).isEqualTo("home");
    assertThat(placement.at("/pools/1/fits").asBoolean()).isTrue();
    assertThat(placement.at("/pools/1/reason").asText()).isEqualTo("pve-gpu-1 has nvidia.com/gpu 1");

    assertThat(withVolume.code()).as(withVolume.toString()).isZero();
    JsonNode home = YAML.readTree(withVolume.out()).at("/placement/pools/1");
    assertThat(home.path("fits").asBoolean()).isFalse();
    assertThat(home.path("reason").asText())
        .startsWith("volume weights needs ReadWriteMany, which proxmox-csi does not serve");
  }

  @Test
  void a_pod_file_with_two_pods_is_a_usage_error_that_names_the_file() throws IOException {
    Path twice = Files.writeString(tmp.resolve("two.yaml"), GPU_POD + "---\n" + GPU_POD);

    Cli.Result r = Cli.run("pools", "--embedded", "hybrid", "--pod", twice.toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.errors()).containsExactly(
        "substrate: pod file " + twice + " holds more than one Pod; --pod places one");
    assertThat(r.err()).doesNotContain("starting an embedded");
  }

  @Test
  void nodes_of_a_substrate_no_pool_runs_on_are_named_with_the_pool_to_add() throws IOException {
    Path config = Files.writeString(tmp.resolve("config.yaml"), String.join("\n",
        "substrate: {id: hetzner}", "gpu_stack: talos", "secret_backend: kubernetes", ""));

    Cli.Result r = Cli.run("pools", "--embedded", "hybrid", "-c", config.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).as(r.toString()).startsWith("cluster hetzner\n")
        .contains("hetzner: 2 nodes: 2 hcloud://\n")
        .endsWith("2 nodes look like proxmox, which no pool runs on: add substrate.pools.proxmox: "
            + "{substrate: proxmox}\n");
  }

  @Test
  void doctor_checks_each_pool_on_its_own_nodes_and_passes() {
    Cli.Result r = Cli.run("doctor", "--embedded", "hybrid", "--fail-on", "warn");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).as(r.toString())
        .contains("PASS  substrate.pools                           every node is in a pool: hetzner: 2 nodes: "
            + "2 hcloud://; home (proxmox): 2 nodes: 2 proxmox://")
        .contains("SKIP  hetzner/gpu.nodes-advertise               pool hetzner has no GPU nodes; the cluster's GPUs "
            + "are in pool home")
        .contains("PASS  home/gpu.nodes-advertise                  1 GPU node advertises 1 allocatable GPU in total")
        .contains("PASS  home/gpu.operator.talos-nodes             1 Talos GPU node (v1.13.9)")
        .contains("PASS  home/storage.proxmox.csi-driver")
        .contains("PASS  home/storage.proxmox.topology")
        .contains("PASS  hetzner/storage.default-class             the default StorageClass is hcloud-volumes")
        .contains("PASS  eso.store-ready                           ClusterSecretStore secret-store is Ready")
        .doesNotContain("home/storage.default-class")
        .doesNotContain("home/gpu.operator.cluster-policy")
        .contains(" 0 failed / 0 warnings");
  }

  @Test
  void doctor_json_names_the_cluster_by_its_pools() throws IOException {
    Cli.Result r = Cli.run("doctor", "--embedded", "hybrid", "-o", "json");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(new ObjectMapper().readTree(r.out()).path("substrate").asText())
        .isEqualTo("hetzner + proxmox (home)");
  }

  @Test
  void diff_between_two_pools_lists_what_changes_from_the_cloud_vms_to_the_proxmox_vms() {
    Cli.Result r = Cli.run("diff", "hetzner", "home", "-c", HYBRID);

    assertThat(r.code()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).startsWith("providers (hetzner → proxmox):", "  storage  hcloud-volumes → proxmox-csi",
        "capabilities (hetzner → proxmox):");
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  gpu.pci-passthrough    (none) → NEEDS_ACTION"))
        .anySatisfy(l -> assertThat(l).startsWith("  storage.node-failover  (none) → UNSUPPORTED"))
        .anySatisfy(l -> assertThat(l).startsWith("  gpu.scale-to-zero      UNSUPPORTED → NEEDS_ACTION"))
        .endsWith("resources:", "  + storageclass proxmox-csi");
  }

  @Test
  void diff_with_a_name_that_is_neither_pool_nor_substrate_names_both() {
    Cli.Result r = Cli.run("diff", "hetzner", "garage", "-c", HYBRID);

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.errors()).containsExactly("substrate: 'garage' is neither a pool of the config (hetzner, home) nor a "
        + "substrate (aws, byo, gke, hetzner, proxmox)");
  }

  @Test
  void secrets_seed_uses_the_presets_vault_and_without_a_vault_token_says_so_in_one_line() throws IOException {
    Assumptions.assumeTrue(System.getenv("VAULT_TOKEN") == null, "VAULT_TOKEN is set: seeding would try Vault");
    Path secrets = Files.writeString(tmp.resolve("secrets.yaml"), "hf-token: s3cr3t-value\n");

    Cli.Result r = Cli.run("secrets", "seed", "--from", secrets.toString(), "--embedded", "hybrid");

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("no -c FILE: using the config the embedded hybrid cluster was made for");
    assertThat(r.errors()).singleElement().asString().startsWith("substrate: vault.token_env was 'VAULT_TOKEN'");
    assertThat(r.out() + r.err()).doesNotContain("s3cr3t-value");
  }

  @Test
  void capabilities_show_each_other_pools_gpu_stack_and_storage() {
    Cli.Result r = Cli.run("capabilities", "--embedded", "hybrid");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).as(r.toString()).startsWith("substrate hetzner + proxmox (home)\n")
        .contains("pool home (proxmox): its own GPU stack and storage (the cluster's default StorageClass stays the "
            + "hetzner pool's)");
    String home = r.out().substring(r.out().indexOf("pool home"));
    assertThat(home).contains("storage: proxmox-csi").contains("storage.rwx").contains("gpu.pci-passthrough")
        .as("the pool's class is not the default").doesNotContain("storage.default-class");
  }

  @Test
  void render_adds_the_home_pools_storage_class_not_as_default_and_the_talos_gpu_operator_and_validates()
      throws Exception {
    Path dir = tmp.resolve("layer");

    Cli.Result r = Cli.run("render", "--embedded", "hybrid", "-o", dir.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode proxmox = null;
    JsonNode operator = null;
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        JsonNode doc = YAML.readTree(f.toFile());
        if (doc.path("kind").asText().equals("StorageClass")
            && doc.at("/metadata/name").asText().equals("proxmox-csi")) {
          proxmox = doc;
        }
        if (doc.at("/metadata/name").asText().equals("gpu-operator") && doc.has("spec")) {
          operator = doc;
        }
      }
    }
    assertThat(proxmox).as("the home pool's StorageClass").isNotNull();
    assertThat(proxmox.path("provisioner").asText()).isEqualTo("csi.proxmox.sinextra.dev");
    assertThat(proxmox.at("/parameters/storage").asText()).isEqualTo("local-lvm");
    assertThat(proxmox.at("/metadata/annotations").path("storageclass.kubernetes.io/is-default-class").isMissingNode())
        .as("hcloud-volumes stays the default").isTrue();
    assertThat(operator).as("the GPU Operator").isNotNull();
    String values = operator.toString();
    assertThat(values).contains("\"driver\":{\"enabled\":false}").contains("\"toolkit\":{\"enabled\":false}")
        .as("the operator creates the RuntimeClass nvidia, the handler of Talos's toolkit extension")
        .contains("\"operator\":{\"runtimeClass\":\"nvidia\"}");
    ManifestValidator.validate(dir, tmp);
  }
}
