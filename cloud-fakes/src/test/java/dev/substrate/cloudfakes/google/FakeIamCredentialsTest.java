package dev.substrate.cloudfakes.google;

import static dev.substrate.cloudfakes.google.Https.postForm;
import static dev.substrate.cloudfakes.google.Https.postJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.kubefake.OidcIssuer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The fake IAM Credentials spoken to over HTTPS: generateAccessToken's wire format, its checks, faults, journal. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FakeIamCredentialsTest {
  static final String AUDIENCE = FakeGoogleStsTest.AUDIENCE;
  static final String SUBJECT = FakeGoogleStsTest.SUBJECT;
  static final String GSA = "external-secrets@substrate-platform.iam.gserviceaccount.com";
  static final String BODY = "{\"delegates\":[],\"scope\":[\"https://www.googleapis.com/auth/cloud-platform\"],"
      + "\"lifetime\":\"3600s\"}";

  private final OidcIssuer oidc = OidcIssuer.create(FakeGoogleStsTest.ISSUER);
  private FakeGoogleSts sts;
  private FakeIamCredentials iam;

  @BeforeEach
  void start() {
    sts = FakeGoogleSts.start();
    sts.provider(AUDIENCE).issuer(oidc.issuer()).jwks(oidc::jwksJson).add();
    iam = FakeIamCredentials.start(sts);
  }

  @AfterEach
  void stop() {
    iam.close();
    sts.close();
  }

  private String federated(String scope) {
    Map<String, String> form = FakeGoogleStsTest.form(oidc.mint("external-secrets", "external-secrets",
        List.of(AUDIENCE), Duration.ofHours(1)));
    form.put("scope", scope);
    Https.Answer a = postForm(sts.tokenUrl(), form);
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    return a.body().get("access_token").asText();
  }

  private String federated() {
    return federated("https://www.googleapis.com/auth/cloud-platform");
  }

  private Https.Answer generate(String email, String bearer, String body) {
    return postJson(iam.generateAccessTokenUrl(email), bearer, body);
  }

  private static void assertError(Https.Answer a, int code, String status, String message) {
    assertThat(a.status()).as(a.text()).isEqualTo(code);
    JsonNode error = a.body().get("error");
    assertThat(error.get("code").asInt()).isEqualTo(code);
    assertThat(error.get("status").asText()).isEqualTo(status);
    assertThat(error.get("message").asText()).contains(message);
  }

  @Nested
  class Generate_access_token {
    @Test
    void answers_with_an_access_token_and_an_expire_time_in_seconds_utc() {
      iam.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
      Instant before = Instant.now();
      Https.Answer a = generate(GSA, federated(), BODY);

      assertThat(a.status()).as(a.text()).isEqualTo(200);
      assertThat(a.raw().headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
      List<String> fields = new ArrayList<>();
      for (Iterator<String> it = a.body().fieldNames(); it.hasNext(); ) {
        fields.add(it.next());
      }
      assertThat(fields).containsExactly("accessToken", "expireTime");
      String accessToken = a.body().get("accessToken").asText();
      assertThat(accessToken).startsWith("ya29.c.");
      String expireTime = a.body().get("expireTime").asText();
      assertThat(expireTime).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
      assertThat(Instant.parse(expireTime)).isBetween(before.plusSeconds(3599), Instant.now().plusSeconds(3600));

      assertThat(iam.serviceAccountOf(accessToken)).hasValue(GSA);
      FakeIamCredentials.IssuedToken issued = iam.lookup(accessToken).orElseThrow();
      assertThat(issued.caller()).isEqualTo(FakeGoogleSts.principal(AUDIENCE, SUBJECT));
      assertThat(issued.scopes()).containsExactly("https://www.googleapis.com/auth/cloud-platform");
      assertThat(issued.expiresAt()).isEqualTo(Instant.parse(expireTime));
      assertThat(iam.generatedCount()).isEqualTo(1);
      assertThat(iam.generateAccessTokenUrl(GSA)).isEqualTo(iam.url() + "/v1/projects/-/serviceAccounts/" + GSA
          + ":generateAccessToken");
    }

    @Test
    void a_shorter_lifetime_and_an_escaped_email_are_honoured() {
      iam.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
      Https.Answer a = postJson(iam.url() + "/v1/projects/-/serviceAccounts/" + GSA.replace("@", "%40")
          + ":generateAccessToken", federated(), "{\"scope\":[\"x\"],\"lifetime\":\"600.5s\"}");
      assertThat(a.status()).as(a.text()).isEqualTo(200);
      assertThat(Instant.parse(a.body().get("expireTime").asText()))
          .isBefore(Instant.now().plusSeconds(601)).isAfter(Instant.now().plusSeconds(590));
    }

    @Test
    void a_pool_wide_grant_covers_every_subject_of_the_pool() {
      iam.grant(GSA, FakeGoogleSts.principalSet(AUDIENCE));
      assertThat(generate(GSA, federated(), BODY).status()).isEqualTo(200);
      assertThat(iam.revoke(GSA, FakeGoogleSts.principalSet(AUDIENCE))).isTrue();
      assertThat(generate(GSA, federated(), BODY).status()).isEqualTo(403);
    }

    @Test
    void a_service_account_token_may_impersonate_another_when_granted() {
      iam.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
      String saToken = generate(GSA, federated(), BODY).body().get("accessToken").asText();
      String target = "deployer@substrate-platform.iam.gserviceaccount.com";
      assertThat(generate(target, saToken, BODY).status()).isEqualTo(403);
      iam.grant(target, "serviceAccount:" + GSA);
      Https.Answer chained = generate(target, saToken, BODY);
      assertThat(chained.status()).as(chained.text()).isEqualTo(200);
      assertThat(iam.lookup(chained.body().get("accessToken").asText()).orElseThrow().caller())
          .isEqualTo("serviceAccount:" + GSA);
    }

    @Test
    void access_tokens_expire_with_the_fakes_clock_and_a_longer_lifetime_needs_the_extension() {
      Https.MutableClock clock = new Https.MutableClock(Instant.now());
      try (FakeIamCredentials timed = FakeIamCredentials.builder().trust(sts).clock(clock)
          .maxLifetime(Duration.ofHours(12)).start()) {
        timed.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
        Https.Answer a = postJson(timed.generateAccessTokenUrl(GSA), federated(),
            "{\"scope\":[\"https://www.googleapis.com/auth/cloud-platform\"],\"lifetime\":\"43200s\"}");
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        String token = a.body().get("accessToken").asText();
        assertThat(timed.serviceAccountOf(token)).hasValue(GSA);
        clock.advance(Duration.ofHours(12));
        assertThat(timed.serviceAccountOf(token)).isEmpty();
      }
      assertThatThrownBy(() -> FakeIamCredentials.builder().maxLifetime(Duration.ofHours(13)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class It_refuses {
    @Test
    void a_principal_without_the_role_with_403_permission_denied() {
      Https.Answer a = generate(GSA, federated(), BODY);
      assertError(a, 403, "PERMISSION_DENIED",
          "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).");
      JsonNode info = a.body().at("/error/details/0");
      assertThat(info.get("@type").asText()).isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
      assertThat(info.get("reason").asText()).isEqualTo("IAM_PERMISSION_DENIED");
      assertThat(info.at("/metadata/permission").asText()).isEqualTo("iam.serviceAccounts.getAccessToken");
      iam.grant("other@substrate-platform.iam.gserviceaccount.com", FakeGoogleSts.principal(AUDIENCE, SUBJECT));
      assertThat(generate(GSA, federated(), BODY).status()).isEqualTo(403);
    }

    @Test
    void a_missing_or_unknown_or_revoked_bearer_with_401() {
      iam.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
      Https.Answer missing = generate(GSA, null, BODY);
      assertError(missing, 401, "UNAUTHENTICATED", "missing required authentication credential");
      assertThat(missing.raw().headers().firstValue("WWW-Authenticate")).isPresent();
      assertError(generate(GSA, "ya29.d.forged", BODY), 401, "UNAUTHENTICATED", "invalid authentication credentials");
      String token = federated();
      sts.revokeTokens();
      assertThat(generate(GSA, token, BODY).status()).isEqualTo(401);
    }

    @Test
    void a_federated_token_without_a_cloud_platform_scope_with_403() {
      iam.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
      Https.Answer a = generate(GSA, federated("https://www.googleapis.com/auth/devstorage.read_only"), BODY);
      assertError(a, 403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.");
      assertThat(a.body().at("/error/details/0/reason").asText()).isEqualTo("ACCESS_TOKEN_SCOPE_INSUFFICIENT");
      assertThat(generate(GSA, federated("https://www.googleapis.com/auth/iam"), BODY).status()).isEqualTo(200);
    }

    @Test
    void bad_requests_with_400_invalid_argument() {
      iam.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
      String token = federated();
      assertError(generate(GSA, token, "{\"lifetime\":\"3600s\"}"), 400, "INVALID_ARGUMENT", "Scope required");
      assertError(generate(GSA, token, "{\"scope\":[\"x\"],\"lifetime\":\"3601s\"}"), 400, "INVALID_ARGUMENT",
          "between 1s and 3600s");
      assertError(generate(GSA, token, "{\"scope\":[\"x\"],\"lifetime\":\"1h\"}"), 400, "INVALID_ARGUMENT",
          "Invalid value at 'lifetime'");
      assertError(generate(GSA, token, "{\"scope\":[\"x\"],\"delegates\":[\"projects/-/serviceAccounts/a@b\"]}"), 400,
          "INVALID_ARGUMENT", "delegates");
      assertError(generate(GSA, token, "not json"), 400, "INVALID_ARGUMENT", "Invalid JSON payload");
      assertError(postJson(iam.url() + "/v1/projects/substrate-platform/serviceAccounts/" + GSA
          + ":generateAccessToken", token, BODY), 400, "INVALID_ARGUMENT", "wildcard '-'");
    }

    @Test
    void other_methods_and_paths() {
      String token = federated();
      assertError(postJson(iam.url() + "/v1/projects/-/serviceAccounts/" + GSA + ":signBlob", token, "{}"), 501,
          "UNIMPLEMENTED", "signBlob");
      assertError(Https.send(HttpRequest.newBuilder(URI.create(iam.generateAccessTokenUrl(GSA))).GET().build()), 404,
          "NOT_FOUND", "does not serve GET");
      assertError(postJson(iam.url() + "/v2/elsewhere", token, "{}"), 404, "NOT_FOUND", "does not serve");
    }

    @Test
    void the_tokens_of_an_unlinked_sts() {
      try (FakeIamCredentials alone = FakeIamCredentials.builder().start()) {
        alone.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
        assertThat(postJson(alone.generateAccessTokenUrl(GSA), federated(), BODY).status()).isEqualTo(401);
      }
    }
  }

  @Nested
  class Faults_and_journal {
    @Test
    void injected_failures_answer_google_errors_once_each() {
      iam.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
      String token = federated();
      iam.faults().failNext(2, 503);
      iam.faults().failNext(429);
      assertError(generate(GSA, token, BODY), 503, "UNAVAILABLE", "The service is currently unavailable.");
      assertThat(generate(GSA, token, BODY).status()).isEqualTo(503);
      assertError(generate(GSA, token, BODY), 429, "RESOURCE_EXHAUSTED", "Quota exceeded");
      assertThat(generate(GSA, token, BODY).status()).isEqualTo(200);
    }

    @Test
    void a_delay_holds_answers_until_cleared() {
      iam.faults().delay(Duration.ofMillis(250));
      long started = System.nanoTime();
      generate(GSA, "x", BODY);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
      iam.faults().clear();
      started = System.nanoTime();
      generate(GSA, "x", BODY);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(250));
    }

    @Test
    void the_journal_records_requests_and_never_a_token() {
      iam.grant(GSA, FakeGoogleSts.principal(AUDIENCE, SUBJECT));
      String token = federated();
      String accessToken = generate(GSA, token, BODY).body().get("accessToken").asText();
      generate(GSA, null, BODY);
      assertThat(iam.journal().requests()).extracting(Journal.Request::toString).containsExactly(
          "POST /v1/projects/-/serviceAccounts/" + GSA + ":generateAccessToken -> 200",
          "POST /v1/projects/-/serviceAccounts/" + GSA + ":generateAccessToken -> 401");
      assertThat(iam.journal().requests().toString()).doesNotContain(token).doesNotContain(accessToken);
      assertThat(iam.journal().size()).isEqualTo(2);
      iam.journal().clear();
      assertThat(iam.journal().size()).isZero();
    }
  }
}
