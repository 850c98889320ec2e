package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code substrate wif}: the issuer, the credential configuration and the token, on an embedded Hetzner cluster. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WifCliTest {
  static final String AUDIENCE =
      "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/llm-prod/providers/k3s-oidc";
  static final String GSA = "external-secrets@acme-ml.iam.gserviceaccount.com";
  static final String WIF = "substrate: {id: hetzner}\nsecret_store_auth: wif\n"
      + "cluster: {name: llm-prod, projectID: acme-ml, location: europe-west4}\n"
      + "wif:\n  audience: " + AUDIENCE + "\n  service_account_email: " + GSA + "\n";

  @TempDir Path tmp;

  private String config(String yaml) throws IOException {
    return Files.writeString(tmp.resolve("config.yaml"), yaml).toString();
  }

  @Test
  void cred_config_writes_the_external_account_json_for_the_configs_pool_and_service_account() throws Exception {
    Cli.Result r = Cli.run("wif", "cred-config", "-c", config(WIF));

    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.path("type").asText()).isEqualTo("external_account");
    assertThat(json.path("audience").asText()).isEqualTo(AUDIENCE);
    assertThat(json.path("service_account_impersonation_url").asText()).isEqualTo(
        "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/" + GSA + ":generateAccessToken");
    assertThat(json.at("/credential_source/file").asText()).isEqualTo("/var/run/secrets/tokens/gcp-token");
  }

  @Test
  void cred_config_writes_a_file_and_names_the_missing_key_without_a_wif_section() throws Exception {
    Path file = tmp.resolve("cred.json");
    Cli.Result written = Cli.run("wif", "cred-config", "-c", config(WIF), "--credential-source-file", "/run/t",
        "-o", file.toString());
    assertThat(written.code()).as(written.toString()).isZero();
    assertThat(new ObjectMapper().readTree(file.toFile()).at("/credential_source/file").asText()).isEqualTo("/run/t");

    Cli.Result missing = Cli.run("wif", "cred-config", "-c", config("substrate: {id: hetzner}\n"));
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.errors()).singleElement().asString()
        .startsWith("substrate: wif.audience was '' but must be the workload identity pool provider");
  }

  @Test
  void issuer_prints_the_issuer_and_what_to_change_and_publishes_both_documents() throws Exception {
    Path dir = tmp.resolve("issuer");
    Cli.Result r = Cli.run("wif", "issuer", "--embedded", "hetzner", "--publish", dir.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("issuer    https://kubernetes.default.svc.cluster.local")
        .containsPattern("key       \\S+ RSA RS256")
        .contains("advice    the issuer 'https://kubernetes.default.svc.cluster.local' is not a public https URL");
    assertThat(new ObjectMapper().readTree(dir.resolve(".well-known/openid-configuration").toFile())
        .path("issuer").asText()).isEqualTo("https://kubernetes.default.svc.cluster.local");
    assertThat(new ObjectMapper().readTree(dir.resolve("openid/v1/jwks").toFile()).path("keys")).hasSize(1);
  }

  @Test
  void token_runs_the_whole_chain_and_prints_the_token_only_when_asked() throws Exception {
    Cli.Result r = Cli.run("wif", "token", "--embedded", "hetzner", "-c", config(WIF));

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("principal  " + GSA).containsPattern("expires    \\d{4}-\\d\\d-\\d\\dT.*Z \\(in \\d+ minutes\\)")
        .doesNotContain("token ").doesNotContain("ya29.");

    Cli.Result shown = Cli.run("wif", "token", "--embedded", "hetzner", "-c", config(WIF), "--show");
    assertThat(shown.code()).as(shown.toString()).isZero();
    assertThat(shown.out()).containsPattern("token      \\S{20,}");
  }

  @Test
  void token_for_a_service_account_the_cluster_lacks_is_one_line_and_exit_1() throws Exception {
    Cli.Result r = Cli.run("wif", "token", "--embedded", "hetzner", "-c",
        config(WIF + "secrets: {service_account: nobody}\n"));

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.errors()).singleElement().asString().contains("system:serviceaccount:external-secrets:nobody")
        .contains("refused");
  }

  @Test
  void doctor_with_wif_and_the_published_jwks_reports_zero_long_lived_credentials() throws Exception {
    Path dir = tmp.resolve("issuer");
    assertThat(Cli.run("wif", "issuer", "--embedded", "hetzner", "--publish", dir.toString()).code()).isZero();
    String yaml = WIF.replace("wif:\n", "wif:\n  published_jwks: " + dir.resolve("openid/v1/jwks") + "\n")
        + "load_balancer: {location: fsn1}\nprofile: cost\n";

    Cli.Result r = Cli.run("doctor", "--embedded", "hetzner", "-c", config(yaml));

    assertThat(r.out()).as(r.toString())
        .contains("PASS  secrets.long-lived-credentials  0 long-lived credentials")
        .containsPattern("PASS  secrets.wif.issuer +issuer https://kubernetes.default.svc.cluster.local serves")
        .containsPattern("PASS  secrets.wif.published-jwks +the JWKS at .* holds the cluster's 1 key")
        .containsPattern("PASS  secrets.wif.token +a token minted for external-secrets/external-secrets carries");
  }

  @Test
  void doctor_catches_a_private_issuer_nobody_published() throws Exception {
    Cli.Result r = Cli.run("doctor", "--embedded", "hetzner", "-c", config(WIF + "load_balancer: {location: fsn1}\n"));

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).as(r.toString()).containsPattern("FAIL  secrets.wif.issuer .*Google cannot reach them")
        .contains("--jwk-json-path");
  }
}
