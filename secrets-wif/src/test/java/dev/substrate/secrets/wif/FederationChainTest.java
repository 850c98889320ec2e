package dev.substrate.secrets.wif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.http.javanet.ConnectionFactory;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import dev.substrate.BackendException;
import dev.substrate.SecretValue;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.cloudfakes.TestTls;
import dev.substrate.cloudfakes.google.FakeGoogleSts;
import dev.substrate.cloudfakes.google.FakeIamCredentials;
import dev.substrate.cloudfakes.google.FakeSecretManager;
import dev.substrate.kubefake.ApiRequest;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import dev.substrate.kubefake.OidcIssuer;
import dev.substrate.secrets.gcp.GcpSecretStore;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The whole keyless chain with nothing mocked in-process: the embedded Hetzner cluster's service-account issuer mints
 * a token through a real TokenRequest, google-auth-library exchanges it at the fake STS over HTTPS and impersonates the
 * service account at the fake IAM Credentials, and the Secret Manager client reads a secret with the access token
 * from a fake that accepts only that service account's tokens.
 */
@DisplayName("Workload identity federation, end to end")
class FederationChainTest {
  /** The Hetzner preset's pool provider (its ClusterSecretStore names it). */
  static final String AUDIENCE =
      "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/hetzner/providers/k3s-oidc";
  static final String PROJECT = "substrate-platform";
  static final String NAMESPACE = "external-secrets";
  static final String KSA = "external-secrets";
  static final String GSA = "external-secrets@substrate-platform.iam.gserviceaccount.com";
  static final String SUBJECT = "system:serviceaccount:external-secrets:external-secrets";

  EmbeddedCluster cluster;
  FakeGoogleSts sts;
  FakeIamCredentials iam;
  FakeSecretManager secretManager;
  /** Every URL google-auth-library connected to, as it asked for it. */
  final List<String> connections = new CopyOnWriteArrayList<>();
  HttpTransportFactory transport;

  @BeforeEach
  void start() throws GeneralSecurityException {
    cluster = EmbeddedCluster.start(ClusterPreset.HETZNER);
    sts = FakeGoogleSts.start();
    iam = FakeIamCredentials.start(sts);
    secretManager = FakeSecretManager.start();
    secretManager.trust(iam, GSA);
    secretManager.seed(PROJECT, "hf-token", SecretValue.of("hf_s3cr3t"));
    NetHttpTransport https = new NetHttpTransport.Builder().trustCertificates(TestTls.trustStore())
        .setConnectionFactory(new Routes()).build();
    transport = () -> https;
  }

  @AfterEach
  void stop() {
    secretManager.close();
    iam.close();
    sts.close();
    cluster.close();
  }

  /**
   * Connects google-auth-library's requests over real HTTPS: STS at its own URL (the token URL is configurable),
   * IAM Credentials' fixed {@code iamcredentials.googleapis.com} to the fake; anything else is refused, so nothing
   * leaves the machine.
   */
  final class Routes implements ConnectionFactory {
    @Override
    public HttpURLConnection openConnection(URL url) throws IOException {
      connections.add(url.toString());
      String target;
      if (url.getHost().equals("iamcredentials.googleapis.com")) {
        target = iam.url() + url.getFile();
      } else if (url.toString().startsWith(sts.url())) {
        target = url.toString();
      } else {
        throw new IOException("no route to " + url.getHost() + " in this test");
      }
      return (HttpURLConnection) URI.create(target).toURL().openConnection();
    }
  }

  void trustTheClusterWithAnUploadedJwks() {
    sts.provider(AUDIENCE).issuer(cluster.oidc().issuer()).jwks(cluster.oidc().jwksJson()).add();
  }

  FederatedCredentials credentials(String tokenAudience) {
    return FederatedCredentials.builder()
        .audience(AUDIENCE)
        .serviceAccountEmail(GSA)
        .subjectTokenSupplier(new TokenRequestSubjectToken(cluster.client(), NAMESPACE, KSA, tokenAudience,
            Duration.ofHours(1)))
        .tokenUrl(sts.tokenUrl())
        .transportFactory(transport)
        .build();
  }

