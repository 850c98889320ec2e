package dev.substrate.hetzner;

import static dev.substrate.hetzner.HetznerFixtures.byId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.Report;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.cloudfakes.hetzner.FakeHetznerCloud;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks that read the Hetzner Cloud project, against the embedded Hetzner cluster and a fake project. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HcloudInventoryChecksTest {
  private static final String LBS = "lb.hcloud.inventory";
  private static final String VOLUMES = "storage.hcloud.unbound-volumes";
  /** Secrets in the cluster itself, so that no check but these two reaches outside it. */
  private static final String SUBSTRATE = "substrate: {id: hetzner}\nsecret_backend: kubernetes\n";

  @TempDir Path dir;
  private EmbeddedCluster cluster;
  private FakeHetznerCloud hcloud;

  @BeforeEach
  void start() {
    cluster = EmbeddedCluster.start(ClusterPreset.HETZNER);
    cluster.client().persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("pvc-data")
        .endMetadata().withNewSpec().addToCapacity("storage", new Quantity("20Gi")).withNewCsi()
        .withDriver("csi.hetzner.cloud").withVolumeHandle("4242").endCsi().endSpec().build()).create();
    hcloud = FakeHetznerCloud.mirroring(cluster.client());
  }

  @AfterEach
  void stop() {
    hcloud.close();
    cluster.close();
  }

  private Substrate hetzner(String token, String more) throws IOException {
    Path file = Files.writeString(dir.resolve("hcloud-token"), token + "\n");
    return Substrates.create(SubstrateConfig.parse(SUBSTRATE + "hetzner: {token_file: '" + file + "', endpoint: '"
        + hcloud.endpoint() + "'" + more + "}\n"));
  }

  private Report doctor(Substrate substrate) {
    return substrate.doctor(cluster.client());
  }

  @Test
  void a_project_that_matches_the_cluster_passes_and_both_checks_share_one_read() throws IOException {
    Report report = doctor(hetzner(hcloud.token(), ""));

    CheckResult lbs = byId(report).get(LBS);
    assertThat(lbs.status()).as(report.toText()).isEqualTo(CheckStatus.PASS);
    assertThat(lbs.finding()).contains("ingress-nginx/ingress-nginx-controller → k3s-ingress");
    CheckResult volumes = byId(report).get(VOLUMES);
    assertThat(volumes.status()).as(report.toText()).isEqualTo(CheckStatus.PASS);
    assertThat(volumes.finding()).isEqualTo("the project's one volume backs a PersistentVolume");

    assertThat(hcloud.journal().requests()).extracting(Journal.Request::path)
        .containsExactly("/v1/servers", "/v1/volumes", "/v1/load_balancers");
    assertThat(report.otherApiRequests()).containsExactly(Map.entry("hcloud", hcloud.journal().size()));
    assertThat(report.toText()).contains("hcloud API: 3 requests");
    assertThat(report.toText() + report.toJson()).doesNotContain(hcloud.token());
  }

  @Test
  void a_service_without_its_load_balancer_fails_naming_it_and_names_stale_load_balancers_too() throws IOException {
    cluster.client().services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web")
        .endMetadata().withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).endPort().endSpec().build())
        .create();
    hcloud.addLoadBalancer(77, "old-api", "lb11", "fsn1", "198.51.100.7",
        Map.of("hcloud-ccm/service-uid", "00000000-dead-beef-0000-000000000077"));

    Report report = doctor(hetzner(hcloud.token(), ""));

    CheckResult r = byId(report).get(LBS);
    assertThat(r.status()).as(report.toText()).isEqualTo(CheckStatus.FAIL);
    assertThat(r.finding()).startsWith("1 of 2 LoadBalancer Services have no hcloud load balancer labelled "
        + "hcloud-ccm/service-uid=<its UID>: default/web;").contains("old-api (id 77)");
    assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).startsWith("kubectl -n default describe service web"));
    assertThat(report.otherApiRequests()).containsExactly(Map.entry("hcloud", hcloud.journal().size()));
  }

  @Test
  void a_load_balancer_whose_service_is_gone_is_a_warning() throws IOException {
    hcloud.addLoadBalancer(77, "old-api", "lb11", "fsn1", "198.51.100.7",
        Map.of("hcloud-ccm/service-uid", "00000000-dead-beef-0000-000000000077"));
    hcloud.addLoadBalancer(78, "made-by-hand", "lb11", "fsn1", "198.51.100.8", Map.of());

    CheckResult r = byId(doctor(hetzner(hcloud.token(), ""))).get(LBS);

    assertThat(r.status()).isEqualTo(CheckStatus.WARN);
    assertThat(r.finding()).isEqualTo("1 hcloud load balancer was made by the CCM for a Service that no longer exists: "
        + "old-api (id 77) (its hcloud-ccm/service-uid matches no LoadBalancer Service)");
    assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).contains("hcloud load-balancer delete old-api"));
  }

  @Test
  void volumes_that_back_no_persistent_volume_are_a_warning_listing_them() throws IOException {
    long server = cluster.client().nodes().list().getItems().stream().map(n -> n.getSpec().getProviderID())
        .filter(p -> p.startsWith("hcloud://")).map(p -> Long.parseLong(p.substring(9))).findFirst().orElseThrow();
    String serverName = cluster.client().nodes().list().getItems().stream()
        .filter(n -> n.getSpec().getProviderID().equals("hcloud://" + server)).findFirst().orElseThrow()
        .getMetadata().getName();
    hcloud.addVolume(5, "pvc-gone", 10, "fsn1", null, Map.of());
    hcloud.addVolume(6, "scratch", 20, "fsn1", server, Map.of());

    CheckResult r = byId(doctor(hetzner(hcloud.token(), ""))).get(VOLUMES);

    assertThat(r.status()).isEqualTo(CheckStatus.WARN);
    assertThat(r.finding()).isEqualTo("2 of the project's 3 volumes back no PersistentVolume and cost money all the "
        + "same: pvc-gone (id 5, detached), scratch (id 6, attached to " + serverName + ")");
    assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).contains("hcloud volume delete pvc-gone"));
  }

  @Test
  void every_page_is_read_and_counted() throws IOException {
    for (int i = 1; i <= 120; i++) {
      hcloud.addVolume(10_000 + i, "pvc-" + i, 10, "fsn1", null, Map.of());
    }

    Report report = doctor(hetzner(hcloud.token(), ""));

    assertThat(byId(report).get(VOLUMES).finding()).startsWith("120 of the project's 121 volumes back no");
    // The first page tells how many there are; the others are fetched side by side, in any order.
    List<String> requests = hcloud.journal().requests().stream().map(Journal.Request::toString).toList();
    assertThat(requests).containsExactlyInAnyOrder(
        "GET /v1/servers?per_page=50&page=1 -> 200", "GET /v1/volumes?per_page=50&page=1 -> 200",
        "GET /v1/volumes?per_page=50&page=2 -> 200", "GET /v1/volumes?per_page=50&page=3 -> 200",
        "GET /v1/load_balancers?per_page=50&page=1 -> 200");
    assertThat(requests.indexOf("GET /v1/volumes?per_page=50&page=1 -> 200"))
        .isLessThan(requests.indexOf("GET /v1/volumes?per_page=50&page=2 -> 200"))
        .isLessThan(requests.indexOf("GET /v1/volumes?per_page=50&page=3 -> 200"));
    assertThat(report.otherApiRequests()).containsExactly(Map.entry("hcloud", 5));
  }

  @Test
  void without_a_token_both_checks_skip_saying_how_to_enable_them() {
    Report report = doctor(Substrates.create(SubstrateConfig.parse(
        SUBSTRATE + "hetzner: {token_env: SUBSTRATE_TEST_NO_SUCH_TOKEN}\n")));

    for (String id : new String[] {LBS, VOLUMES}) {
      CheckResult r = byId(report).get(id);
      assertThat(r.status()).as(report.toText()).isEqualTo(CheckStatus.SKIP);
      assertThat(r.finding()).isEqualTo("not checked: no Hetzner Cloud API token (SUBSTRATE_TEST_NO_SUCH_TOKEN is not "
          + "set and hetzner.token_file names no file)");
      assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).contains("set HCLOUD_TOKEN")
          .contains("hetzner.token_file"));
    }
    assertThat(report.otherApiRequests()).isEmpty();
    assertThat(hcloud.journal().size()).isZero();
  }

  @Test
  void a_rejected_token_is_a_warning_with_the_remedy() throws IOException {
    Report report = doctor(hetzner("not-the-project-token", ""));

    for (String id : new String[] {LBS, VOLUMES}) {
      CheckResult r = byId(report).get(id);
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.finding()).isEqualTo("could not check: hetzner: list servers failed (status 401): the Hetzner "
          + "Cloud API answered unauthorized");
      assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).startsWith("check the token in hetzner.token_file"));
    }
    assertThat(report.otherApiRequests()).containsExactly(Map.entry("hcloud", 1));
    assertThat(hcloud.journal().size()).isEqualTo(1);
    assertThat(report.toText()).doesNotContain("not-the-project-token");
  }

  @Test
  void a_rate_limit_that_resets_beyond_the_bound_is_a_warning_with_the_remedy() throws IOException {
    hcloud.rateLimit(3600, 0, Instant.now().plusSeconds(3000));

    Report report = doctor(hetzner(hcloud.token(), ", max_rate_limit_wait: 5"));

    CheckResult r = byId(report).get(LBS);
    assertThat(r.status()).isEqualTo(CheckStatus.WARN);
    assertThat(r.finding()).startsWith("could not check: hetzner: list servers failed (status 429): the Hetzner Cloud "
        + "API answered rate_limit_exceeded");
    assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).contains("hetzner.max_rate_limit_wait (now 5s)"));
    assertThat(report.otherApiRequests()).containsExactly(Map.entry("hcloud", hcloud.journal().size()));
    assertThat(report.toText() + report.toJson()).doesNotContain(hcloud.token());
  }

  @Test
  void a_rate_limit_that_resets_within_the_bound_is_waited_for_and_the_retry_counted() throws IOException {
    // the reset is a whole epoch second: 2 s ahead leaves the first request at least 1 s to be answered 429
    hcloud.rateLimit(3600, 0, Instant.now().plusSeconds(2));

    Report report = doctor(hetzner(hcloud.token(), ", max_rate_limit_wait: 10"));

    assertThat(byId(report).get(LBS).status()).as(report.toText()).isEqualTo(CheckStatus.PASS);
    assertThat(hcloud.journal().requests()).extracting(Journal.Request::status).containsExactly(429, 200, 200, 200);
    assertThat(report.otherApiRequests()).containsExactly(Map.entry("hcloud", 4));
  }
}
