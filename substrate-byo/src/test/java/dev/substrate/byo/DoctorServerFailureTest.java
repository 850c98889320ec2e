package dev.substrate.byo;

import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThat;
import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThatThrownBy;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ConfigException;
import dev.substrate.Report;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import dev.substrate.spi.Check;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A server that fails (5xx, timeouts) fails the checks that read what it failed to list; it never passes doctor. */
class DoctorServerFailureTest {
  private static final SubstrateConfig CONFIG = SubstrateConfig.parse("substrate: {id: byo}\nprofile: prod\n");

  private static Map<String, CheckResult> byId(Report report) {
    return report.results().stream().collect(Collectors.toMap(CheckResult::id, Function.identity()));
  }

  @Test
  void aServerAnswering500ToEveryRequestFailsEveryCheckThatReadsTheCluster() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO)) {
      Substrate substrate = Substrates.builder().config(CONFIG).client(cluster.client()).build();
      cluster.failAll(500);
      cluster.resetJournal();

      Report report = substrate.doctor(cluster.client());

      Map<String, CheckResult> results = byId(report);
      for (Check check : substrate.checks()) {
        if (!check.reads().isEmpty()) {
          CheckResult r = results.get(check.id());
          assertThat(r.status()).as(r.toString()).isEqualTo(CheckStatus.FAIL);
          assertThat(r.finding()).startsWith("could not check: listing ").contains("failed with HTTP 500");
          assertThat(r.remedy()).hasValueSatisfying(remedy -> assertThat(remedy).contains("readyz"));
        }
      }
      assertThat(report.hasAtLeast(CheckStatus.FAIL)).isTrue();
      assertThat(report.apiRequests()).as("one LIST per kind, not retried").isEqualTo(substrate.reads().size())
          .isEqualTo(cluster.requestCount());
    }
  }

  @Test
  void oneFailingKindFailsItsChecksWhileAForbiddenOneStaysAWarningWithItsRemedy() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO)) {
      Substrate substrate = Substrates.builder().config(CONFIG).client(cluster.client()).build();
      cluster.fail("storage.k8s.io", "storageclasses", 503);
      cluster.forbid("", "nodes");

      Report report = substrate.doctor(cluster.client());

      assertThat(report).hasCheck("storage.default-class").isFail()
          .hasFinding("could not check: listing storageclasses.storage.k8s.io failed with HTTP 503: an error on the "
              + "server (\"injected fault 503\") has prevented the request from succeeding");
      assertThat(report).hasCheck("substrate.nodes").isWarn().hasRemedyContaining("kubectl auth can-i list");
    }
  }

  @Test
  void aReadThatTimesOutFailsNamingTheKindAndTheTimeout() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO);
        KubernetesClient impatient = new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory())
            .withConfig(new ConfigBuilder(cluster.config()).withRequestTimeout(300).build()).build()) {
      Substrate substrate = Substrates.builder().config(CONFIG).client(impatient).build();
      cluster.delay(Duration.ofMillis(1_500));

      Report report = substrate.doctor(impatient);

      CheckResult storage = byId(report).get("storage.default-class");
      assertThat(storage.status()).as(storage.toString()).isEqualTo(CheckStatus.FAIL);
      assertThat(storage.finding()).isEqualTo("could not check: listing storageclasses.storage.k8s.io got no answer "
          + "within the request timeout of 300 ms");
      assertThat(report.warnings()).as(report.toText()).isZero();
    }
  }

  @Test
  void aServerThatDropsEveryConnectionFailsTheChecksRatherThanAbortingDoctor() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread dropper = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket accepted = server.accept()) {
            accepted.setSoLinger(true, 0);
          } catch (IOException e) {
            return;
          }
        }
      });
      dropper.setDaemon(true);
      dropper.start();
      try (KubernetesClient client = new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory())
          .withConfig(new ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
              .withMasterUrl("http://127.0.0.1:" + server.getLocalPort()).build()).build()) {
        Report report = Substrates.builder().config(CONFIG).build().doctor(client);

        CheckResult storage = byId(report).get("storage.default-class");
        assertThat(storage.status()).as(report.toText()).isEqualTo(CheckStatus.FAIL);
        assertThat(storage.finding())
            .isEqualTo("could not check: listing storageclasses.storage.k8s.io failed: the server reset the connection");
      }
    }
  }

  @Test
  void detectionFailsAtOnceWhenTheServerFailsToListTheNodes() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO)) {
      cluster.fail("", "nodes", 500);

      assertThatThrownBy(() -> Substrates.builder().config(SubstrateConfig.defaults()).client(cluster.client()).build())
          .isInstanceOf(ConfigException.class).hasMessageContaining("listing nodes failed with HTTP 500");
      assertThat(cluster.requestCount()).as("the node LIST, not retried").isEqualTo(1);
    }
  }
}
