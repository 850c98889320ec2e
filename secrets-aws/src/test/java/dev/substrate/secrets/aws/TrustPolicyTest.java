package dev.substrate.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TrustPolicyTest {
  @Test
  void namesTheOidcProviderAndConditionsSubAndAudOnTheIssuerHostPath() throws Exception {
    TrustPolicy policy = TrustPolicy.forRole("https://oidc.acme-ml.example/hetzner/",
        "arn:aws:iam::123456789012:role/eso", "external-secrets", "eso", "sts.amazonaws.com");
    assertThat(policy.providerArn())
        .isEqualTo("arn:aws:iam::123456789012:oidc-provider/oidc.acme-ml.example/hetzner");
    JsonNode json = new ObjectMapper().readTree(policy.json());
    assertThat(json.path("Version").asText()).isEqualTo("2012-10-17");
    JsonNode statement = json.path("Statement").get(0);
    assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
    assertThat(statement.path("Principal").path("Federated").asText()).isEqualTo(policy.providerArn());
    assertThat(statement.path("Action").asText()).isEqualTo("sts:AssumeRoleWithWebIdentity");
    JsonNode equals = statement.path("Condition").path("StringEquals");
    assertThat(equals.path("oidc.acme-ml.example/hetzner:sub").asText())
        .isEqualTo("system:serviceaccount:external-secrets:eso");
    assertThat(equals.path("oidc.acme-ml.example/hetzner:aud").asText()).isEqualTo("sts.amazonaws.com");
    assertThat(equals.size()).isEqualTo(2);
    assertThat(policy.createProviderCommand()).isEqualTo("aws iam create-open-id-connect-provider --url "
        + "https://oidc.acme-ml.example/hetzner/ --client-id-list sts.amazonaws.com");
  }

  @Test
  void keepsTheRolesPartition() {
    assertThat(TrustPolicy.forRole("https://oidc.example.cn", "arn:aws-cn:iam::123456789012:role/eso", "ns", "sa",
        "sts.amazonaws.com").providerArn()).isEqualTo("arn:aws-cn:iam::123456789012:oidc-provider/oidc.example.cn");
  }

  @Test
  void refusesAnIssuerIamCannotTrust() {
    assertThatThrownBy(() -> TrustPolicy.of("http://oidc.example", "123456789012", "ns", "sa", "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https URL");
    assertThatThrownBy(() -> TrustPolicy.of("https://oidc.example", "1234", "ns", "sa", "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 digits");
  }
}