  List<ApiRequest> tokenRequests() {
    return cluster.requests().stream().filter(r -> r.method().equals("POST") && r.path().endsWith("/token")).toList();
  }

  GcpSecretStore store(FederatedCredentials creds) {
    return GcpSecretStore.builder().projectId(PROJECT).endpoint(secretManager.url())
        .credentials(creds.asGoogleCredentials()).retries(1, Duration.ofMillis(1)).build();
  }

  @Test
  void aClusterTokenBecomesAnAccessTokenThatReadsTheSecret() {
    trustTheClusterWithAnUploadedJwks();
    iam.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
    FederatedCredentials creds = credentials(AUDIENCE);

    List<ApiRequest> tokenRequests;
    try (GcpSecretStore store = store(creds)) {
      assertThat(store.get("hf-token")).map(SecretValue::reveal).contains("hf_s3cr3t");
      tokenRequests = tokenRequests();
      for (int i = 0; i < 2; i++) {
        assertThat(store.get("hf-token")).map(SecretValue::reveal).contains("hf_s3cr3t");
      }
    }

    // google-auth-library 1.50.0 asks the supplier twice per refresh when it impersonates; FederatedCredentials
    // mints once per refresh all the same, and repeated reads mint no more
    assertThat(tokenRequests).isNotEmpty().allSatisfy(r -> {
      assertThat(r.path()).isEqualTo("/api/v1/namespaces/external-secrets/serviceaccounts/external-secrets/token");
      assertThat(r.status()).isEqualTo(201);
    });
    assertThat(tokenRequests()).isEqualTo(tokenRequests).as("one TokenRequest per refresh").hasSize(1);
    assertThat(sts.journal().requests()).extracting(Journal.Request::toString).containsExactly("POST /v1/token -> 200");
    assertThat(iam.journal().requests()).extracting(Journal.Request::toString).containsExactly(
        "POST /v1/projects/-/serviceAccounts/" + GSA + ":generateAccessToken -> 200");
    assertThat(secretManager.journal().requests()).hasSize(3).allMatch(r -> r.status() == 200);
    assertThat(connections).containsExactly(sts.tokenUrl(),
        "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/" + GSA + ":generateAccessToken");

    FederatedToken token = creds.token();
    assertThat(iam.lookup(token.value())).hasValueSatisfying(t -> {
      assertThat(t.serviceAccount()).isEqualTo(GSA);
      assertThat(t.caller()).isEqualTo("principal://iam.googleapis.com/projects/123456789012/locations/global/"
          + "workloadIdentityPools/hetzner/subject/" + SUBJECT);
    });
    // expireTime came back as yyyy-MM-ddTHH:mm:ssZ and google-auth-library read it
    assertThat(token.expiresAt()).hasValueSatisfying(at ->
        assertThat(at).isBetween(Instant.now().plus(Duration.ofMinutes(55)), Instant.now().plus(Duration.ofMinutes(61))));
    assertThat(token.toString()).doesNotContain(token.value());
  }

  @Test
  void theIssuerDocumentsAreReadFromTheClusterAndTheirJwksVerifiesItsTokens() {
    IssuerDocuments docs = IssuerDocuments.read(cluster.client());
    assertThat(docs.problems()).isEmpty();
    assertThat(docs.issuer()).isEqualTo("https://kubernetes.default.svc.cluster.local");
    assertThat(docs.advice()).as("k3s' default issuer is not public").isNotEmpty();

    // What `gcloud ... providers create-oidc --jwk-json-path` would upload: the published JWKS.
    sts.provider(AUDIENCE).issuer(docs.issuer()).jwks(docs.jwksJson()).add();
    iam.grant(GSA, FakeGoogleSts.principalSet(AUDIENCE));
    assertThat(credentials(AUDIENCE).token().value()).startsWith("ya29.");
  }

  @Test
  void aLiveJwksFollowsAKeyRotation() {
    sts.trust(AUDIENCE, cluster.oidc().issuer(), cluster.oidc()::jwksJson);
    iam.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
    FederatedCredentials creds = credentials(AUDIENCE);
    String first = creds.token().value();
    cluster.oidc().rotateKey();
    creds.invalidate();
    assertThat(creds.token().value()).isNotEqualTo(first);
    assertThat(sts.exchangeCount()).isEqualTo(2);
  }

