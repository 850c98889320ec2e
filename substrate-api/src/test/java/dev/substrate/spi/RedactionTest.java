package dev.substrate.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void aUrlLosesItsUserInfoQueryAndFragmentAndNothingElse() {
    assertThat(Redaction.url("https://u:p@h:8443/v1?token=x#f")).isEqualTo("https://h:8443/v1");
    assertThat(Redaction.url("https://api.hetzner.cloud/v1")).isEqualTo("https://api.hetzner.cloud/v1");
    assertThat(Redaction.url("http://127.0.0.1:8080/a@b")).isEqualTo("http://127.0.0.1:8080/a@b");
    assertThat(Redaction.url("/run/secrets/jwks.json")).isEqualTo("/run/secrets/jwks.json");
  }

  @Test
  void tokensAreToldFromVariableNamesAndPaths() {
    assertThat(Redaction.looksLikeToken("x7Qk2pLm9RtV4sWz8YbN3cDf6GhJ1kMn5PqRs0TuVwXy2Az4Bc6De8Fg0Hj2Kl4M")).isTrue();
    assertThat(Redaction.looksLikeToken("ya29.a0AfH6SMs3cr3t-tok3n")).isTrue();
    assertThat(Redaction.looksLikeToken("hvs.CAESIJ5s3cr3tT0k3nAbCdEfGhIjKlMnOp")).isTrue();
    assertThat(Redaction.looksLikeToken("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")).isTrue();

    assertThat(Redaction.looksLikeToken("HCLOUD_TOKEN")).isFalse();
    assertThat(Redaction.looksLikeToken("HCLOUD_TOKEN_FOR_THE_PRODUCTION_PROJECT_2")).isFalse();
    assertThat(Redaction.looksLikeToken("HCLOUDTOKENPRODUCTIONPROJECT")).isFalse();
    assertThat(Redaction.looksLikeToken("/run/secrets/hcloud-token")).isFalse();
    assertThat(Redaction.looksLikeToken("~/.config/hcloud/token.txt")).isFalse();
    assertThat(Redaction.looksLikeToken(null)).isFalse();
  }
}
