package dev.substrate.byo;

import dev.substrate.spi.checks.ExternalSecretsChecks;
import static dev.substrate.byo.Fixtures.crd;
import static dev.substrate.byo.Fixtures.secretStore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Check;
import dev.substrate.testkit.InMemorySecretBackend;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ExternalSecretsChecksTest {
  @Test
  void everyBackendGetsTheThreeChecks() {
    assertThat(ExternalSecretsChecks.forBackend(new InMemorySecretBackend()).stream().map(Check::id))
        .containsExactly("eso.crds", "eso.store-ready", "secrets.long-lived-credentials");
  }

  @Nested
  class Crds {
    @Test
    void passesWhenBothCrdsServeV1() {
      CheckResult r = Checks.run(ExternalSecretsChecks.crds(), crds(
          crd("clustersecretstores.external-secrets.io", "v1", "v1beta1"),
          crd("externalsecrets.external-secrets.io", "v1", "v1beta1"),
          crd("clusterpolicies.nvidia.com", "v1")));
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void failsWhenACrdIsMissing() {
      CheckResult r = Checks.run(ExternalSecretsChecks.crds(), crds(crd("externalsecrets.external-secrets.io", "v1")));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("clustersecretstores.external-secrets.io is missing");
      assertThat(r.remedy()).hasValueSatisfying(m -> assertThat(m).contains("v0.16").contains("https://charts.external-secrets.io"));
    }

    @Test
    void failsWhenEsoIsTooOldToServeV1() {
      CheckResult r = Checks.run(ExternalSecretsChecks.crds(), crds(
          crd("clustersecretstores.external-secrets.io", "v1beta1"),
          crd("externalsecrets.external-secrets.io", "v1beta1")));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("older than v0.16");
    }

    private ClusterSnapshot crds(Object... crds) {
      return ClusterSnapshot.builder().addObjects(ResourceKind.CUSTOM_RESOURCE_DEFINITIONS, List.of(crds)).build();
    }
  }

  @Nested
  class StoreReady {
    private final Check check = ExternalSecretsChecks.storeReady(Optional.of("kubernetes"));

    @Test
    void passesWhenReadyAndValid() {
      CheckResult r = Checks.run(check, stores(secretStore("secret-store", "kubernetes", "True", "Valid", "store validated")));
      assertThat(r.status()).isEqualTo(CheckStatus.PASS);
      assertThat(r.finding()).isEqualTo("ClusterSecretStore secret-store is Ready (Valid)");
    }

    @Test
    void warnsWhenReadyButValidationUnknown() {
      CheckResult r = Checks.run(check, stores(secretStore("secret-store", "kubernetes", "True", "ValidationUnknown",
          "could not determine validation status")));
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.finding()).contains("ValidationUnknown");
    }

    @Test
    void failsWithReasonAndMessageWhenNotReady() {
      CheckResult r = Checks.run(check, stores(secretStore("secret-store", "kubernetes", "False", "InvalidProviderConfig",
          "unable to create client")));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).isEqualTo(
          "ClusterSecretStore secret-store is not Ready: InvalidProviderConfig: unable to create client");
    }

    @Test
    void failsWhenTheStoreIsAbsent() {
      CheckResult r = Checks.run(check, stores(secretStore("another-store", "kubernetes", "True", "Valid", "")));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).isEqualTo("ClusterSecretStore secret-store does not exist");
      assertThat(r.remedy()).hasValueSatisfying(m -> assertThat(m).startsWith("render and apply it"));
    }

    @Test
    void failsPointingAtEsoCrdsWhenTheKindIsNotServed() {
      ClusterSnapshot s = ClusterSnapshot.builder()
          .unread(ResourceKind.CLUSTER_SECRET_STORES, ClusterSnapshot.ReadState.ABSENT, "not served").build();
      CheckResult r = Checks.run(check, s);
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.remedy()).hasValueSatisfying(m -> assertThat(m).startsWith("see eso.crds"));
    }

    @Test
    void failsWhenTheLiveStoreUsesAnotherProvider() {
      CheckResult r = Checks.run(check, stores(secretStore("secret-store", "gcpsm", "True", "Valid", "")));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("uses ESO provider gcpsm").contains("renders provider kubernetes");
    }

    private ClusterSnapshot stores(Object... stores) {
      return ClusterSnapshot.builder().addObjects(ResourceKind.CLUSTER_SECRET_STORES, List.of(stores)).build();
    }
  }

  @Nested
  class LongLived {
    @Test
    void passesWithNoLongLivedCredential() {
      Check check = ExternalSecretsChecks.longLived(TestSecretBackend.withLongLived(0));
      assertThat(check.reads()).isEmpty();
      assertThat(Checks.run(check, ClusterSnapshot.builder().build()).status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void warnsWithTheCountAndWhatTheCredentialIs() {
      CheckResult r = Checks.run(ExternalSecretsChecks.longLived(TestSecretBackend.withLongLived(1)),
          ClusterSnapshot.builder().build());
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.finding()).isEqualTo("1 long-lived credential (service-account key)");
      assertThat(r.remedy()).hasValue("use workload identity or wif");
    }

    @Test
    void failsInProdUnlessTheConfigAllowsIt() {
      CheckResult prod = Checks.run(ExternalSecretsChecks.longLived(TestSecretBackend.withLongLived(1),
          dev.substrate.SubstrateConfig.parse("profile: prod")), ClusterSnapshot.builder().build());
      assertThat(prod.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(prod.finding()).isEqualTo("1 long-lived credential (service-account key); profile prod allows none");
      assertThat(prod.remedy()).hasValue(
          "use workload identity or wif; or accept the risk with secrets.allow_long_lived_credentials: true");

      CheckResult allowed = Checks.run(ExternalSecretsChecks.longLived(TestSecretBackend.withLongLived(1),
          dev.substrate.SubstrateConfig.parse("profile: prod\nsecrets: {allow_long_lived_credentials: true}")),
          ClusterSnapshot.builder().build());
      assertThat(allowed.status()).isEqualTo(CheckStatus.WARN);
    }

    @Test
    void warnsWhenTheBackendDoesNotDeclareACount() {
      CheckResult r = Checks.run(ExternalSecretsChecks.longLived(new TestSecretBackend(List.of())),
          ClusterSnapshot.builder().build());
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.finding()).contains("does not say how many");
    }
  }
}
