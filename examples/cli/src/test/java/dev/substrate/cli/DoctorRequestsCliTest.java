package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code substrate doctor} against a cluster whose journal it is measured by: a failing server, the request count. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DoctorRequestsCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HETZNER = "cluster: {name: llm-prod, projectID: acme-ml, location: europe-west4}\n"
      + "profile: cost\nload_balancer: {location: fsn1}\n"
      + "hetzner: {token_env: SUBSTRATE_TEST_NO_HCLOUD_TOKEN}\n"
      + "secret_store_auth: wif\n"
      + "wif:\n"
      + "  audience: //iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/llm-prod/providers/k3s-oidc\n";
  private static final String TOKEN_REQUEST =
      "secrets.wif.token created a TokenRequest for external-secrets/external-secrets";

  @TempDir Path tmp;

  @Test
  void a_server_answering_500_to_everything_fails_doctor_whatever_fail_on_says() throws IOException {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO)) {
      String kubeconfig = cluster.writeKubeconfig(tmp.resolve("kubeconfig")).toString();
      cluster.failAll(500);

      for (String failOn : new String[] {"fail", "warn"}) {
        Cli.Result r = Cli.run("doctor", "--kubeconfig", kubeconfig, "--substrate", "byo", "--fail-on", failOn);

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.errors()).as(r.toString()).isEmpty();
        assertThat(r.out().lines()).as(r.toString())
            .anyMatch(l -> l.matches("FAIL  storage\\.default-class +could not check: listing "
                + "storageclasses\\.storage\\.k8s\\.io failed with HTTP 500: .*"))
            .as("only the config's own check passes").noneMatch(l -> l.startsWith("WARN")
                || l.startsWith("PASS") && !l.startsWith("PASS  secrets.long-lived-credentials"))
            .anyMatch(l -> l.contains("→ retry; if it persists, check the API server's health"))
            .anyMatch(l -> l.matches("1 passed / \\d+ failed / 0 warnings.*"));
      }
    }
  }

  @Test
  void a_server_failing_to_list_the_nodes_fails_detection_with_exit_1() throws IOException {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO)) {
      String kubeconfig = cluster.writeKubeconfig(tmp.resolve("kubeconfig")).toString();
      cluster.fail("", "nodes", 503);
      cluster.resetJournal();

      Cli.Result r = Cli.run("doctor", "--kubeconfig", kubeconfig, "-o", "json");

      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      JsonNode report = JSON.readTree(r.out());
      assertThat(report.path("checks")).singleElement().satisfies(check -> {
        assertThat(check.path("id").asText()).isEqualTo("substrate.nodes");
        assertThat(check.path("status").asText()).isEqualTo("FAIL");
        assertThat(check.path("finding").asText())
            .startsWith("could not detect the substrate: listing nodes failed with HTTP 503");
        assertThat(check.path("remedy").asText()).contains("--substrate");
      });
      assertThat(report.path("apiRequests").asInt()).as("the probe and the node LIST")
          .isEqualTo(cluster.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void the_requests_reported_are_those_the_server_saw_with_or_without_a_substrate_id() throws IOException {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.HETZNER)) {
      String kubeconfig = cluster.writeKubeconfig(tmp.resolve("kubeconfig")).toString();
      Path jwks = Files.writeString(tmp.resolve("jwks.json"), cluster.oidc().jwksJson());
      String wif = HETZNER + "  published_jwks: " + jwks + "\n";

      for (String yaml : new String[] {"substrate: {id: hetzner}\n" + wif, wif}) {
        String config = Files.writeString(tmp.resolve("config.yaml"), yaml).toString();
        cluster.resetJournal();

        Cli.Result r = Cli.run("doctor", "--kubeconfig", kubeconfig, "-c", config, "-o", "json");

        JsonNode report = JSON.readTree(r.out());
        assertThat(report.path("substrate").asText()).as(r.toString()).isEqualTo("hetzner");
        assertThat(report.path("apiRequests").asInt()).as(yaml + cluster.requests())
            .isEqualTo(cluster.requestCount());
        assertThat(cluster.listRequests("nodes")).as("nodes are listed once").isEqualTo(1);
        assertThat(cluster.requests()).filteredOn(q -> q.method().equals("POST")).singleElement()
            .satisfies(q -> assertThat(q.path()).endsWith("/serviceaccounts/external-secrets/token"));
        assertThat(report.path("apiWrites")).singleElement().satisfies(w -> assertThat(w.asText())
            .isEqualTo(TOKEN_REQUEST));
      }

      Cli.Result text = Cli.run("doctor", "--kubeconfig", kubeconfig, "-c",
          Files.writeString(tmp.resolve("config.yaml"), wif).toString());
      assertThat(text.out().lines()).as(text.toString())
          .anyMatch(l -> l.matches("Kubernetes API: \\d+ requests, 1 a write: " + TOKEN_REQUEST));
    }
  }
}
