package dev.substrate.hetzner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ConfigException;
import dev.substrate.LoadBalancerIntent.HealthCheck;
import dev.substrate.LoadBalancerIntent;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.spi.SubstrateProvider;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class HetznerProvidersTest {
  @Test
  void everyHetznerProviderIsFoundByItsId() {
    var ids = Substrates.availableIds();
    assertThat(ids.get("substrate")).contains("hetzner");
    assertThat(ids.get("storage")).contains("hcloud-volumes");
    assertThat(ids.get("load_balancer")).contains("hcloud");
  }

  @Test
  void theHetznerSubstrateUsesItsDefaults() {
    Substrate hetzner = Substrates.create(SubstrateConfig.parse("substrate: {id: hetzner}"));
    assertThat(hetzner.gpuStack().id()).isEqualTo("operator");
    assertThat(hetzner.storage().provisioner()).contains("csi.hetzner.cloud");
    assertThat(hetzner.storage().defaultClassName()).contains("hcloud-volumes");
    assertThat(hetzner.capability(CapabilityIds.STORAGE_RWX).orElseThrow().state())
        .isEqualTo(CapabilityState.UNSUPPORTED);
    assertThat(hetzner.capability(CapabilityIds.STORAGE_SNAPSHOTS).orElseThrow().state())
        .isEqualTo(CapabilityState.UNSUPPORTED);
    assertThat(hetzner.config().secretStoreAuth()).hasValueSatisfying(a -> assertThat(a.id()).isEqualTo("wif"));
  }

  @Test
  void aLoadBalancerIntentBecomesCcmAnnotations() {
    Substrate hetzner = Substrates.create(SubstrateConfig.parse("substrate: {id: hetzner}"));
    var annotations = hetzner.loadBalancer().serviceAnnotations(LoadBalancerIntent.builder()
        .exposure(LoadBalancerIntent.Exposure.INTERNAL).location("fsn1").lbType("lb11").build());
    assertThat(annotations)
        .containsEntry("load-balancer.hetzner.cloud/location", "fsn1")
        .containsEntry("load-balancer.hetzner.cloud/type", "lb11")
        .containsEntry("load-balancer.hetzner.cloud/disable-public-network", "true")
        .containsEntry("load-balancer.hetzner.cloud/use-private-ip", "true");
  }

  @Test
  void aHealthCheckBecomesTheCcmsAnnotationsWithGoDurations() {
    Substrate hetzner = Substrates.create(SubstrateConfig.parse("substrate: {id: hetzner}"));
    var annotations = hetzner.loadBalancer().serviceAnnotations(LoadBalancerIntent.builder().location("fsn1")
        .healthCheck(HealthCheck.builder().protocol(HealthCheck.Protocol.HTTP).port(10254).httpPath("/healthz")
            .interval(Duration.ofSeconds(90)).timeout(Duration.ofSeconds(15)).retries(3).build()).build());
    assertThat(annotations).containsExactly(
        entry("load-balancer.hetzner.cloud/location", "fsn1"),
        entry("load-balancer.hetzner.cloud/health-check-protocol", "http"),
        entry("load-balancer.hetzner.cloud/health-check-port", "10254"),
        entry("load-balancer.hetzner.cloud/health-check-interval", "1m30s"),
        entry("load-balancer.hetzner.cloud/health-check-timeout", "15s"),
        entry("load-balancer.hetzner.cloud/health-check-retries", "3"),
        entry("load-balancer.hetzner.cloud/health-check-http-path", "/healthz"));
    assertThat(hetzner.loadBalancer().serviceAnnotations(LoadBalancerIntent.builder()
        .healthCheck(HealthCheck.builder().interval(Duration.ofHours(1)).build()).build())).containsExactly(
        entry("load-balancer.hetzner.cloud/health-check-protocol", "tcp"),
        entry("load-balancer.hetzner.cloud/health-check-interval", "1h0m0s"));
    assertThat(hetzner.capability(CapabilityIds.LB_HEALTH_CHECK).orElseThrow().state())
        .isEqualTo(CapabilityState.SUPPORTED);
  }

  @Test
  void aHealthCheckFromConfigIsRenderedAndFractionsOfASecondAreRefused() {
    Substrate hetzner = Substrates.create(SubstrateConfig.parse("substrate: {id: hetzner}\n"
        + "load_balancer: {health_check: {interval: 15s, timeout: 10}}"));
    assertThat(hetzner.loadBalancer().serviceAnnotations(hetzner.config().loadBalancer().intent()))
        .containsEntry("load-balancer.hetzner.cloud/health-check-interval", "15s")
        .containsEntry("load-balancer.hetzner.cloud/health-check-timeout", "10s");

    assertThatThrownBy(() -> Substrates.create(SubstrateConfig.parse("substrate: {id: hetzner}\n"
        + "load_balancer: {health_check: {interval: 1500ms}}"))).isInstanceOf(ConfigException.class)
        .hasMessage("load_balancer.health_check.interval was '1.5s' but must be whole seconds on hcloud (the Hetzner "
            + "API keeps health-check times in seconds)");
    assertThatThrownBy(() -> hetzner.loadBalancer().serviceAnnotations(LoadBalancerIntent.builder()
        .healthCheck(HealthCheck.builder().timeout(Duration.ofMillis(500)).build()).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("healthCheck.timeout was '500ms'");
  }

  @Test
  void theHetznerSectionIsValidatedWithEveryProblemAtOnce() {
    assertThatThrownBy(() -> Substrates.create(SubstrateConfig.parse("substrate: {id: hetzner}\n"
        + "hetzner: {token: abc, token_env: 'A B', max_rate_limit_wait: -1, endpoint: ftp://x, parallelism: 0}")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "hetzner.token is not a known key (known: token_env, token_file, endpoint, max_rate_limit_wait, "
                + "parallelism); did you mean 'token_env'?",
            "hetzner.token_env is not the name of an environment variable (its value is not shown): it must name a "
                + "variable such as HCLOUD_TOKEN",
            "hetzner.endpoint is not an http(s) URL (its value is not shown, as it may hold a token): it must be one "
                + "such as https://api.hetzner.cloud/v1",
            "hetzner.max_rate_limit_wait was '-1' but must be a whole number of seconds from 0 to 3600",
            "hetzner.parallelism was '0' but must be a whole number from 1 to 32"));
  }

  @Test
  void aTokenPastedWhereItsLocationBelongsIsNeverEchoed() {
    String token = "jEheVytlAoFl7F8MqUQ7jAo2hOXASztX8ZzTgaXqjEheVytlAoFl7F8MqUQ7jAo2";
    for (String key : List.of("token_env", "token_file")) {
      assertThatThrownBy(() -> Substrates.create(SubstrateConfig.parse("substrate: {id: hetzner}\n"
          + "hetzner: {" + key + ": " + token + "}")))
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
              .startsWith("hetzner." + key + " looks like a token, not ")
              .contains(key.equals("token_env") ? "must name a variable such as HCLOUD_TOKEN" : "must name a file")
              .doesNotContain(token.substring(0, 12)));
    }
    assertThat(Substrates.create(SubstrateConfig.parse("substrate: {id: hetzner}\n"
        + "hetzner: {token_env: HCLOUD_TOKEN_FOR_THE_PRODUCTION_PROJECT}")).id()).isEqualTo("hetzner");
  }

  @Test
  void anEndpointWithCredentialsIsRefusedWithoutEchoingThem() {
    for (String endpoint : List.of("https://user:s3cr3t@api.example.com/v1", "https://api.example.com/v1?token=s3cr3t")) {
      assertThatThrownBy(() -> Substrates.create(SubstrateConfig.parse("substrate: {id: hetzner}\n"
          + "hetzner: {endpoint: '" + endpoint + "'}")))
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
              .startsWith("hetzner.endpoint holds user info or a query").doesNotContain("s3cr3t"));
    }
    assertThat(dev.substrate.spi.Redaction.url("https://u:p@h:8443/v1?token=x#f")).isEqualTo("https://h:8443/v1");
  }

  @Test
  void cloudAndRobotNodesAreRecognised() {
    SubstrateProvider hetzner = ServiceLoader.load(SubstrateProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.id().equals("hetzner")).findFirst().orElseThrow();
    ClusterSnapshot mixed = ClusterSnapshot.builder().addObjects(ResourceKind.NODES,
        List.of(node("cpx41-1", "hcloud://4711"), node("gex44-1", "hrobot://2345678"))).build();
    assertThat(hetzner.detect(mixed)).hasValueSatisfying(d -> {
      assertThat(d.score()).isEqualTo(90);
      assertThat(d.evidence()).contains("1 hcloud://").contains("1 hrobot://");
    });
    ClusterSnapshot gke = ClusterSnapshot.builder().addObjects(ResourceKind.NODES,
        List.of(node("gke-1", "gce://p/z/gke-1"))).build();
    assertThat(hetzner.detect(gke)).isEmpty();
  }

  private static Node node(String name, String providerId) {
    return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withProviderID(providerId).endSpec().build();
  }
}
