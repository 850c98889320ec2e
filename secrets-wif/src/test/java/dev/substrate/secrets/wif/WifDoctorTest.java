package dev.substrate.secrets.wif;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.SubstrateConfig;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import dev.substrate.spi.Check;
import dev.substrate.spi.DoctorContext;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Doctor's keyless-chain checks for {@code secret_store_auth: wif}, against an embedded Hetzner cluster's issuer. */
class WifDoctorTest {
  static final String AUDIENCE =
      "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/hetzner/providers/k3s-oidc";
  static final String CONFIG = "substrate: {id: hetzner}\nsecret_store_auth: wif\ncluster: {projectID: acme-ml}\n"
      + "load_balancer: {location: fsn1}\nwif:\n  audience: " + AUDIENCE + "\n";

  @TempDir Path tmp;
  EmbeddedCluster cluster;

  @BeforeEach
  void start() {
    cluster = EmbeddedCluster.start(ClusterPreset.HETZNER);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  static List<Check> checks(String yaml, KubernetesClient client) {
    SubstrateConfig config = SubstrateConfig.parse(yaml);
    return ServiceLoader.load(SecretBackendProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.id().equals("gcp-secret-manager")).findFirst().orElseThrow()
        .create(new ProviderContext(config, "hetzner", client)).checks();
  }

  /** The backend's checks as doctor runs them: each on the snapshot of what it reads, with the live cluster. */
  Map<String, CheckResult> doctor(String yaml) {
    DoctorContext context = DoctorContext.live(cluster.client(), line -> {});
    Map<String, CheckResult> results = new LinkedHashMap<>();
    for (Check check : checks(yaml, cluster.client())) {
      results.put(check.id(), check.run(ClusterSnapshot.read(cluster.client(), check.reads(), line -> {}), context));
    }
    return results;
  }

  Path publishedJwks() throws Exception {
    return Files.writeString(tmp.resolve("jwks.json"), cluster.oidc().jwksJson());
  }

  @Test
  void withTheJwksUploadedTheWholeChainPassesAndNoLongLivedCredentialIsCounted() throws Exception {
    Map<String, CheckResult> r = doctor(CONFIG + "  published_jwks: " + publishedJwks() + "\n");

    assertThat(r.get("secrets.long-lived-credentials").finding()).startsWith("0 long-lived credentials");
    assertThat(r.get("secrets.wif.issuer").status()).as(r.toString()).isEqualTo(CheckStatus.PASS);
    assertThat(r.get("secrets.wif.published-jwks").status()).as(r.toString()).isEqualTo(CheckStatus.PASS);
    CheckResult token = r.get("secrets.wif.token");
    assertThat(token.status()).as(token.toString()).isEqualTo(CheckStatus.PASS);
    assertThat(token.finding()).contains("iss https://kubernetes.default.svc.cluster.local")
        .contains("sub system:serviceaccount:external-secrets:external-secrets").contains("aud " + AUDIENCE)
        .contains("verifies against the JWKS (kid " + cluster.oidc().keyId() + ")")
        .contains("principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/"
            + "hetzner/subject/system:serviceaccount:external-secrets:external-secrets")
        .doesNotContain("eyJ");
  }

  @Test
  void theChecksCountWhatTheySendTheClusterAndNameTheTokenRequestAsAWrite() throws Exception {
    List<Check> wif = checks(CONFIG + "  published_jwks: " + publishedJwks() + "\n", cluster.client()).stream()
        .filter(c -> c.id().startsWith("secrets.wif.")).toList();
    DoctorContext context = DoctorContext.live(cluster.client(), line -> {});
    cluster.resetJournal();

    wif.forEach(c -> assertThat(c.run(ClusterSnapshot.builder().build(), context).status()).isEqualTo(CheckStatus.PASS));

    assertThat(cluster.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly(
        "GET /.well-known/openid-configuration", "GET /openid/v1/jwks",
        "POST /api/v1/namespaces/external-secrets/serviceaccounts/external-secrets/token");
    assertThat(context.clusterRequests()).isEqualTo(3);
    assertThat(context.clusterWrites())
        .containsExactly("secrets.wif.token created a TokenRequest for external-secrets/external-secrets");
  }

  @Test
  void aPrivateIssuerThatNobodyPublishedFailsWithBothWaysOut() {
    CheckResult issuer = doctor(CONFIG).get("secrets.wif.issuer");

    assertThat(issuer.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(issuer.finding()).contains("Google cannot reach them").contains("--service-account-issuer");
    assertThat(issuer.remedy()).hasValueSatisfying(remedy -> assertThat(remedy).contains("--jwk-json-path")
        .contains("wif.published_jwks"));
  }

  @Test
  void aRotatedKeyIsCaughtAgainstThePublishedJwks() throws Exception {
    Path published = publishedJwks();
    cluster.oidc().rotateKey();

    CheckResult jwks = doctor(CONFIG + "  published_jwks: " + published + "\n").get("secrets.wif.published-jwks");

    assertThat(jwks.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(jwks.finding()).contains("lacks 1 key the cluster signs with (" + cluster.oidc().keyId() + "#")
        .contains("rotated");
    assertThat(jwks.remedy()).hasValueSatisfying(remedy -> assertThat(remedy).contains("update-oidc"));
  }

  @Test
  void aMissingServiceAccountFailsTheTokenCheckNamingIt() throws Exception {
    CheckResult token = doctor(CONFIG + "  published_jwks: " + publishedJwks() + "\nsecrets: {service_account: eso}\n")
        .get("secrets.wif.token");

    assertThat(token.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(token.finding()).contains("external-secrets/eso");
    assertThat(token.remedy()).hasValueSatisfying(remedy -> assertThat(remedy).contains("substrate apply"));
  }

  @Test
  void withoutAWifSectionDoctorReportsItInsteadOfThrowing() {
    Map<String, CheckResult> r = doctor("secret_store_auth: wif\ncluster: {projectID: acme-ml}\n");

    assertThat(r.get("secrets.wif.issuer").status()).isEqualTo(CheckStatus.FAIL);
    assertThat(r.get("secrets.wif.issuer").finding()).contains("wif.audience was ''");
    assertThat(r.get("secrets.wif.token").status()).isEqualTo(CheckStatus.SKIP);
  }

  @Test
  void fromADumpTheChecksThatNeedTheClusterSkip() {
    DoctorContext offline = DoctorContext.offline(line -> {});
    assertThat(checks(CONFIG, null)).filteredOn(c -> c.id().startsWith("secrets.wif."))
        .extracting(c -> c.run(ClusterSnapshot.builder().build(), offline).status())
        .containsExactly(CheckStatus.SKIP, CheckStatus.SKIP, CheckStatus.SKIP);
  }
}
