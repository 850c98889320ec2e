package dev.substrate.cloudfakes.hetzner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FakeHetznerCloudTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private FakeHetznerCloud hcloud;

  @BeforeEach
  void start() {
    hcloud = FakeHetznerCloud.start();
    for (int i = 1; i <= 60; i++) {
      hcloud.addServer(1000 + i, "k3s-agent-" + i, "cpx41", "fsn1",
          Map.of("role", i % 2 == 0 ? "worker" : "gpu", "cluster", "k3s"));
    }
    hcloud.addVolume(1, "pvc-a", 10, "fsn1", 1001L, Map.of());
    hcloud.addVolume(2, "pvc-orphan", 50, "fsn1", null, Map.of());
    hcloud.addLoadBalancer(7, "k3s-ingress", "lb11", "fsn1", "167.235.10.20",
        Map.of("hcloud-ccm/service-uid", "0b4f6c1e-1111-2222-3333-444455556666"));
    hcloud.addNetwork(3, "k3s", "10.0.0.0/16", Map.of());
  }

  @AfterEach
  void stop() {
    hcloud.close();
  }

  private HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(hcloud.endpoint() + pathAndQuery))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String pathAndQuery) throws Exception {
    HttpResponse<String> r = get(pathAndQuery, hcloud.token());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Nested
  class Over_http {
    @Test
    void lists_page_by_page_with_meta_pagination() throws Exception {
      JsonNode first = json("/servers");
      assertThat(first.path("servers")).hasSize(25);
      assertThat(first.at("/meta/pagination/next_page").asInt()).isEqualTo(2);
      assertThat(first.at("/meta/pagination/total_entries").asInt()).isEqualTo(60);
      JsonNode last = json("/servers?page=2&per_page=50");
      assertThat(last.path("servers")).hasSize(10);
      assertThat(last.at("/meta/pagination/next_page").isNull()).isTrue();
      assertThat(last.at("/meta/pagination/previous_page").asInt()).isEqualTo(1);
      assertThat(json("/servers?per_page=500").path("servers")).hasSize(50);
    }

    @Test
    void filters_by_label_selector() throws Exception {
      String selector = URLEncoder.encode("role==gpu,cluster in (k3s,other)", StandardCharsets.UTF_8);
      assertThat(json("/servers?per_page=50&label_selector=" + selector).path("servers")).hasSize(30);
      assertThat(json("/servers?label_selector=" + URLEncoder.encode("!role", StandardCharsets.UTF_8))
          .path("servers")).isEmpty();
      assertThat(json("/load_balancers?label_selector=hcloud-ccm/service-uid").path("load_balancers")).hasSize(1);
    }

    @Test
    void answers_errors_with_the_hetzner_error_document() throws Exception {
      HttpResponse<String> missing = get("/volumes/99", hcloud.token());
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(JSON.readTree(missing.body()).at("/error/code").asText()).isEqualTo("not_found");
      HttpResponse<String> unauthorized = get("/servers", "wrong");
      assertThat(unauthorized.statusCode()).isEqualTo(401);
      assertThat(JSON.readTree(unauthorized.body()).at("/error/code").asText()).isEqualTo("unauthorized");
      assertThat(json("/volumes/2").at("/volume/name").asText()).isEqualTo("pvc-orphan");
    }

    @Test
    void answers_429_with_rate_limit_headers_until_the_reset() throws Exception {
      Instant reset = Instant.now().plusSeconds(3600);
      hcloud.rateLimit(3600, 0, reset);
      HttpResponse<String> limited = get("/servers", hcloud.token());
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(JSON.readTree(limited.body()).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
      assertThat(limited.headers().firstValue("RateLimit-Remaining")).hasValue("0");
      assertThat(limited.headers().firstValue("RateLimit-Reset")).hasValue(String.valueOf(reset.getEpochSecond()));
      hcloud.rateLimit(3600, 1, Instant.now());
      HttpResponse<String> ok = get("/servers", hcloud.token());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("RateLimit-Remaining")).hasValue("0");
    }

    @Test
    void journals_requests_and_injects_faults() throws Exception {
      hcloud.faults().failNext(1, 503);
      assertThat(get("/networks", hcloud.token()).statusCode()).isEqualTo(503);
      assertThat(json("/networks").path("networks")).hasSize(1);
      assertThat(hcloud.journal().requests()).extracting(Journal.Request::status).containsExactly(503, 200);
      assertThat(hcloud.journal().size()).isEqualTo(2);
    }

    @Test
    void fails_the_named_page_once() throws Exception {
      hcloud.faults().failNextOn("/v1/servers", "page=2", 503);
      assertThat(json("/servers?per_page=50&page=1").path("servers")).hasSize(50);
      assertThat(json("/volumes?page=2").path("volumes")).isEmpty();
      assertThat(get("/servers?per_page=50&page=2", hcloud.token()).statusCode()).isEqualTo(503);
      assertThat(json("/servers?per_page=50&page=2").path("servers")).hasSize(10);
    }

    @Test
    void counts_the_requests_it_answers_at_once() throws Exception {
      hcloud.faults().delay(java.time.Duration.ofMillis(200));
      json("/servers");
      json("/volumes");
      assertThat(hcloud.journal().maxInFlight()).isEqualTo(1);
      List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(hcloud.endpoint() + "/servers?page=" + (i + 1)))
            .header("Authorization", "Bearer " + hcloud.token()).build(), HttpResponse.BodyHandlers.ofString()));
      }
      calls.forEach(java.util.concurrent.CompletableFuture::join);
      assertThat(hcloud.journal().maxInFlight()).isGreaterThan(1).isLessThanOrEqualTo(6);
      assertThat(hcloud.journal().requests()).extracting(Journal.Request::query).filteredOn(q -> !q.isEmpty())
          .containsExactlyInAnyOrder("page=1", "page=2", "page=3", "page=4", "page=5", "page=6");
      hcloud.journal().clear();
      assertThat(hcloud.journal().maxInFlight()).isZero();
    }
  }

  /**
   * The real hcloud CLI (Debian package hcloud-cli, installed by .ci/run) against the fake through HCLOUD_ENDPOINT;
   * skipped, saying so, where it is not installed.
   */
  @Nested
  class With_the_hcloud_cli {
    private final Path binary = Path.of(System.getProperty("substrate.hcloud", "/usr/bin/hcloud"));

    @TempDir
    Path home;

    @BeforeEach
    void hcloud_is_installed() {
      assumeTrue(Files.isExecutable(binary), "hcloud is not installed at " + binary
          + " (apt-get install hcloud-cli, or set -Dsubstrate.hcloud=PATH); the hcloud CLI tests are skipped");
    }

    private JsonNode hcloudJson(String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>();
      command.add(binary.toString());
      command.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
      pb.environment().put("HCLOUD_ENDPOINT", hcloud.endpoint());
      pb.environment().put("HCLOUD_TOKEN", hcloud.token());
      pb.environment().put("HCLOUD_CONFIG", home.resolve("cli.toml").toString());
      pb.environment().put("HOME", home.toString());
      Path err = home.resolve("stderr");
      pb.redirectError(err.toFile());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(err)).isZero();
      return JSON.readTree(out);
    }

    @Test
    void lists_every_server_across_pages() throws Exception {
      JsonNode servers = hcloudJson("server", "list", "-o", "json");
      assertThat(servers).hasSize(60);
      assertThat(servers.get(0).path("name").asText()).isEqualTo("k3s-agent-1");
      assertThat(hcloud.journal().requests()).extracting(Journal.Request::path).contains("/v1/servers");
    }

    @Test
    void lists_volumes_and_filters_by_label() throws Exception {
      JsonNode volumes = hcloudJson("volume", "list", "-o", "json");
      assertThat(volumes).extracting(v -> v.path("name").asText()).containsExactly("pvc-a", "pvc-orphan");
      JsonNode gpu = hcloudJson("server", "list", "-o", "json", "-l", "role=gpu");
      assertThat(gpu).hasSize(30);
    }

    @Test
    void lists_load_balancers_with_the_ccm_label() throws Exception {
      JsonNode lbs = hcloudJson("load-balancer", "list", "-o", "json", "-l",
          "hcloud-ccm/service-uid=0b4f6c1e-1111-2222-3333-444455556666");
      assertThat(lbs).extracting(lb -> lb.path("name").asText()).containsExactly("k3s-ingress");
      assertThat(lbs.get(0).path("public_net").path("ipv4").path("ip").asText()).isEqualTo("167.235.10.20");
    }
  }

  @Nested
  class Mirroring_a_cluster {
    @Test
    void holds_a_server_per_cloud_node_a_volume_per_pv_and_a_labelled_load_balancer_per_service() throws Exception {
      try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.HETZNER)) {
        cluster.client().persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata()
            .withName("pvc-0a1b").endMetadata().withNewSpec().addToCapacity("storage", new Quantity("15Gi"))
            .withNewCsi().withDriver("csi.hetzner.cloud").withVolumeHandle("4242").endCsi().endSpec().build()).create();
        try (FakeHetznerCloud mirror = FakeHetznerCloud.mirroring(cluster.client())) {
          List<String> cloudNodes = cluster.client().nodes().list().getItems().stream()
              .filter(n -> n.getSpec().getProviderID().startsWith("hcloud://")).map(n -> n.getMetadata().getName())
              .toList();
          Service ingress = cluster.client().services().inNamespace("ingress-nginx")
              .withName("ingress-nginx-controller").get();

          JsonNode servers = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(mirror.endpoint() + "/servers"))
              .header("Authorization", "Bearer " + mirror.token()).build(), HttpResponse.BodyHandlers.ofString())
              .body()).path("servers");
          assertThat(servers).extracting(n -> n.path("name").asText()).containsExactlyInAnyOrderElementsOf(cloudNodes);
          JsonNode volume = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(mirror.endpoint() + "/volumes/4242"))
              .header("Authorization", "Bearer " + mirror.token()).build(), HttpResponse.BodyHandlers.ofString())
              .body()).path("volume");
          assertThat(volume.path("name").asText()).isEqualTo("pvc-0a1b");
          assertThat(volume.path("size").asInt()).isEqualTo(15);
          JsonNode lbs = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(mirror.endpoint()
              + "/load_balancers?label_selector=hcloud-ccm/service-uid%3D%3D" + ingress.getMetadata().getUid()))
              .header("Authorization", "Bearer " + mirror.token()).build(), HttpResponse.BodyHandlers.ofString())
              .body()).path("load_balancers");
          assertThat(lbs).hasSize(1);
          assertThat(lbs.get(0).path("name").asText()).isEqualTo("k3s-ingress");
          assertThat(lbs.get(0).path("public_net").path("ipv4").path("ip").asText()).isEqualTo("167.235.10.20");
        }
      }
    }
  }
}
