package dev.substrate.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.substrate.BackendException;
import dev.substrate.SecretValue;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.cloudfakes.aws.FakeAwsSecretsManager;
import dev.substrate.cloudfakes.aws.FakeAwsSts;
import dev.substrate.kubefake.ApiRequest;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyless chain off EKS with nothing mocked in-process: the embedded Hetzner cluster's issuer mints a token through
 * a real TokenRequest, the AWS SDK's web-identity provider trades it at the fake STS ({@code AssumeRoleWithWebIdentity},
 * which checks it against the cluster's JWKS, the audience and the trust policy's {@code sub}), and the Secrets
 * Manager client reads a secret with the temporary credentials from a fake that accepts only that role's.
 */
@DisplayName("Web identity federation to AWS, end to end")
class KeylessChainTest {
  static final String ISSUER = "https://oidc.acme-ml.example/hetzner";
  static final String ROLE = "arn:aws:iam::123456789012:role/external-secrets";
  static final String NAMESPACE = "external-secrets";
  static final String KSA = "external-secrets";
  static final String REGION = "eu-central-1";

  @TempDir Path tmp;
  EmbeddedCluster cluster;
  FakeAwsSts sts;
  FakeAwsSecretsManager secretsManager;
  TrustPolicy policy;
  /** Every token the chain minted, to look for in messages. */
  final List<String> minted = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    cluster = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER).issuer(ISSUER).start();
    sts = FakeAwsSts.start();
    secretsManager = FakeAwsSecretsManager.builder().region(REGION).start();
    secretsManager.trust(sts, ROLE);
    secretsManager.seed("hf-token", SecretValue.of("hf_s3cr3t"));
    policy = TrustPolicy.forRole(ISSUER, ROLE, NAMESPACE, KSA, AwsConfig.DEFAULT_AUDIENCE);
  }

  @AfterEach
  void stop() {
    secretsManager.close();
    sts.close();
    cluster.close();
  }

  /** The role as IAM holds it after the printed trust policy was applied: issuer, its live JWKS, aud and sub. */
  void createTheRoleAsThePolicySays() {
    sts.role(ROLE).trustIssuer(ISSUER, cluster.oidc()::jwksJson).audience(policy.audience())
        .subject(policy.subject()).add();
  }

  WebIdentityCredentials.TokenSource tokenRequest(String audience) {
    WebIdentityCredentials.TokenSource request = WebIdentityCredentials.tokenRequest(cluster.client(), NAMESPACE, KSA,
        audience, Duration.ofHours(1));
    return () -> {
      String token = request.token();
      minted.add(token);
      return token;
    };
  }

  WebIdentityCredentials credentials(WebIdentityCredentials.TokenSource token) {
    return WebIdentityCredentials.builder().roleArn(ROLE).region(REGION).stsEndpoint(sts.url()).token(token).build();
  }

  AwsSecretStore store(WebIdentityCredentials creds) {
    return AwsSecretStore.builder().region(REGION).endpoint(secretsManager.url()).credentials(creds)
        .retries(1, Duration.ZERO).build();
  }

  List<ApiRequest> tokenRequests() {
    return cluster.requests().stream().filter(r -> r.method().equals("POST") && r.path().endsWith("/token")).toList();
  }

  static String trace(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  void assertNoTokenIn(String text) {
    assertThat(minted).isNotEmpty();
    for (String token : minted) {
      assertThat(text).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    }
  }

  @Test
  void aTokenRequestTokenBecomesTemporaryCredentialsThatReadTheSecret() {
    createTheRoleAsThePolicySays();
    try (WebIdentityCredentials creds = credentials(tokenRequest(AwsConfig.DEFAULT_AUDIENCE));
        AwsSecretStore store = store(creds)) {
      for (int i = 0; i < 3; i++) {
        assertThat(store.get("hf-token")).map(SecretValue::reveal).contains("hf_s3cr3t");
      }
      assertThat(creds.resolveCredentials().accessKeyId()).startsWith("ASIA");
      assertThat(sts.lookup(creds.resolveCredentials().accessKeyId())).hasValueSatisfying(issued -> {
        assertThat(issued.roleArn()).isEqualTo(ROLE);
        assertThat(issued.subject()).isEqualTo("system:serviceaccount:external-secrets:external-secrets");
      });
    }
    assertThat(tokenRequests()).as("one TokenRequest for three reads: the SDK caches the credentials").hasSize(1)
        .allSatisfy(r -> assertThat(r.path())
            .isEqualTo("/api/v1/namespaces/external-secrets/serviceaccounts/external-secrets/token"));
    assertThat(sts.assumeCount()).isEqualTo(1);
    assertThat(secretsManager.journal().requests()).hasSize(3).allMatch(r -> r.status() == 200);
    assertThat(sts.journal().requests()).extracting(Journal.Request::toString).allSatisfy(this::assertNoTokenIn);
  }

  @Test
  void aProjectedTokenFileWorksTheSameAndIsReadAtEachRefresh() throws Exception {
    createTheRoleAsThePolicySays();
    String token = cluster.oidc().mint(NAMESPACE, KSA, List.of(AwsConfig.DEFAULT_AUDIENCE), Duration.ofHours(1));
    minted.add(token);
    Path file = Files.writeString(tmp.resolve("token"), token);
    try (WebIdentityCredentials creds = WebIdentityCredentials.builder().roleArn(ROLE).region(REGION)
        .stsEndpoint(sts.url()).tokenFile(file).build();
        AwsSecretStore store = store(creds)) {
      assertThat(store.get("hf-token")).map(SecretValue::reveal).contains("hf_s3cr3t");
    }
    assertThat(tokenRequests()).isEmpty();
    assertThat(sts.assumeCount()).isEqualTo(1);
  }

  @Test
  void theBackendsStoreAssumesTheRoleWithTheConfiguredTokenFile() throws Exception {
    createTheRoleAsThePolicySays();
    Path file = Files.writeString(tmp.resolve("token"),
        cluster.oidc().mint(NAMESPACE, KSA, List.of(AwsConfig.DEFAULT_AUDIENCE), Duration.ofHours(1)));
    dev.substrate.SecretStore store = AwsSecretsManagerBackendTest.backend("secret_store_auth: wif\n"
        + "cluster: {location: " + REGION + "}\naws: {role_arn: '" + ROLE + "', web_identity_token_file: '" + file
        + "', secrets_manager: {endpoint: '" + secretsManager.url() + "'}, sts: {endpoint: '" + sts.url() + "'}}\n",
        "hetzner").store();
    try {
      assertThat(store.get("hf-token")).map(SecretValue::reveal).contains("hf_s3cr3t");
    } finally {
      ((AwsSecretStore) store).close();
    }
  }

  @Nested
  @DisplayName("refusals")
  class Refusals {
    BackendException refused(WebIdentityCredentials.TokenSource token) {
      try (WebIdentityCredentials creds = credentials(token); AwsSecretStore store = store(creds)) {
        BackendException e = catchThrowableOfType(BackendException.class, () -> store.get("hf-token"));
        assertThat(e).as("the read must be refused").isNotNull();
        assertNoTokenIn(trace(e));
        assertNoTokenIn(e.getMessage());
        assertThat(secretsManager.journal().requests()).as("no credentials, no request to Secrets Manager").isEmpty();
        return e;
      }
    }

    @Test
    void aTokenForAnotherAudienceIsRefusedAsAnInvalidIdentityToken() {
      createTheRoleAsThePolicySays();
      BackendException e = refused(tokenRequest("https://kubernetes.default.svc"));
      assertThat(e.status()).hasValue(400);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.getMessage()).contains("AssumeRoleWithWebIdentity").contains("InvalidIdentityToken")
          .contains("Incorrect token audience");
    }

    @Test
    void anotherServiceAccountThanThePolicysSubjectIsDenied() {
      sts.role(ROLE).trustIssuer(ISSUER, cluster.oidc()::jwksJson).audience(AwsConfig.DEFAULT_AUDIENCE)
          .subject(TrustPolicy.of(ISSUER, "123456789012", NAMESPACE, "someone-else", "sts.amazonaws.com").subject())
          .add();
      BackendException e = refused(tokenRequest(AwsConfig.DEFAULT_AUDIENCE));
      assertThat(e.status()).hasValue(403);
      assertThat(e.getMessage()).contains("AccessDenied");
    }

    @Test
    void aTokenSignedWithARotatedKeyIsRefusedByAnOidcProviderThatKeptTheOldJwks() {
      String published = cluster.oidc().jwksJson();
      sts.role(ROLE).trustIssuer(ISSUER, () -> published).audience(AwsConfig.DEFAULT_AUDIENCE)
          .subject(policy.subject()).add();
      cluster.oidc().rotateKey();
      BackendException e = refused(tokenRequest(AwsConfig.DEFAULT_AUDIENCE));
      assertThat(e.status()).hasValue(400);
      assertThat(e.getMessage()).contains("InvalidIdentityToken");
    }

    @Test
    void aServiceAccountThatDoesNotExistGetsNoTokenAndTheReadFailsAsABackendExceptionThatIsNotRetried() {
      createTheRoleAsThePolicySays();
      WebIdentityCredentials.TokenSource missing = WebIdentityCredentials.tokenRequest(cluster.client(), NAMESPACE,
          "nobody", AwsConfig.DEFAULT_AUDIENCE, Duration.ofHours(1));
      try (WebIdentityCredentials creds = credentials(missing); AwsSecretStore store = store(creds)) {
        BackendException e = catchThrowableOfType(BackendException.class, () -> store.get("hf-token"));
        assertThat(e.providerId()).isEqualTo("aws-secrets-manager");
        assertThat(e.isTransient()).isFalse();
        assertThat(e.status()).hasValue(404);
        assertThat(e.getMessage()).contains("could not obtain credentials")
            .contains("TokenRequest for system:serviceaccount:external-secrets:nobody was refused");
      }
      assertThat(sts.journal().requests()).isEmpty();
    }

    @Test
    void aRoleOtherThanTheOneSecretsManagerGrantsGetsCredentialsButNoSecret() {
      String other = "arn:aws:iam::123456789012:role/other";
      sts.role(other).trustIssuer(ISSUER, cluster.oidc()::jwksJson).audience(AwsConfig.DEFAULT_AUDIENCE).add();
      try (WebIdentityCredentials creds = WebIdentityCredentials.builder().roleArn(other).region(REGION)
          .stsEndpoint(sts.url()).token(tokenRequest(AwsConfig.DEFAULT_AUDIENCE)).build();
          AwsSecretStore store = store(creds)) {
        BackendException e = catchThrowableOfType(BackendException.class, () -> store.get("hf-token"));
        assertThat(e.status()).hasValue(400);
        assertThat(e.getMessage()).contains("AccessDeniedException");
        assertNoTokenIn(trace(e));
      }
    }
  }
}
