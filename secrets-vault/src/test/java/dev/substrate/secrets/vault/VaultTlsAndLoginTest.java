package dev.substrate.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.substrate.BackendException;
import dev.substrate.SecretStore.PutResult;
import dev.substrate.SecretValue;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.cloudfakes.TestTls;
import dev.substrate.cloudfakes.vault.FakeVault;
import dev.substrate.kubefake.OidcIssuer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The store's TLS trust (only the CA bundle) and its logins (Kubernetes auth, AppRole) against {@link FakeVault}. */
class VaultTlsAndLoginTest {
  private static final String VALUE = "lynx-93d0-LOGIN-SECRET";
  private static final String CA = TestTls.certificatePem();
  private static final OidcIssuer CLUSTER = OidcIssuer.create("https://kubernetes.default.svc.cluster.local");

  private static String trace(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** A CA from the JVM's own trust store: a real CA, but not the one that signed the fake's certificate. */
  private static String otherCa() throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    for (var tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x && x.getAcceptedIssuers().length > 0) {
        X509Certificate c = x.getAcceptedIssuers()[0];
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n";
      }
    }
    throw new IllegalStateException("the JVM trusts no CA");
  }

  @Nested
  class Tls {
    @Test
    void trustsOnlyTheCaBundleAndSaysSoWhenVaultsCertificateIsSignedByAnother() throws Exception {
      try (FakeVault vault = FakeVault.start()) {
        VaultSecretStore trusting = VaultSecretStore.builder().address(vault.url()).caBundle(CA)
            .token(vault::token).build();
        assertThat(trusting.put("db", SecretValue.of(VALUE))).isEqualTo(PutResult.CREATED);

        VaultSecretStore wrongCa = VaultSecretStore.builder().address(vault.url()).caBundle(otherCa())
            .token(vault::token).build();
        BackendException e = catchThrowableOfType(BackendException.class, () -> wrongCa.get("db"));
        assertThat(e).hasMessage("vault: get 'db' failed: Vault at " + vault.url() + " failed the TLS handshake: its "
            + "certificate is not signed by a CA of the CA bundle (vault.ca_bundle), or does not name the host");
        assertThat(e.isTransient()).isFalse();
        assertThat(trace(e)).doesNotContain(vault.token()).doesNotContain(VALUE);

        VaultSecretStore jvmDefaults = VaultSecretStore.builder().address(vault.url()).token(vault::token).build();
        assertThat(catchThrowableOfType(BackendException.class, () -> jvmDefaults.list()))
            .hasMessageContaining("not trusted by the JVM's default trust store; set vault.ca_bundle");
        assertThat(vault.journal().requests()).extracting(Journal.Request::toString)
            .containsExactly("GET /v1/secret/data/db -> 404", "POST /v1/secret/data/db -> 200");
      }
    }

    @Test
    void refusesABundleWithoutACertificate() {
      assertThatThrownBy(() -> VaultSecretStore.builder().caBundle("not a certificate"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the CA bundle holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
  }

  @Nested
  class KubernetesLogin {
    private FakeVault vault(Clock clock) {
      return FakeVault.builder().clock(clock).tokenTtl(Duration.ofMinutes(10))
          .kubernetesRole("seeder", CLUSTER.jwksJson(), List.of("seeder"), List.of("platform"), "vault").start();
    }

    @Test
    void logsInWithTheServiceAccountTokenOnceAndAgainWhenTheLeaseIsNearlyOver() {
      AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
      Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };
      try (FakeVault vault = vault(clock)) {
        String jwt = CLUSTER.mint("platform", "seeder", List.of("vault"), now.get(), Duration.ofHours(1));
        VaultSecretStore store = VaultSecretStore.builder().address(vault.url()).caBundle(CA).clock(clock)
            .kubernetesLogin("kubernetes", "seeder", () -> jwt).build();

        store.put("a", SecretValue.of(VALUE));
        store.get("a");
        now.set(now.get().plus(Duration.ofMinutes(9)).plusSeconds(1));
        assertThat(store.get("a").orElseThrow().reveal()).isEqualTo(VALUE);

        assertThat(vault.logins()).containsExactly("kubernetes:seeder", "kubernetes:seeder");
        assertThat(vault.journal().requests()).extracting(Journal.Request::toString).containsExactly(
            "POST /v1/auth/kubernetes/login -> 200", "GET /v1/secret/data/a -> 404", "POST /v1/secret/data/a -> 200",
            "GET /v1/secret/data/a -> 200", "POST /v1/auth/kubernetes/login -> 200", "GET /v1/secret/data/a -> 200");
        assertThat(store).hasToString("VaultSecretStore[" + vault.url() + ", mount secret, kubernetes login as "
            + "seeder]");
      }
    }

    @Test
    void aServiceAccountTheRoleDoesNotBindIsRefusedWithAHintAndWithoutTheToken() {
      try (FakeVault vault = vault(Clock.systemUTC())) {
        String jwt = CLUSTER.mint("platform", "intruder", List.of("vault"), Duration.ofHours(1));
        VaultSecretStore store = VaultSecretStore.builder().address(vault.url()).caBundle(CA)
            .kubernetesLogin("kubernetes", "seeder", () -> jwt).build();

        BackendException e = catchThrowableOfType(BackendException.class, () -> store.put("a", SecretValue.of(VALUE)));

        assertThat(e).hasMessage("vault: put 'a' failed (status 403): kubernetes login at auth/kubernetes as role "
            + "seeder failed: service account name not authorized (does the role bind this ServiceAccount and "
            + "namespace, and does Vault trust the cluster's tokens?)");
        assertThat(trace(e)).doesNotContain(jwt).doesNotContain(VALUE);
        assertThat(vault.logins()).isEmpty();
        assertThat(vault.versions("a")).isZero();
      }
    }

    @Test
    void aTokenForAnotherAudienceOrFromAnotherIssuerIsRefused() {
      try (FakeVault vault = vault(Clock.systemUTC())) {
        String wrongAudience = CLUSTER.mint("platform", "seeder", List.of("sts.amazonaws.com"), Duration.ofHours(1));
        OidcIssuer other = OidcIssuer.create("https://other.example");
        other.rotateKey();
        String otherCluster = other.mint("platform", "seeder", List.of("vault"), Duration.ofHours(1));
        for (String jwt : List.of(wrongAudience, otherCluster)) {
          VaultSecretStore store = VaultSecretStore.builder().address(vault.url()).caBundle(CA)
              .kubernetesLogin("kubernetes", "seeder", () -> jwt).build();
          assertThat(catchThrowableOfType(BackendException.class, store::list).status()).hasValue(403);
        }
        assertThat(vault.logins()).isEmpty();
      }
    }
  }

  @Nested
  class AppRoleLogin {
    @Test
    void logsInWithRoleIdAndSecretIdAndNeverShowsTheSecretId() {
      String roleId = "5e2f6c1a-role";
      String secretId = "b7a9c2d4-SECRET-ID-e81f";
      try (FakeVault vault = FakeVault.builder().appRoleMount("approle-ci").appRole("seeder", roleId, secretId)
          .start()) {
        VaultSecretStore store = VaultSecretStore.builder().address(vault.url()).caBundle(CA)
            .appRoleLogin("approle-ci", () -> roleId, () -> secretId).build();
        assertThat(store.put("db", SecretValue.of(VALUE))).isEqualTo(PutResult.CREATED);
        assertThat(vault.logins()).containsExactly("approle:seeder");

        VaultSecretStore stale = VaultSecretStore.builder().address(vault.url()).caBundle(CA)
            .appRoleLogin("approle-ci", () -> roleId, () -> "stale-" + secretId).build();
        vault.answerNext(400, "invalid secret id stale-" + secretId);
        BackendException e = catchThrowableOfType(BackendException.class, () -> stale.get("db"));
        assertThat(e).hasMessage("vault: get 'db' failed (status 400): approle login at auth/approle-ci failed: "
            + "invalid secret id <redacted> (are the role_id and secret_id current?)");
        assertThat(trace(e)).doesNotContain(secretId);
        assertThat(vault.journal().requests()).extracting(Journal.Request::toString)
            .contains("POST /v1/auth/approle-ci/login -> 200", "POST /v1/auth/approle-ci/login -> 400");
      }
    }
  }
}
