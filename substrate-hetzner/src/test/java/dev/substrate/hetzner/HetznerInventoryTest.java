package dev.substrate.hetzner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.BackendException;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ConfigException;
import dev.substrate.ResourceKind;
import dev.substrate.SubstrateConfig;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.cloudfakes.hetzner.FakeHetznerCloud;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HetznerInventoryTest {
  private static final String SERVICE_UID = "0b4f6c1e-1111-2222-3333-444455556666";
  private FakeHetznerCloud hcloud;

  @BeforeEach
  void start() {
    hcloud = FakeHetznerCloud.start();
    for (int i = 1; i <= 60; i++) {
      hcloud.addServer(1000 + i, "k3s-agent-" + i, "cpx41", "fsn1", Map.of("cluster", "k3s"));
    }
    for (int i = 1; i <= 27; i++) {
      hcloud.addVolume(i, "pvc-" + i, 10, "fsn1", i % 3 == 0 ? null : 1000L + i, Map.of());
    }
    hcloud.addLoadBalancer(7, "k3s-ingress", "lb11", "fsn1", "167.235.10.20", Map.of("hcloud-ccm/service-uid", SERVICE_UID));
  }

  @AfterEach
  void stop() {
    hcloud.close();
  }

  private HetznerInventory inventory() {
    return HetznerInventory.of(hcloud.token(), hcloud.endpoint(), Duration.ofSeconds(30));
  }

  @Test
  void reads_every_page_fifty_at_a_time_and_counts_the_requests() {
    HetznerInventory inventory = inventory();
    HetznerInventory.Project project = inventory.read();
    assertThat(project.servers()).hasSize(60);
    assertThat(project.volumes()).hasSize(27);
    assertThat(project.loadBalancers()).extracting(HetznerInventory.Item::name).containsExactly("k3s-ingress");
    assertThat(project.requests()).isEqualTo(4);
    assertThat(hcloud.journal().requests()).extracting(Journal.Request::toString).containsExactly(
        "GET /v1/servers?per_page=50&page=1 -> 200", "GET /v1/servers?per_page=50&page=2 -> 200",
        "GET /v1/volumes?per_page=50&page=1 -> 200", "GET /v1/load_balancers?per_page=50&page=1 -> 200");
  }

  /** Adds servers after the 60 of every test, up to {@code total}. */
  private void serversUpTo(int total) {
    for (int i = 61; i <= total; i++) {
      hcloud.addServer(100_000 + i, "node-" + i, "cpx41", "fsn1", Map.of());
    }
  }

  private static void assertInPageOrder(HetznerInventory.Project project, int servers) {
    assertThat(project.servers()).hasSize(servers).extracting(HetznerInventory.Item::id).isSorted()
        .doesNotHaveDuplicates();
  }

  private static List<String> pageThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("hcloud-pages")).toList();
  }

  @Test
  void reads_ten_thousand_servers_in_two_hundred_pages_and_counts_every_request() {
    serversUpTo(10_000);
    HetznerInventory inventory = inventory();
    HetznerInventory.Project project = inventory.read();
    assertInPageOrder(project, 10_000);
    assertThat(project.requests()).isEqualTo(200 + 1 + 1).isEqualTo(hcloud.journal().size())
        .isEqualTo(inventory.requests());
    assertThat(hcloud.journal().requests()).extracting(r -> r.path() + "?" + r.query()).doesNotHaveDuplicates();
    assertThat(pageThreads()).isEmpty();
  }

  @Test
  void reads_the_pages_after_the_first_several_at_once() {
    serversUpTo(1_000);
    hcloud.faults().delay(Duration.ofMillis(50));
    HetznerInventory.Project project = inventory().read();
    assertInPageOrder(project, 1_000);
    assertThat(project.requests()).isEqualTo(22).isEqualTo(hcloud.journal().size());
    assertThat(hcloud.journal().maxInFlight()).isGreaterThan(1).isLessThanOrEqualTo(8);
  }

  @Test
  void reads_one_page_at_a_time_with_parallelism_1() {
    serversUpTo(500);
    hcloud.faults().delay(Duration.ofMillis(20));
    SubstrateConfig config = SubstrateConfig.parse("substrate: {id: hetzner}\nhetzner: {parallelism: 1, endpoint: '"
        + hcloud.endpoint() + "'}\n");
    assertInPageOrder(HetznerInventory.fromConfig(config, n -> hcloud.token()).read(), 500);
    assertThat(hcloud.journal().maxInFlight()).isEqualTo(1);
    assertThatThrownBy(() -> HetznerInventory.of(hcloud.token(), hcloud.endpoint(), Duration.ZERO, 33))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("parallelism must be 1 to 32: 33");
  }

  @Test
  void sends_no_more_at_once_than_the_rate_limit_has_left_and_one_when_none_is() {
    serversUpTo(500);
    hcloud.faults().delay(Duration.ofMillis(50));
    Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    hcloud.rateLimit(3600, 4, now.plusSeconds(12));
    List<Duration> slept = new ArrayList<>();
    List<Integer> inFlightWhileLow = new ArrayList<>();
    List<Journal.Request> beforeReset = new ArrayList<>();
    HetznerInventory inventory = HetznerInventory.of(hcloud.token(), hcloud.endpoint(), Duration.ofSeconds(20),
        Clock.fixed(now, java.time.ZoneOffset.UTC), d -> {
          slept.add(d);
          inFlightWhileLow.add(hcloud.journal().maxInFlight());
          beforeReset.addAll(hcloud.journal().requests());
          hcloud.journal().clear();
          hcloud.rateLimit(3600, 3600, Instant.EPOCH);
        });

    HetznerInventory.Project project = inventory.read();

    assertInPageOrder(project, 500);
    // page 1 leaves 3: pages 2-4 at once; then none is left, so page 5 goes alone, gets 429 and waits for the reset
    assertThat(slept).containsExactly(Duration.ofSeconds(12));
    assertThat(inFlightWhileLow).singleElement().satisfies(n -> assertThat(n).isBetween(1, 3));
    assertThat(beforeReset).extracting(Journal.Request::status).containsExactly(200, 200, 200, 200, 429);
    // after the reset 3599 are left: pages 6-10 go at once again
    assertThat(hcloud.journal().maxInFlight()).isGreaterThan(1);
    assertThat(project.requests()).isEqualTo(beforeReset.size() + hcloud.journal().size()).isEqualTo(13);
    assertThat(inventory.rateLimitWait()).isEqualTo(Duration.ofSeconds(12));
  }

  @Test
  void a_failed_page_fails_the_whole_read_once_the_pages_in_flight_are_answered() {
    serversUpTo(1_000);
    hcloud.faults().delay(Duration.ofMillis(20));
    hcloud.faults().failNextOn("/v1/servers", "page=7", 503);
    HetznerInventory inventory = inventory();
    assertThatThrownBy(inventory::read).isInstanceOfSatisfying(BackendException.class, e -> {
      assertThat(e.status()).hasValue(503);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.getMessage()).isEqualTo("hetzner: list servers failed (status 503): the Hetzner Cloud API answered "
          + "service_error on page 7 of 20");
    });
    assertThat(inventory.requests()).isEqualTo(hcloud.journal().size());
    assertThat(hcloud.journal().requests()).extracting(Journal.Request::path).containsOnly("/v1/servers");
    assertThat(pageThreads()).isEmpty();
  }

  @Test
  void matches_load_balancer_services_and_finds_volumes_without_a_pv() {
    HetznerInventory inventory = inventory();
    HetznerInventory.Project project = inventory.read();
    ClusterSnapshot snapshot = ClusterSnapshot.builder()
        .addObjects(ResourceKind.SERVICES, List.of(
            lb("ingress-nginx", "ingress-nginx-controller", SERVICE_UID), lb("default", "pending", "9999")))
        .addObjects(ResourceKind.PERSISTENT_VOLUMES, List.of(pv("pvc-a", "1"), pv("pvc-b", "2"), pv("pvc-c", "3")))
        .build();
    Map<String, Optional<HetznerInventory.Item>> byService = inventory.loadBalancersByService(project, snapshot);
    assertThat(byService.get("ingress-nginx/ingress-nginx-controller")).hasValueSatisfying(
        lb -> assertThat(lb.id()).isEqualTo(7));
    assertThat(byService.get("default/pending")).isEmpty();
    assertThat(inventory.volumesWithoutPv(project, snapshot)).hasSize(24)
        .extracting(HetznerInventory.Item::name).doesNotContain("pvc-1", "pvc-2", "pvc-3");
  }

  @Test
  void waits_for_the_rate_limit_reset_within_the_bound() {
    List<Duration> slept = new ArrayList<>();
    Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    hcloud.rateLimit(3600, 0, Instant.now().plusSeconds(3600));
    hcloud.addServer(1, "x", "cpx11", "fsn1", Map.of());
    HetznerInventory inventory = HetznerInventory.of(hcloud.token(), hcloud.endpoint(), Duration.ofSeconds(20),
        Clock.fixed(now, java.time.ZoneOffset.UTC), d -> {
          slept.add(d);
          hcloud.rateLimit(3600, 3600, Instant.EPOCH);
        });
    hcloud.rateLimit(3600, 0, now.plusSeconds(12));
    HetznerInventory.Project project = inventory.read();
    assertThat(slept).containsExactly(Duration.ofSeconds(12));
    assertThat(project.servers()).hasSize(61);
    assertThat(project.requests()).isEqualTo(5);
    assertThat(inventory.rateLimitWait()).isEqualTo(Duration.ofSeconds(12));
  }

  @Test
  void an_interrupt_while_waiting_for_the_reset_stops_at_once() {
    Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    hcloud.rateLimit(3600, 0, now.plusSeconds(12));
    HetznerInventory inventory = HetznerInventory.of(hcloud.token(), hcloud.endpoint(), Duration.ofSeconds(20),
        Clock.fixed(now, java.time.ZoneOffset.UTC), d -> {
          throw new InterruptedException();
        });
    try {
      assertThatThrownBy(inventory::read).isInstanceOf(BackendException.class);
      assertThat(inventory.requests()).isEqualTo(1);
      assertThat(inventory.rateLimitWait()).isZero();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void gives_up_when_the_reset_is_beyond_the_bound_without_leaking_the_token() {
    hcloud.rateLimit(3600, 0, Instant.now().plusSeconds(3000));
    HetznerInventory inventory = HetznerInventory.of(hcloud.token(), hcloud.endpoint(), Duration.ofSeconds(60));
    assertThatThrownBy(inventory::read).isInstanceOfSatisfying(BackendException.class, e -> {
      assertThat(e.status()).hasValue(429);
      assertThat(e.getMessage()).contains("rate_limit_exceeded").doesNotContain(hcloud.token());
    });
    assertThat(inventory.toString()).doesNotContain(hcloud.token()).contains("<redacted>");
  }

  @Test
  void a_rejected_token_is_status_401_with_hetzners_error_code() {
    HetznerInventory inventory = HetznerInventory.of("wrong", hcloud.endpoint(), Duration.ofSeconds(30));
    assertThatThrownBy(inventory::read).isInstanceOfSatisfying(BackendException.class, e -> {
      assertThat(e.status()).hasValue(401);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.getMessage()).isEqualTo("hetzner: list servers failed (status 401): the Hetzner Cloud API answered "
          + "unauthorized");
    });
  }

  @Test
  void an_endpoint_that_does_not_answer_is_one_line() {
    String endpoint = hcloud.endpoint();
    hcloud.close();
    assertThatThrownBy(() -> HetznerInventory.of(hcloud.token(), endpoint, Duration.ofSeconds(30)).read())
        .isInstanceOfSatisfying(BackendException.class, e -> {
          assertThat(e.status()).isEmpty();
          assertThat(e.isTransient()).isTrue();
          assertThat(e.getMessage()).startsWith("hetzner: list servers failed: cannot reach the Hetzner Cloud API: ")
              .doesNotContain("\n").doesNotContain("Exception");
        });
  }

  @Test
  void reads_the_token_from_the_named_env_var_or_file(@TempDir Path dir) throws Exception {
    SubstrateConfig byEnv = SubstrateConfig.parse("substrate: {id: hetzner}\nhetzner: {token_env: MY_TOKEN, endpoint: '"
        + hcloud.endpoint() + "'}\n");
    assertThat(HetznerInventory.fromConfig(byEnv, n -> n.equals("MY_TOKEN") ? hcloud.token() : null).read()
        .servers()).hasSize(60);
    assertThatThrownBy(() -> HetznerInventory.fromConfig(byEnv, n -> null)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("MY_TOKEN");

    Path file = Files.writeString(dir.resolve("token"), hcloud.token() + "\n");
    SubstrateConfig byFile = SubstrateConfig.parse("substrate: {id: hetzner}\nhetzner: {token_file: '" + file
        + "', endpoint: '" + hcloud.endpoint() + "'}\n");
    assertThat(HetznerInventory.fromConfig(byFile, n -> null).read().loadBalancers()).hasSize(1);
  }

  private static io.fabric8.kubernetes.api.model.Service lb(String ns, String name, String uid) {
    return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).withUid(uid).endMetadata()
        .withNewSpec().withType("LoadBalancer").endSpec().build();
  }

  private static io.fabric8.kubernetes.api.model.PersistentVolume pv(String name, String handle) {
    return new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withNewCsi()
        .withDriver("csi.hetzner.cloud").withVolumeHandle(handle).endCsi().endSpec().build();
  }
}
