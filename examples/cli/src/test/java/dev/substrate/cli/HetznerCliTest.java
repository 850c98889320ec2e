package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.cloudfakes.hetzner.FakeHetznerCloud;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The substrate command on Hetzner: the embedded Hetzner cluster is a working platform cluster. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HetznerCliTest {
  private static final String HETZNER = "substrate: {id: hetzner}\n"
      + "cluster: {name: llm-prod, projectID: acme-ml, location: europe-west4}\n"
      + "gpu: {tenancy: {mode: time-slicing, replicas: 2, models: [{name: llama-8b, vram_gib: 9}, "
      + "{name: embed, vram_gib: 3}]}, operator: {driver: {precompiled: true}}}\n"
      + "load_balancer: {location: fsn1}\n"
      + "wif:\n"
      + "  audience: //iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/llm-prod/providers/k3s-oidc\n"
      + "  service_account_email: external-secrets@acme-ml.iam.gserviceaccount.com\n";

  @TempDir Path tmp;

  /**
   * The config, with {@code wif.published_jwks} naming the JWKS the pool provider was given: k3s's issuer is private,
   * so it was uploaded (every embedded cluster starts with the testkit's committed signing key).
   */
  private String config(String yaml) throws IOException {
    Path jwks = Files.writeString(tmp.resolve("jwks.json"),
        dev.substrate.kubefake.OidcIssuer.create("https://kubernetes.default.svc.cluster.local").jwksJson());
    return Files.writeString(tmp.resolve("config.yaml"), yaml.replace("wif:\n", "wif:\n  published_jwks: " + jwks
        + "\n")).toString();
  }

  @Test
  void doctor_passes_on_an_embedded_hetzner_cluster_in_cost() throws IOException {
    Cli.Result r = Cli.run("doctor", "--embedded", "hetzner", "-c", config("profile: cost\n" + HETZNER));

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out().lines()).as(r.toString()).noneMatch(l -> l.startsWith("FAIL"));
    assertThat(r.out()).contains("PASS  gpu.tenancy.fit").contains("PASS  lb.hcloud.default-location")
        .contains("PASS  lb.hcloud.robot").contains("PASS  storage.hcloud.robot-nodes")
        .containsPattern("\\d+ passed / 0 failed / 0 warnings");
  }

  @Test
  void doctor_on_the_embedded_cluster_reads_a_fake_hetzner_cloud_project_mirroring_it_and_counts_the_requests()
      throws IOException {
    Cli.Result r = Cli.run("doctor", "--embedded", "hetzner", "-c", config("profile: cost\n" + HETZNER));

    assertThat(r.err()).as(r.toString()).contains("starting a fake Hetzner Cloud API for the embedded cluster at http://127.0.0.1:")
        .contains("hcloud: load balancers, page 1");
    assertThat(r.out()).containsPattern("PASS  lb\\.hcloud\\.inventory +the LoadBalancer Service has its hcloud load "
        + "balancer: ingress-nginx/ingress-nginx-controller → k3s-ingress")
        .containsPattern("PASS  storage\\.hcloud\\.unbound-volumes +the project has no volumes");
    assertThat(r.out().lines()).as(r.toString()).contains("hcloud API: 3 requests");
    try (FakeHetznerCloud sameToken = FakeHetznerCloud.start()) {
      assertThat(r.out() + r.err()).doesNotContain(sameToken.token());
    }
  }

  @Test
  void doctor_fails_load_balancing_without_a_default_location_on_the_ccm_with_the_remedy() throws IOException {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.HETZNER)) {
      cluster.client().apps().deployments().inNamespace("kube-system").withName("hcloud-cloud-controller-manager")
          .edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                .removeIf(e -> e.getName().startsWith("HCLOUD_LOAD_BALANCERS_"));
            return d;
          });
      Path kubeconfig = cluster.writeKubeconfig(tmp.resolve("kubeconfig"));
      Cli.Result r = Cli.run("doctor", "--kubeconfig", kubeconfig.toString(), "-c", config("profile: cost\n"
          + "hetzner: {token_env: SUBSTRATE_TEST_NO_HCLOUD_TOKEN}\n" + HETZNER.replace("load_balancer: {location: fsn1}\n",
              "")));

      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      List<String> lines = r.out().lines().toList();
      int failure = lines.stream().filter(l -> l.startsWith("FAIL  lb.hcloud.default-location")).findFirst()
          .map(lines::indexOf).orElse(-1);
      assertThat(failure).as(r.toString()).isNotNegative();
      assertThat(lines.get(failure)).contains("ingress-nginx/ingress-nginx-controller").contains("refuses");
      assertThat(lines.get(failure + 1)).contains("HCLOUD_LOAD_BALANCERS_LOCATION")
          .contains("load-balancer.hetzner.cloud/network-zone");
      assertThat(r.out()).containsPattern("SKIP  lb\\.hcloud\\.inventory +not checked: no Hetzner Cloud API token")
          .doesNotContain("hcloud API:");
    }
  }

  @Test
  void capabilities_show_that_hetzner_gpu_servers_never_scale_to_zero_with_the_gpu_operator() {
    Cli.Result r = Cli.run("capabilities", "--substrate", "hetzner");

    assertThat(r.code()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    int stack = lines.indexOf("GPU stack: operator");
    int scale = lines.stream().filter(l -> l.trim().startsWith("gpu.scale-to-zero")).findFirst().map(lines::indexOf)
        .orElse(-1);
    assertThat(stack).as(r.out()).isNotNegative();
    assertThat(scale).as(r.out()).isGreaterThan(stack).isLessThan(lines.indexOf("storage: hcloud-volumes"));
    assertThat(lines.get(scale)).containsPattern("UNSUPPORTED +Hetzner's GPU servers are dedicated Robot machines")
        .contains("bare metal, provisioned in days and paid 24/7");
    assertThat(lines.get(scale + 1)).contains("→ keep the GPU nodes and scale the workload pods to zero instead")
        .contains("KEDA");
  }

  @Test
  void doctor_fails_prod_for_want_of_snapshots_with_the_object_store_remedy() throws IOException {
    Cli.Result r = Cli.run("doctor", "--embedded", "hetzner", "-c", config("profile: prod\n" + HETZNER));

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    List<String> lines = r.out().lines().toList();
    int failure = lines.stream().filter(l -> l.startsWith("FAIL  storage.snapshots")).findFirst().map(lines::indexOf)
        .orElse(-1);
    assertThat(failure).as(r.toString()).isNotNegative();
    assertThat(lines.get(failure + 1)).contains("object storage").contains("snapshot-capable storage layer");
  }

  @Test
  void diff_gke_hetzner_lists_what_changes_off_the_managed_cloud() throws IOException {
    Cli.Result r = Cli.run("diff", "gke", "hetzner", "-c", config(HETZNER.replace("substrate: {id: hetzner}\n", "")));

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("gpu_stack +gke-managed → operator")
        .containsPattern("storage +gke-pd → hcloud-volumes")
        .containsPattern("load_balancer +gke → hcloud")
        .containsPattern("secret_store_auth +workload-identity → wif")
        .containsPattern("gpu.scale-to-zero +SUPPORTED → UNSUPPORTED +Hetzner's GPU servers")
        .containsPattern("gpu.driver-management +SUPPORTED → NEEDS_ACTION")
        .containsPattern("storage.rwx +NEEDS_ACTION → UNSUPPORTED")
        .containsPattern("storage.snapshots +NEEDS_ACTION → UNSUPPORTED")
        .containsPattern("lb.provisioning +SUPPORTED → SUPPORTED +the hcloud CCM .* in load_balancer.location fsn1")
        .contains("~ clustersecretstore secret-store").contains("+ application argocd/gpu-operator");
  }

  @Test
  void render_passes_the_crd_schema_validation() throws Exception {
    Path dir = tmp.resolve("layer");
    Cli.Result r = Cli.run("render", "-c", config("profile: cost\n" + HETZNER), "-o", dir.toString());
    assertThat(r.code()).as(r.toString()).isZero();

    ManifestValidator.validate(dir, tmp);
  }
}
