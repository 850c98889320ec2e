package dev.substrate.cloudfakes.google;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.substrate.SecretValue;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.kubefake.OidcIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Which bearer tokens the fake Secret Manager accepts: its own, a predicate's, or one service account's from IAM. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FakeSecretManagerTokensTest {
  private static final String PATH = "/v1/projects/substrate-platform/secrets/hf-token/versions/latest:access";
  private static final String GSA = FakeIamCredentialsTest.GSA;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private FakeSecretManager fake;

  @BeforeEach
  void start() {
    fake = FakeSecretManager.builder().token("static").start();
    fake.seed("substrate-platform", "hf-token", SecretValue.of("hf_s3cr3t"));
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private int access(String token) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(fake.url() + PATH))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }

  @Test
  void by_default_only_the_static_token_is_accepted() throws Exception {
    assertThat(access("static")).isEqualTo(200);
    assertThat(access("other")).isEqualTo(401);
  }

  @Test
  void a_predicate_replaces_the_static_token_until_a_token_is_set_again() throws Exception {
    fake.acceptTokens(t -> t.startsWith("ya29."));
    assertThat(access("ya29.anything")).isEqualTo(200);
    assertThat(access("static")).isEqualTo(401);
    fake.token("renewed");
    assertThat(access("renewed")).isEqualTo(200);
    assertThat(access("ya29.anything")).isEqualTo(401);
  }

  @Test
  void trusting_iam_accepts_only_its_live_tokens_for_one_service_account() throws Exception {
    OidcIssuer oidc = OidcIssuer.create(FakeGoogleStsTest.ISSUER);
    try (FakeGoogleSts sts = FakeGoogleSts.start(); FakeIamCredentials iam = FakeIamCredentials.start(sts)) {
      sts.trust(FakeGoogleStsTest.AUDIENCE, oidc.issuer(), oidc::jwksJson);
      iam.grant(GSA, FakeGoogleSts.principalSet(FakeGoogleStsTest.AUDIENCE));
      iam.grant("other@substrate-platform.iam.gserviceaccount.com",
          FakeGoogleSts.principalSet(FakeGoogleStsTest.AUDIENCE));
      String federated = Https.postForm(sts.tokenUrl(), FakeGoogleStsTest.form(oidc.mint("external-secrets",
          "external-secrets", List.of(FakeGoogleStsTest.AUDIENCE), Duration.ofHours(1)))).body()
          .get("access_token").asText();
      String mine = token(iam, GSA, federated);
      String theirs = token(iam, "other@substrate-platform.iam.gserviceaccount.com", federated);

      fake.trust(iam, GSA);

      assertThat(access(mine)).isEqualTo(200);
      assertThat(access(theirs)).isEqualTo(403);
      assertThat(access(federated)).as("a federated token is not the service account's").isEqualTo(401);
      assertThat(access("static")).isEqualTo(401);
      iam.revokeTokens();
      assertThat(access(mine)).isEqualTo(401);
      assertThat(fake.journal().requests()).extracting(Journal.Request::status).containsExactly(200, 403, 401, 401, 401);
    }
  }

  private static String token(FakeIamCredentials iam, String email, String federated) {
    Https.Answer a = Https.postJson(iam.generateAccessTokenUrl(email), federated,
        "{\"scope\":[\"https://www.googleapis.com/auth/cloud-platform\"]}");
    JsonNode body = a.body();
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    return body.get("accessToken").asText();
  }
}
