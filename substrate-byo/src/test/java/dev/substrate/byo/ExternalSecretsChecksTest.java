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
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  @Nested
  class Version {
    private final Check wif = ExternalSecretsChecks.version("v0.20.2", "workloadIdentityFederation with serviceAccountRef");

    private ClusterSnapshot eso(String image, String versionLabel) {
      Map<String, String> labels = new HashMap<>(Map.of("app.kubernetes.io/name", "external-secrets"));
      if (versionLabel != null) {
        labels.put("app.kubernetes.io/version", versionLabel);
      }
      Deployment controller = new DeploymentBuilder().withNewMetadata().withName("external-secrets")
          .withNamespace("external-secrets").withLabels(labels).endMetadata().withNewSpec().withNewTemplate().withNewSpec().addNewContainer()
          .withName("external-secrets").withImage(image).endContainer().endSpec().endTemplate().endSpec().build();
      Deployment webhook = new DeploymentBuilder().withNewMetadata().withName("external-secrets-webhook")
          .withNamespace("external-secrets").addToLabels("app.kubernetes.io/name", "external-secrets-webhook")
          .endMetadata().withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("webhook")
          .withImage("ghcr.io/external-secrets/external-secrets:v9.9.9").endContainer().endSpec().endTemplate()
          .endSpec().build();
      return ClusterSnapshot.builder().addObjects(ResourceKind.DEPLOYMENTS, List.of(webhook, controller)).build();
    }

    @Test
    void anOlderControllerFailsNamingTheFeatureAndTheRelease() {
      CheckResult r = Checks.run(wif, eso("ghcr.io/external-secrets/external-secrets:v0.20.1", "v0.20.1"));
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("runs v0.20.1").contains("workloadIdentityFederation with serviceAccountRef")
          .contains("needs v0.20.2 or newer");
      assertThat(r.remedy()).hasValueSatisfying(x -> assertThat(x).contains("--version 0.20.2"));
    }

    @Test
    void theImageTagWinsOverTheChartsLabel() {
      assertThat(Checks.run(wif, eso("ghcr.io/external-secrets/external-secrets:v2.9.0-ubi", "v0.16.2")).status())
          .isEqualTo(CheckStatus.PASS);
      assertThat(Checks.run(wif, eso("ghcr.io/external-secrets/external-secrets:v0.16.2", "v2.9.0")).status())
          .isEqualTo(CheckStatus.FAIL);
      assertThat(Checks.run(wif, eso("ghcr.io/external-secrets/external-secrets:v0.20.2@sha256:abc", null)).status())
          .isEqualTo(CheckStatus.PASS);
    }

    @Test
    void anUnknownVersionWarns() {
      CheckResult latest = Checks.run(wif, eso("ghcr.io/external-secrets/external-secrets:latest", null));
      assertThat(latest.status()).isEqualTo(CheckStatus.WARN);
      assertThat(latest.finding()).contains("unknown ('latest')").contains("needs v0.20.2");
      assertThat(Checks.run(wif, eso("registry.local/mirror/eso@sha256:abc", "v2.0.0")).status())
          .as("no tag: the label decides").isEqualTo(CheckStatus.PASS);
      assertThat(Checks.run(wif, ClusterSnapshot.builder().addObjects(ResourceKind.DEPLOYMENTS, List.of()).build())
          .status()).isEqualTo(CheckStatus.WARN);
    }
  }
}
