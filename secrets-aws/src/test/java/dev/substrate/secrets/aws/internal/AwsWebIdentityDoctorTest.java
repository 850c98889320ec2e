package dev.substrate.secrets.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.SubstrateConfig;
import dev.substrate.cloudfakes.aws.FakeAwsSts;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import dev.substrate.spi.Check;
import dev.substrate.spi.DoctorContext;
import dev.substrate.spi.ProviderContext;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Doctor's keyless-chain checks for aws-secrets-manager with {@code secret_store_auth: wif}. */
class AwsWebIdentityDoctorTest {
  static final String ISSUER = "https://oidc.acme-ml.example/hetzner";
  static final String ROLE = "arn:aws:iam::123456789012:role/external-secrets";
  static final String SUBJECT = "system:serviceaccount:external-secrets:external-secrets";

  EmbeddedCluster cluster;
  final FakeAwsSts sts = FakeAwsSts.start();

  @AfterEach
  void stop() {
    sts.close();
    if (cluster != null) {
      cluster.close();
    }
  }

  EmbeddedCluster cluster(String issuer) {
    EmbeddedCluster.Builder b = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER);
    if (issuer != null) {
      b.issuer(issuer);
    }
    cluster = b.start();
    return cluster;
  }

  String config(String extra) {
    return "substrate: {id: hetzner}\nsecret_store_auth: wif\ncluster: {location: eu-central-1}\n"
        + "aws: {role_arn: '" + ROLE + "', sts: {endpoint: '" + sts.url() + "'}}\n" + extra;
  }

  static List<Check> backendChecks(String yaml) {
    return new AwsSecretsManagerProvider().create(new ProviderContext(SubstrateConfig.parse(yaml), "hetzner", null))
        .checks();
  }

  Map<String, CheckResult> run(List<Check> checks, DoctorContext context) {
    Map<String, CheckResult> results = new LinkedHashMap<>();
    for (Check check : checks) {
      results.put(check.id(), check.run(ClusterSnapshot.read(cluster.client(), check.reads(), line -> {}), context));
    }
    return results;
  }

  /** The backend's checks, but for the published-JWKS check, which would fetch the issuer URL from the network. */
  Map<String, CheckResult> doctor(String yaml) {
    return run(backendChecks(yaml).stream().filter(c -> !c.id().equals("secrets.aws.published-jwks")).toList(),
        DoctorContext.live(cluster.client(), line -> {}));
  }

  /** The checks with IAM's view of the issuer URL served by {@code fetcher}. */
  Map<String, CheckResult> doctor(String yaml, AwsWebIdentityChecks.Fetcher fetcher) {
    SubstrateConfig config = SubstrateConfig.parse(yaml);
    return run(new AwsWebIdentityChecks(AwsSettings.from(config), config.secrets(), "eu-central-1", fetcher).all(),
        DoctorContext.live(cluster.client(), line -> {}));
  }

  void trust(String subject) {
    sts.role(ROLE).trustIssuer(ISSUER, cluster.oidc()::jwksJson).audience("sts.amazonaws.com").subject(subject).add();
  }

  /** Serves what a host of {@code substrate wif issuer --publish DIR} serves at the issuer URL. */
  AwsWebIdentityChecks.Fetcher published(String discovery, String jwks) {
    return url -> {
      if (url.equals(ISSUER + "/.well-known/openid-configuration")) {
        return discovery;
      }
      if (url.equals(ISSUER + "/openid/v1/jwks")) {
        return jwks;
      }
      throw new IOException("HTTP 404 from " + url);
    };
  }

  @Test
  void aPublicIssuerAndARoleThatTrustsEsosServiceAccountPassAndNoLongLivedCredentialIsCounted() {
    cluster(ISSUER);
    trust(SUBJECT);
    Map<String, CheckResult> r = doctor(config(""));

    assertThat(r.get("secrets.long-lived-credentials").finding()).startsWith("0 long-lived credentials");
    CheckResult issuer = r.get("secrets.aws.issuer");
    assertThat(issuer.status()).as(issuer.toString()).isEqualTo(CheckStatus.PASS);
    assertThat(issuer.finding()).contains("issuer " + ISSUER + " serves its discovery document and a JWKS of 1 key")
        .contains("IAM OIDC provider arn:aws:iam::123456789012:oidc-provider/oidc.acme-ml.example/hetzner");
    CheckResult token = r.get("secrets.aws.token");
    assertThat(token.status()).as(token.toString()).isEqualTo(CheckStatus.PASS);
    assertThat(token.finding()).isEqualTo("STS accepted a token minted for external-secrets/external-secrets (aud "
        + "sts.amazonaws.com): it assumed arn:aws:sts::123456789012:assumed-role/external-secrets/substrate-doctor");
    assertThat(sts.assumeCount()).isEqualTo(1);
    assertThat(backendChecks(config(""))).extracting(Check::id).contains("secrets.aws.issuer",
        "secrets.aws.published-jwks", "secrets.aws.token");
  }

  @Test
  void documentsNobodyHostsAtTheIssuerUrlFailThePublishedCheck() {
    cluster(ISSUER);
    CheckResult published = doctor(config(""), url -> {
      throw new IOException("HTTP 404 from " + url);
    }).get("secrets.aws.published-jwks");
    assertThat(published.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(published.finding()).startsWith("IAM cannot read the issuer's documents at " + ISSUER
        + "/.well-known/openid-configuration");
    assertThat(published.remedy()).hasValueSatisfying(r -> assertThat(r).contains("substrate wif issuer --publish"));
  }

  @Test
  void theDocumentsIamReadsAtTheIssuerUrlAreComparedWithTheClustersKeys() {
    cluster(ISSUER);
    String discovery = cluster.oidc().discoveryJson();
    String jwks = cluster.oidc().jwksJson();
    CheckResult same = doctor(config(""), published(discovery, jwks)).get("secrets.aws.published-jwks");
    assertThat(same.status()).as(same.toString()).isEqualTo(CheckStatus.PASS);
    assertThat(same.finding()).isEqualTo("the JWKS IAM reads at " + ISSUER + "/openid/v1/jwks holds the cluster's 1 key");

    cluster.oidc().rotateKey();
    CheckResult rotated = doctor(config(""), published(discovery, jwks)).get("secrets.aws.published-jwks");
    assertThat(rotated.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(rotated.finding()).contains("lacks 1 key the cluster signs with (" + cluster.oidc().keyId() + "#")
        .contains("STS will refuse new tokens");

    CheckResult other = doctor(config(""), published(discovery.replace(ISSUER, "https://elsewhere.example"), jwks))
        .get("secrets.aws.published-jwks");
    assertThat(other.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(other.finding()).contains("names issuer 'https://elsewhere.example'");
  }

  @Test
  void aRoleThatTrustsAnotherSubjectFailsTheTokenCheckWithTheTrustPolicyToApplyAndNoToken() {
    cluster(ISSUER);
    trust("system:serviceaccount:other:other");
    CheckResult token = doctor(config("")).get("secrets.aws.token");

    assertThat(token.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(token.finding()).contains("STS refused a token minted for external-secrets/external-secrets to assume "
        + ROLE + ": (status 403) STS refused the credentials (AssumeRoleWithWebIdentity): AccessDenied")
        .doesNotContain("eyJ");
    assertThat(token.remedy()).hasValueSatisfying(remedy -> assertThat(remedy)
        .contains("aws iam create-open-id-connect-provider --url " + ISSUER + " --client-id-list sts.amazonaws.com")
        .contains("\"Federated\":\"arn:aws:iam::123456789012:oidc-provider/oidc.acme-ml.example/hetzner\"")
        .contains("\"oidc.acme-ml.example/hetzner:sub\":\"" + SUBJECT + "\"")
        .contains("\"oidc.acme-ml.example/hetzner:aud\":\"sts.amazonaws.com\""));
  }

  @Test
  void anInClusterIssuerFailsBecauseIamCannotFetchItsDocuments() {
    cluster(null);
    Map<String, CheckResult> r = doctor(config(""));
    CheckResult issuer = r.get("secrets.aws.issuer");
    assertThat(issuer.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(issuer.finding()).contains("https://kubernetes.default.svc.cluster.local")
        .contains("IAM cannot fetch them");
    assertThat(issuer.remedy()).hasValueSatisfying(remedy -> assertThat(remedy).contains("--service-account-issuer")
        .contains("substrate wif issuer --publish DIR"));
    CheckResult published = doctor(config(""), url -> {
      throw new AssertionError("IAM cannot read an in-cluster issuer: nothing to fetch");
    }).get("secrets.aws.published-jwks");
    assertThat(published.status()).isEqualTo(CheckStatus.SKIP);
  }

  @Test
  void theChecksCountTheirRequestsAndNameTheTokenRequestAsAWrite() {
    cluster(ISSUER);
    trust(SUBJECT);
    DoctorContext context = DoctorContext.live(cluster.client(), line -> {});
    List<Check> aws = backendChecks(config("")).stream().filter(c -> c.id().startsWith("secrets.aws.")
        && !c.id().equals("secrets.aws.published-jwks")).toList();
    cluster.resetJournal();
    run(aws, context);
    assertThat(cluster.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly(
        "GET /.well-known/openid-configuration", "GET /openid/v1/jwks",
        "POST /api/v1/namespaces/external-secrets/serviceaccounts/external-secrets/token");
    assertThat(context.clusterWrites())
        .containsExactly("secrets.aws.token created a TokenRequest for external-secrets/external-secrets");
    assertThat(context.requests()).containsEntry("sts", 1);
  }

  @Test
  void withoutTheLiveClusterTheChecksSkip() {
    cluster(ISSUER);
    DoctorContext offline = DoctorContext.offline(line -> {});
    for (Check check : backendChecks(config("")).stream().filter(c -> c.id().startsWith("secrets.aws.")).toList()) {
      assertThat(check.run(ClusterSnapshot.builder().build(), offline).status()).isEqualTo(CheckStatus.SKIP);
    }
  }

  @Test
  void anAccessKeyCountsOneLongLivedCredentialAndFailsInProd() {
    cluster(ISSUER);
    String sakey = "secret_store_auth: sa-key\ncluster: {location: eu-central-1}\n";
    CheckResult dev = doctor(sakey).get("secrets.long-lived-credentials");
    assertThat(dev.status()).isEqualTo(CheckStatus.WARN);
    assertThat(dev.finding()).startsWith("1 long-lived credential");
    assertThat(doctor(sakey + "profile: prod\n").get("secrets.long-lived-credentials").status())
        .isEqualTo(CheckStatus.FAIL);
    assertThat(doctor(sakey).keySet()).noneMatch(id -> id.startsWith("secrets.aws."));
  }
}
