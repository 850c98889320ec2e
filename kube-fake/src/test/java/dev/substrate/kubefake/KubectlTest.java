package dev.substrate.kubefake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real kubectl binary against an embedded cluster. */
class KubectlTest {

  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");

  @TempDir
  Path tmp;

  private Path manifests;

  @BeforeAll
  static void kubectlIsInstalled() {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed at " + KUBECTL + "; skipping kubectl tests");
  }

  @BeforeEach
  void writeManifests() throws IOException {
    manifests = Files.createDirectories(tmp.resolve("manifests"));
    write("00-namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n");
    write("10-configmap.yaml", configMap("fast"));
    write("20-crd.yaml", String.join("\n",
        "apiVersion: apiextensions.k8s.io/v1",
        "kind: CustomResourceDefinition",
        "metadata:",
        "  name: widgets.example.com",
        "spec:",
        "  group: example.com",
        "  scope: Namespaced",
        "  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}",
        "  versions:",
        "  - name: v1",
        "    served: true",
        "    storage: true",
        "    schema:",
        "      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}",
        ""));
    write("30-widget.yaml", widget(3));
  }

  @Test
  void kubectl_get_nodes_lists_the_preset_nodes_across_pages() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER).nodes(1200).start()) {
      Result r = kubectl(cluster, "get", "nodes", "-o", "name");

      assertThat(r.exitCode).as(r.toString()).isZero();
      assertThat(cluster.listRequests("nodes")).as("kubectl lists in chunks of 500").isEqualTo(3);
      List<String> expected = new ArrayList<>();
      cluster.client().nodes().list().getItems().forEach(n -> expected.add("node/" + n.getMetadata().getName()));
      assertThat(r.lines()).hasSize(1200).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(r.lines()).contains("node/gex44-01", "node/gex130-01");
    }
  }

  @Test
  void kubectl_version_reports_the_preset_server_version() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.GKE)) {
      Result r = kubectl(cluster, "version");

      assertThat(r.exitCode).as(r.toString()).isZero();
      assertThat(r.stdout).contains("Server Version: v1.32.4-gke.1106006");

      Result nodes = kubectl(cluster, "get", "nodes");
      assertThat(nodes.exitCode).as(nodes.toString()).isZero();
      assertThat(nodes.lines().get(0)).matches("NAME +STATUS +ROLES +AGE +VERSION");
      assertThat(nodes.lines()).hasSize(5);
      assertThat(nodes.lines().subList(1, 5)).allMatch(l -> l.matches("gke-prod-\\S+ +Ready +<none> +30d +v1\\.32\\.4-gke\\.1106006"));
      Result classes = kubectl(cluster, "get", "storageclasses");
      assertThat(classes.stdout).contains("standard-rwo (default)");
    }
  }

  @Test
  void kubectl_apply_client_side_then_server_side_creates_and_updates_the_objects() throws IOException {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO)) {
      KubernetesClient client = cluster.client();
      // As on a real cluster, a custom resource cannot be mapped before its CRD exists: apply the CRD first.
      Result crd = kubectl(cluster, "apply", "-f", manifests.resolve("20-crd.yaml").toString());
      assertThat(crd.exitCode).as(crd.toString()).isZero();

      Result clientSide = kubectl(cluster, "apply", "-f", manifests.toString());

      assertThat(clientSide.exitCode).as(clientSide.toString()).isZero();
      assertThat(clientSide.stdout).contains("namespace/demo created", "configmap/settings created",
          "customresourcedefinition.apiextensions.k8s.io/widgets.example.com unchanged",
          "widget.example.com/w1 created");
      assertThat(client.namespaces().withName("demo").get()).isNotNull();
      assertThat(client.configMaps().inNamespace("demo").withName("settings").get().getData())
          .containsEntry("mode", "fast");
      assertThat(widgetSize(client)).isEqualTo(3);

      Result again = kubectl(cluster, "apply", "-f", manifests.toString());
      assertThat(again.stdout).contains("configmap/settings unchanged", "widget.example.com/w1 unchanged");

      write("10-configmap.yaml", configMap("slow"));
      write("30-widget.yaml", widget(5));
      Result serverSide = kubectl(cluster, "apply", "--server-side", "-f", manifests.toString());

      assertThat(serverSide.exitCode).as(serverSide.toString()).isZero();
      assertThat(serverSide.stdout).contains("namespace/demo serverside-applied",
          "configmap/settings serverside-applied", "widget.example.com/w1 serverside-applied");
      assertThat(client.configMaps().inNamespace("demo").withName("settings").get().getData())
          .containsEntry("mode", "slow");
      assertThat(widgetSize(client)).isEqualTo(5);
      String rv = client.configMaps().inNamespace("demo").withName("settings").get().getMetadata()
          .getResourceVersion();

      Result serverSideAgain = kubectl(cluster, "apply", "--server-side", "-f", manifests.toString());
      assertThat(serverSideAgain.exitCode).as(serverSideAgain.toString()).isZero();
      assertThat(client.configMaps().inNamespace("demo").withName("settings").get().getMetadata()
          .getResourceVersion()).as("a second server-side apply changes nothing").isEqualTo(rv);

      Result get = kubectl(cluster, "get", "wd,cm", "-n", "demo", "-o", "name");
      assertThat(get.lines()).contains("widget.example.com/w1", "configmap/settings");
    }
  }

  @Test
  void kubectl_server_side_apply_of_a_fresh_directory_behaves_like_a_real_cluster() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BARE)) {
      Result first = kubectl(cluster, "apply", "--server-side", "-f", manifests.toString());

      assertThat(first.exitCode).isEqualTo(1);
      assertThat(first.stderr).contains("ensure CRDs are installed first");
      assertThat(first.stdout).contains("namespace/demo serverside-applied", "configmap/settings serverside-applied",
          "customresourcedefinition.apiextensions.k8s.io/widgets.example.com serverside-applied");

      Result second = kubectl(cluster, "apply", "--server-side", "-f", manifests.toString());
      assertThat(second.exitCode).as(second.toString()).isZero();
      assertThat(second.stdout).contains("widget.example.com/w1 serverside-applied");

      Result wait = kubectl(cluster, "wait", "--for=condition=Established", "crd/widgets.example.com",
          "--timeout=10s");
      assertThat(wait.exitCode).as(wait.toString()).isZero();
    }
  }

  private static int widgetSize(KubernetesClient client) {
    GenericKubernetesResource w = client.genericKubernetesResources("example.com/v1", "Widget").inNamespace("demo")
        .withName("w1").get();
    return ((Number) w.<Object>get("spec", "size")).intValue();
  }

  private static String configMap(String mode) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: demo\n"
        + "  labels: {app: demo}\ndata:\n  mode: " + mode + "\n";
  }

  private static String widget(int size) {
    return "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\n  namespace: demo\nspec:\n  size: "
        + size + "\n";
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(manifests.resolve(name), content, StandardCharsets.UTF_8);
  }

  @Test
  void kubectl_get_raw_serves_the_issuer_documents() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.HETZNER)) {
      Result jwks = kubectl(cluster, "get", "--raw", "/openid/v1/jwks");
      Result discovery = kubectl(cluster, "get", "--raw", "/.well-known/openid-configuration");

      assertThat(jwks.exitCode).as(jwks.toString()).isZero();
      assertThat(jwks.stdout.strip()).isEqualTo(cluster.oidc().jwksJson());
      assertThat(discovery.exitCode).as(discovery.toString()).isZero();
      com.fasterxml.jackson.databind.JsonNode d = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(discovery.stdout);
      assertThat(d.get("issuer").asText()).isEqualTo("https://kubernetes.default.svc.cluster.local");
      assertThat(d.get("jwks_uri").asText()).isEqualTo("https://kubernetes.default.svc.cluster.local/openid/v1/jwks");
    }
  }

  @Test
  void kubectl_create_token_mints_a_service_account_token_through_a_protobuf_token_request() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.HETZNER)) {
      Result r = kubectl(cluster, "create", "token", "external-secrets", "-n", "external-secrets",
          "--audience", "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/hetzner/"
              + "providers/k3s-oidc", "--duration", "20m");

      assertThat(r.exitCode).as(r.toString()).isZero();
      String[] parts = r.stdout.strip().split("\\.");
      assertThat(parts).hasSize(3);
      com.fasterxml.jackson.databind.JsonNode claims = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
      assertThat(claims.get("sub").asText()).isEqualTo("system:serviceaccount:external-secrets:external-secrets");
      assertThat(claims.get("aud")).hasSize(1);
      assertThat(claims.get("aud").get(0).asText()).endsWith("/providers/k3s-oidc");
      assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(1200);

      Result missing = kubectl(cluster, "create", "token", "nobody", "-n", "external-secrets");
      assertThat(missing.exitCode).isNotZero();
      assertThat(missing.stderr).contains("serviceaccounts \"nobody\" not found");
      Result tooShort = kubectl(cluster, "create", "token", "external-secrets", "-n", "external-secrets",
          "--duration", "5m");
      assertThat(tooShort.exitCode).isNotZero();
      assertThat(tooShort.stderr).contains("may not specify a duration less than 10 minutes");
    }
  }

  private Result kubectl(EmbeddedCluster cluster, String... args) {
    Path kubeconfig = cluster.writeKubeconfig(tmp.resolve("kubeconfig"));
    List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", tmp.resolve("kube-cache").toString()));
    command.addAll(Arrays.asList(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().remove("KUBECONFIG");
      Path out = tmp.resolve("stdout");
      Path err = tmp.resolve("stderr");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl timed out: " + command);
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new AssertionError("cannot run kubectl: " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running kubectl", e);
    }
  }

  private static final class Result {
    final int exitCode;
    final String stdout;
    final String stderr;

    Result(int exitCode, String stdout, String stderr) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    List<String> lines() {
      return stdout.isBlank() ? List.of() : List.of(stdout.strip().split("\n"));
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }
}
