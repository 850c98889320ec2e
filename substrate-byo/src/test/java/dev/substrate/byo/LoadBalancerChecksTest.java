package dev.substrate.byo;

import dev.substrate.spi.checks.LoadBalancerChecks;
import static dev.substrate.byo.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadBalancerChecksTest {
  private static ClusterSnapshot services(Object... services) {
    return ClusterSnapshot.builder().addObjects(ResourceKind.SERVICES, List.of(services)).build();
  }

  @Test
  void passesWithNoLoadBalancerServices() {
    CheckResult r = Checks.run(LoadBalancerChecks.addresses("fix it"),
        services(service("default", "kubernetes", "ClusterIP", null)));
    assertThat(r.status()).isEqualTo(CheckStatus.PASS);
    assertThat(r.finding()).isEqualTo("no LoadBalancer Services");
  }

  @Test
  void passesWhenEveryLoadBalancerServiceHasAnAddress() {
    CheckResult r = Checks.run(LoadBalancerChecks.addresses("fix it"),
        services(service("ingress", "gateway", "LoadBalancer", "192.0.2.10")));
    assertThat(r.status()).isEqualTo(CheckStatus.PASS);
    assertThat(r.finding()).isEqualTo("1 LoadBalancer Service has an address");
  }

  @Test
  void failsNamingPendingServices() {
    CheckResult r = Checks.run(LoadBalancerChecks.addresses("fix it"), services(
        service("ingress", "gateway", "LoadBalancer", "192.0.2.10"),
        service("llm", "vllm", "LoadBalancer", null),
        service("llm", "api", "LoadBalancer", null)));
    assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(r.finding()).isEqualTo("2 of 3 LoadBalancer Services have no address yet: llm/api, llm/vllm");
    assertThat(r.remedy()).hasValue("fix it");
  }

  @Test
  void withoutAProviderPendingServicesWarn() {
    CheckResult r = Checks.run(LoadBalancerChecks.addressesWithoutProvider(),
        services(service("llm", "vllm", "LoadBalancer", null)));
    assertThat(r.status()).isEqualTo(CheckStatus.WARN);
    assertThat(r.finding()).startsWith("1 LoadBalancer Service will stay pending");
    assertThat(Checks.run(LoadBalancerChecks.addressesWithoutProvider(), services()).status())
        .isEqualTo(CheckStatus.PASS);
  }
}
