package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code substrate wif aws-trust-policy}: the IAM role trust policy for ESO's ServiceAccount off EKS. */
class AwsTrustPolicyCliTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/external-secrets";

  @TempDir Path tmp;

  Path config(String yaml) throws Exception {
    return Files.writeString(tmp.resolve("config.yaml"), yaml);
  }

  @Test
  void printsThePolicyForTheEmbeddedClustersIssuerAndTheCommandsOnStderr() throws Exception {
    Cli.Result r = Cli.run("wif", "aws-trust-policy", "-c", config("secret_backend: aws-secrets-manager\n"
        + "secret_store_auth: wif\naws: {role_arn: '" + ROLE + "'}\nsecrets: {namespace: eso, service_account: eso-sa}\n")
        .toString(), "--embedded", "hetzner");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode statement = new ObjectMapper().readTree(r.out()).path("Statement").get(0);
    assertThat(statement.path("Principal").path("Federated").asText())
        .isEqualTo("arn:aws:iam::123456789012:oidc-provider/kubernetes.default.svc.cluster.local");
    assertThat(statement.path("Action").asText()).isEqualTo("sts:AssumeRoleWithWebIdentity");
    assertThat(statement.path("Condition").path("StringEquals").toString()).isEqualTo("{\"kubernetes.default.svc."
        + "cluster.local:sub\":\"system:serviceaccount:eso:eso-sa\",\"kubernetes.default.svc.cluster.local:aud\":"
        + "\"sts.amazonaws.com\"}");
    assertThat(r.err()).contains("aws iam create-open-id-connect-provider --url "
        + "https://kubernetes.default.svc.cluster.local --client-id-list sts.amazonaws.com")
        .contains("aws iam create-role --role-name external-secrets --assume-role-policy-document file://trust.json");
  }

  @Test
  void takesTheIssuerAndAudienceFromOptionsAndConfigWithoutACluster() throws Exception {
    Cli.Result r = Cli.run("wif", "aws-trust-policy", "--issuer", "https://oidc.acme-ml.example/k3s", "-c",
        config("aws: {role_arn: '" + ROLE + "', audience: k3s-eso}\n").toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("\"oidc.acme-ml.example/k3s:aud\" : \"k3s-eso\"")
        .contains("\"oidc.acme-ml.example/k3s:sub\" : \"system:serviceaccount:external-secrets:external-secrets\"");
  }

  @Test
  void withoutARoleOrAnIssuerItIsOneLineAndExit2() throws Exception {
    Cli.Result noRole = Cli.run("wif", "aws-trust-policy", "--issuer", "https://oidc.example", "-c",
        config("cluster: {location: eu-west-1}\n").toString());
    assertThat(noRole.code()).as(noRole.toString()).isEqualTo(2);
    assertThat(noRole.errors()).containsExactly("substrate: aws.role_arn was '' but must name the IAM role ESO "
        + "assumes, arn:aws:iam::ACCOUNT:role/NAME");
    Cli.Result noIssuer = Cli.run("wif", "aws-trust-policy", "-c", config("aws: {role_arn: '" + ROLE + "'}\n")
        .toString());
    assertThat(noIssuer.code()).isEqualTo(2);
    assertThat(noIssuer.errors()).containsExactly("substrate: wif aws-trust-policy needs the issuer: pass --issuer "
        + "URL, or a cluster to read it from (--kubeconfig FILE or --embedded PRESET)");
    Cli.Result http = Cli.run("wif", "aws-trust-policy", "--issuer", "http://oidc.example", "-c",
        config("aws: {role_arn: '" + ROLE + "'}\n").toString());
    assertThat(http.code()).isEqualTo(2);
    assertThat(http.errors().get(0)).contains("https URL without query or fragment");
  }
}
