package dev.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.substrate.LoadBalancerIntent.HealthCheck;
import dev.substrate.LoadBalancerIntent.HealthCheck.Protocol;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadBalancerIntentTest {
  @Test
  void aHealthCheckLeavesWhatIsUnsetToTheSubstrate() {
    HealthCheck hc = HealthCheck.builder().build();
    assertThat(hc.protocol()).isEqualTo(Protocol.TCP);
    assertThat(hc.port()).isEmpty();
    assertThat(hc.interval()).isEmpty();
    assertThat(hc.retries()).isEmpty();
    assertThat(LoadBalancerIntent.of(LoadBalancerIntent.Exposure.PUBLIC).healthCheck()).isEmpty();
  }

  @Test
  void invalidHealthCheckFieldsAreNamedWithTheirValue() {
    assertThatThrownBy(() -> HealthCheck.builder().interval(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthCheck.interval was 'PT0S' but must be positive");
    assertThatThrownBy(() -> HealthCheck.builder().timeout(Duration.ofSeconds(-5)).build())
        .hasMessage("healthCheck.timeout was 'PT-5S' but must be positive");
    assertThatThrownBy(() -> HealthCheck.builder().retries(0).build())
        .hasMessage("healthCheck.retries was '0' but must be at least 1");
    assertThatThrownBy(() -> HealthCheck.builder().port(70000).build())
        .hasMessage("healthCheck.port was '70000' but must be from 1 to 65535");
    assertThatThrownBy(() -> HealthCheck.builder().httpPath("/healthz").build())
        .hasMessage("healthCheck.httpPath was '/healthz' but must be empty unless protocol is http");
    assertThatThrownBy(() -> HealthCheck.builder().protocol(Protocol.HTTP).httpPath("healthz").build())
        .hasMessage("healthCheck.httpPath was 'healthz' but must be a path starting with /");
  }

  @Test
  void configDescribesAHealthCheckWithGoStyleOrWholeSecondDurations() {
    LoadBalancerIntent intent = SubstrateConfig.parse("load_balancer:\n"
        + "  health_check: {protocol: http, port: 10254, interval: 1m30s, timeout: 10, retries: 3, http_path: /healthz}\n")
        .loadBalancer().intent();
    assertThat(intent.healthCheck()).contains(HealthCheck.builder().protocol(Protocol.HTTP).port(10254)
        .interval(Duration.ofSeconds(90)).timeout(Duration.ofSeconds(10)).retries(3).httpPath("/healthz").build());
    assertThat(SubstrateConfig.parse("load_balancer: {health_check: {interval: 1h2m3s500ms}}").loadBalancer()
        .healthCheck().orElseThrow().interval()).contains(Duration.ofMillis(3_723_500));
  }

  @Test
  void configReportsEveryHealthCheckProblemByKey() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> SubstrateConfig.parse("load_balancer:\n"
        + "  health_check: {protocol: udp, port: 0, interval: 0s, timeout: soon, retries: 0, http_path: /x, "
        + "intervall: 5}\n"));
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "load_balancer.health_check.intervall is not a known key (known: protocol, port, interval, timeout, retries, "
            + "http_path); did you mean 'interval'?",
        "load_balancer.health_check.protocol was 'udp' but must be one of tcp, http",
        "load_balancer.health_check.port was '0' but must be a whole number from 1 to 65535",
        "load_balancer.health_check.interval was '0s' but must be a positive duration such as 15s, 1m30s or 500ms",
        "load_balancer.health_check.timeout was 'soon' but must be a positive duration such as 15s, 1m30s or 500ms",
        "load_balancer.health_check.retries was '0' but must be a whole number from 1 to 100",
        "load_balancer.health_check.http_path was '/x' but must be unset unless load_balancer.health_check.protocol "
            + "is http");
  }
}