  @Nested
  @DisplayName("refusals")
  class Refusals {
    @Test
    void aRotatedIssuerKeyIsRefusedByStsAsInvalidGrantWithoutAnyTokenInTheMessage() {
      trustTheClusterWithAnUploadedJwks();
      iam.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
      OidcIssuer oidc = cluster.oidc();
      String oldKid = oidc.keyId();
      oidc.rotateKey();
      String stale = oidc.mint(NAMESPACE, KSA, List.of(AUDIENCE), Duration.ofHours(1));

      assertThatThrownBy(() -> credentials(AUDIENCE).token()).isInstanceOfSatisfying(FederatedTokenException.class,
          e -> {
            assertThat(e.getMessage()).contains("invalid_grant").contains("signature").contains(oidc.keyId())
                .doesNotContain(oldKid).doesNotContain("eyJ").doesNotContain(stale.substring(0, 40));
            assertThat(e.isTransient()).isFalse();
            assertThat(e.attempts()).isEqualTo(1);
          });
      assertThat(sts.journal().requests()).extracting(Journal.Request::status).containsExactly(400);
      assertThat(iam.journal().size()).isZero();
    }

    @Test
    void aSubjectTokenForAnotherAudienceIsRefused() {
      trustTheClusterWithAnUploadedJwks();
      iam.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));

      assertThatThrownBy(() -> credentials("https://kubernetes.default.svc.cluster.local").token())
          .isInstanceOfSatisfying(FederatedTokenException.class, e -> {
            assertThat(e.getMessage()).contains("invalid_grant").contains("audience")
                .contains("https://kubernetes.default.svc.cluster.local").doesNotContain("eyJ");
            assertThat(e.isTransient()).isFalse();
          });
      assertThat(iam.journal().size()).isZero();
    }

    @Test
    void anUnknownPoolProviderIsRefusedAsInvalidTarget() {
      assertThatThrownBy(() -> credentials(AUDIENCE).token())
          .isInstanceOfSatisfying(FederatedTokenException.class,
              e -> assertThat(e.getMessage()).contains("invalid_target"));
    }

    @Test
    void withoutAnIamGrantImpersonationIsDeniedWith403() {
      trustTheClusterWithAnUploadedJwks();

      assertThatThrownBy(() -> credentials(AUDIENCE).token()).isInstanceOfSatisfying(FederatedTokenException.class,
          e -> {
            assertThat(e.status()).hasValue(403);
            assertThat(e.isTransient()).isFalse();
            assertThat(e.getMessage()).contains(GSA).contains("HTTP 403 PERMISSION_DENIED: Permission "
                + "'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).")
                .doesNotContain("ya29.").doesNotContain("eyJ");
          });
      assertThat(sts.journal().requests()).extracting(Journal.Request::status).containsExactly(200);
      assertThat(iam.journal().requests()).extracting(Journal.Request::status).containsExactly(403);
    }

    @Test
    void aServiceAccountWithoutSecretAccessIsDeniedBySecretManager() {
      trustTheClusterWithAnUploadedJwks();
      iam.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
      secretManager.trust(iam, "someone-else@substrate-platform.iam.gserviceaccount.com");

      try (GcpSecretStore store = store(credentials(AUDIENCE))) {
        assertThatThrownBy(() -> store.get("hf-token")).isInstanceOfSatisfying(BackendException.class,
            e -> assertThat(e.status()).hasValue(403));
      }
    }

    @Test
    void aTransientStsFailureIsRetriedAndAnIamOneToo() {
      trustTheClusterWithAnUploadedJwks();
      iam.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
      sts.faults().failNext(503);
      iam.faults().failNext(503);

      assertThat(credentials(AUDIENCE).token().value()).startsWith("ya29.");
      assertThat(sts.journal().requests()).extracting(Journal.Request::status).containsExactly(503, 200, 200);
      assertThat(iam.journal().requests()).extracting(Journal.Request::status).containsExactly(503, 200);
    }
  }
}
