package dev.substrate.cloudfakes.google;

import static dev.substrate.cloudfakes.google.Https.postForm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.kubefake.OidcIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The fake STS spoken to over HTTPS with the JDK client: wire format, what it checks, faults and journal. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FakeGoogleStsTest {
  static final String AUDIENCE =
      "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/hetzner/providers/k3s-oidc";
  static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
  static final String SUBJECT = "system:serviceaccount:external-secrets:external-secrets";

  private final OidcIssuer oidc = OidcIssuer.create(ISSUER);
  private FakeGoogleSts sts;

  @BeforeEach
  void start() {
    sts = FakeGoogleSts.start();
    sts.provider(AUDIENCE).issuer(ISSUER).jwks(oidc.jwksJson()).add();
  }

  @AfterEach
  void stop() {
    sts.close();
  }

  private String token(List<String> aud) {
    return oidc.mint("external-secrets", "external-secrets", aud, Duration.ofHours(1));
  }

  static Map<String, String> form(String subjectToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
    form.put("audience", AUDIENCE);
    form.put("scope", "https://www.googleapis.com/auth/cloud-platform");
    form.put("requested_token_type", "urn:ietf:params:oauth:token-type:access_token");
    form.put("subject_token", subjectToken);
    form.put("subject_token_type", "urn:ietf:params:oauth:token-type:jwt");
    return form;
  }

  private Https.Answer exchange(Map<String, String> form) {
    return postForm(sts.tokenUrl(), form);
  }

  private void assertRefused(Map<String, String> form, String error, String description) {
    Https.Answer a = exchange(form);
    assertThat(a.status()).as(a.text()).isEqualTo(400);
    assertThat(a.body().get("error").asText()).isEqualTo(error);
    assertThat(a.body().get("error_description").asText()).contains(description);
    String subjectToken = form.getOrDefault("subject_token", "");
    if (subjectToken.length() > 20) {
      assertThat(a.text()).doesNotContain(subjectToken).doesNotContain(subjectToken.split("\\.")[0] + ".");
    }
  }

  @Nested
  class An_exchange {
    @Test
    void answers_in_the_wire_format_of_sts() {
      Https.Answer a = exchange(form(token(List.of(AUDIENCE))));

      assertThat(a.status()).as(a.text()).isEqualTo(200);
      assertThat(a.raw().headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
      List<String> fields = new ArrayList<>();
      for (Iterator<String> it = a.body().fieldNames(); it.hasNext(); ) {
        fields.add(it.next());
      }
      assertThat(fields).containsExactly("access_token", "issued_token_type", "token_type", "expires_in");
      assertThat(a.body().get("access_token").asText()).startsWith("ya29.d.").hasSizeGreaterThan(100);
      assertThat(a.body().get("issued_token_type").asText()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
      assertThat(a.body().get("token_type").asText()).isEqualTo("Bearer");
      assertThat(a.body().get("expires_in").isIntegralNumber()).isTrue();
      assertThat(a.body().get("expires_in").asLong()).isEqualTo(3600);

      FakeGoogleSts.IssuedToken issued = sts.lookup(a.body().get("access_token").asText()).orElseThrow();
      assertThat(issued.principal()).isEqualTo("principal://iam.googleapis.com/projects/123456789012/locations/"
          + "global/workloadIdentityPools/hetzner/subject/" + SUBJECT);
      assertThat(issued.subject()).isEqualTo(SUBJECT);
      assertThat(issued.audience()).isEqualTo(AUDIENCE);
      assertThat(issued.scopes()).containsExactly("https://www.googleapis.com/auth/cloud-platform");
      assertThat(issued.toString()).doesNotContain(a.body().get("access_token").asText());
      assertThat(sts.exchangeCount()).isEqualTo(1);
      assertThat(sts.lookup("ya29.d.unknown")).isEmpty();
    }

    @Test
    void accepts_the_provider_name_with_or_without_https_as_aud_and_an_id_token_type() {
      assertThat(exchange(form(token(List.of("https:" + AUDIENCE)))).status()).isEqualTo(200);
      Map<String, String> idToken = form(token(List.of("other", AUDIENCE)));
      idToken.put("subject_token_type", "urn:ietf:params:oauth:token-type:id_token");
      assertThat(exchange(idToken).status()).isEqualTo(200);
    }

    @Test
    void with_allowed_audiences_only_those_are_accepted() {
      sts.provider(AUDIENCE).issuer(ISSUER).jwks(oidc.jwksJson()).allowedAudiences("sts.googleapis.com").add();
      assertThat(exchange(form(token(List.of("sts.googleapis.com")))).status()).isEqualTo(200);
      assertRefused(form(token(List.of(AUDIENCE))), "invalid_grant",
          "does not match the expected audience sts.googleapis.com");
    }

    @Test
    void a_live_jwks_follows_a_key_rotation_and_an_uploaded_one_does_not() {
      String live = "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/hetzner/"
          + "providers/live-jwks";
      sts.trust(live, oidc.issuer(), oidc::jwksJson);
      oidc.rotateKey();
      Map<String, String> rotated = form(token(List.of(live)));
      rotated.put("audience", live);
      assertThat(exchange(rotated).status()).isEqualTo(200);
      assertRefused(form(token(List.of(AUDIENCE))), "invalid_grant", "no key with kid \"" + oidc.keyId() + "\"");
    }

    @Test
    void federated_tokens_expire_with_the_fakes_clock() {
      // Minted before the clock is read: its iat (whole seconds) is then never after the fake's now.
      Map<String, String> request = form(token(List.of(AUDIENCE)));
      Https.MutableClock clock = new Https.MutableClock(Instant.now());
      try (FakeGoogleSts timed = FakeGoogleSts.builder().clock(clock).tokenLifetime(Duration.ofMinutes(30)).start()) {
        timed.provider(AUDIENCE).issuer(ISSUER).jwks(oidc::jwksJson).add();
        Https.Answer a = postForm(timed.tokenUrl(), request);
        assertThat(a.body().get("expires_in").asLong()).isEqualTo(1800);
        String accessToken = a.body().get("access_token").asText();
        assertThat(timed.lookup(accessToken)).isPresent();
        clock.advance(Duration.ofMinutes(30));
        assertThat(timed.lookup(accessToken)).isEmpty();
      }
    }

    @Test
    void revoked_tokens_are_forgotten() {
      String accessToken = exchange(form(token(List.of(AUDIENCE)))).body().get("access_token").asText();
      sts.revokeTokens();
      assertThat(sts.lookup(accessToken)).isEmpty();
    }
  }

  @Nested
  class The_subject_token_is_refused_when {
    @Test
    void its_key_is_not_in_the_providers_jwks() {
      OidcIssuer impostor = OidcIssuer.create(ISSUER);
      impostor.rotateKey();
      assertRefused(form(impostor.mint("external-secrets", "external-secrets", List.of(AUDIENCE), Duration.ofHours(1))),
          "invalid_grant", "Invalid JWT signature: the provider's JWKS has no key with kid");
    }

    @Test
    void its_signature_does_not_match() {
      String[] good = token(List.of(AUDIENCE)).split("\\.");
      String[] other = oidc.mint("kube-system", "default", List.of(AUDIENCE), Duration.ofHours(1)).split("\\.");
      assertRefused(form(good[0] + "." + other[1] + "." + good[2]), "invalid_grant", "Invalid JWT signature.");
    }

    @Test
    void it_is_not_a_signed_jwt() {
      assertRefused(form("not-a-jwt"), "invalid_grant", "Unable to parse the ID Token");
    }

    @Test
    void its_issuer_is_not_the_providers() {
      sts.provider(AUDIENCE).issuer("https://oidc.acme.example").jwks(oidc.jwksJson()).add();
      assertRefused(form(token(List.of(AUDIENCE))), "invalid_grant",
          "The issuer in ID Token [" + ISSUER + "] does not match the expected ones: [https://oidc.acme.example]");
    }

    @Test
    void its_audience_is_another() {
      assertRefused(form(token(List.of(ISSUER))), "invalid_grant", "The audience in ID Token [" + ISSUER
          + "] does not match the expected audience https://iam.googleapis.com/projects/123456789012/");
    }

    @Test
    void it_has_expired() {
      String stale = oidc.mint("external-secrets", "external-secrets", List.of(AUDIENCE),
          Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
      assertRefused(form(stale), "invalid_grant", "The ID Token expired at");
    }

    @Test
    void it_is_not_valid_yet() {
      String early = oidc.mint("external-secrets", "external-secrets", List.of(AUDIENCE),
          Instant.now().plus(Duration.ofHours(1)), Duration.ofHours(1));
      assertRefused(form(early), "invalid_grant", "The ID Token is not valid yet");
    }

    @Test
    void its_subject_is_longer_than_google_subject_allows() {
      String longName = "a".repeat(110);
      String token = oidc.mint("external-secrets", longName, List.of(AUDIENCE), Duration.ofHours(1));
      assertRefused(form(token), "invalid_request", "exceeds the 127 bytes limit");
    }

    @Test
    void the_attribute_condition_refuses_it() {
      sts.provider(AUDIENCE).issuer(ISSUER).jwks(oidc.jwksJson())
          .attributeCondition(claims -> claims.get("sub").toString().startsWith("system:serviceaccount:kube-system:"))
          .add();
      Https.Answer a = exchange(form(token(List.of(AUDIENCE))));
      assertThat(a.status()).isEqualTo(400);
      assertThat(a.body().get("error").asText()).isEqualTo("unauthorized_client");
      assertThat(a.body().get("error_description").asText())
          .isEqualTo("The given credential is rejected by the attribute condition.");
    }
  }

  @Nested
  class The_request_is_refused_when {
    @Test
    void the_provider_does_not_exist() {
      Map<String, String> f = form(token(List.of(AUDIENCE)));
      f.put("audience", AUDIENCE.replace("k3s-oidc", "deleted"));
      assertRefused(f, "invalid_target", "The target service indicated by the \"audience\" parameters is invalid.");
      assertThat(sts.removeProvider(AUDIENCE)).isTrue();
      assertRefused(form(token(List.of(AUDIENCE))), "invalid_target", "doesn't exist");
    }

    @Test
    void the_audience_is_not_a_provider_name() {
      Map<String, String> f = form(token(List.of(AUDIENCE)));
      f.put("audience", "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/hetzner/"
          + "providers/k3s");
      assertRefused(f, "invalid_request", "Invalid value for \"audience\". This value should be the full resource name");
    }

    @Test
    void a_parameter_has_the_wrong_value_or_is_missing() {
      Map<String, String> grant = form(token(List.of(AUDIENCE)));
      grant.put("grant_type", "client_credentials");
      assertRefused(grant, "unsupported_grant_type", "Invalid value for \"grant_type\"");
      Map<String, String> requested = form(token(List.of(AUDIENCE)));
      requested.put("requested_token_type", "urn:ietf:params:oauth:token-type:id_token");
      assertRefused(requested, "invalid_request", "Invalid value for \"requested_token_type\"");
      Map<String, String> type = form(token(List.of(AUDIENCE)));
      type.put("subject_token_type", "urn:ietf:params:oauth:token-type:saml2");
      assertRefused(type, "invalid_request", "Invalid value for \"subject_token_type\"");
      Map<String, String> scope = form(token(List.of(AUDIENCE)));
      scope.remove("scope");
      assertRefused(scope, "invalid_scope", "Scope(s) must be provided.");
      Map<String, String> subject = form("");
      assertRefused(subject, "invalid_request", "subject_token");
    }

    @Test
    void the_body_is_not_a_form_or_the_method_or_path_is_wrong() {
      Https.Answer json = Https.postJson(sts.tokenUrl(), null, "{\"grant_type\":\"x\"}");
      assertThat(json.status()).isEqualTo(400);
      assertThat(json.body().get("error").asText()).isEqualTo("invalid_request");
      Https.Answer get = Https.send(HttpRequest.newBuilder(URI.create(sts.tokenUrl())).GET().build());
      assertThat(get.status()).isEqualTo(405);
      Https.Answer other = Https.send(HttpRequest.newBuilder(URI.create(sts.url() + "/v1/introspect")).GET().build());
      assertThat(other.status()).isEqualTo(404);
    }
  }

  @Nested
  class Setup {
    @Test
    void principals_are_named_as_iam_names_them() {
      assertThat(FakeGoogleSts.principal(AUDIENCE, SUBJECT)).isEqualTo("principal://iam.googleapis.com/projects/"
          + "123456789012/locations/global/workloadIdentityPools/hetzner/subject/" + SUBJECT);
      assertThat(FakeGoogleSts.principalSet(AUDIENCE)).isEqualTo("principalSet://iam.googleapis.com/projects/"
          + "123456789012/locations/global/workloadIdentityPools/hetzner/*");
    }

    @Test
    void a_provider_needs_a_valid_name_an_issuer_and_a_jwks() {
      assertThatThrownBy(() -> sts.provider("//iam.googleapis.com/projects/p/locations/global/workloadIdentityPools/"
          + "pool/providers/prov")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUMBER");
      assertThatThrownBy(() -> sts.provider(AUDIENCE).issuer(ISSUER).add())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("JWKS");
      assertThatThrownBy(() -> sts.provider(AUDIENCE).allowedAudiences("1", "2", "3", "4", "5", "6", "7", "8", "9",
          "10", "11")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 10");
    }

    @Test
    void it_serves_https_with_the_testkit_certificate_only() throws Exception {
      assertThat(sts.url()).startsWith("https://127.0.0.1:");
      assertThat(sts.tokenUrl()).isEqualTo(sts.url() + "/v1/token");
      HttpClient untrusting = HttpClient.newBuilder().build();
      assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create(sts.tokenUrl())).GET().build(),
          HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
      try (FakeGoogleSts plain = FakeGoogleSts.builder().plainHttp().start()) {
        assertThat(plain.url()).startsWith("http://127.0.0.1:");
        HttpResponse<String> r = untrusting.send(HttpRequest.newBuilder(URI.create(plain.tokenUrl())).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
      }
    }
  }

  @Nested
  class Faults_and_journal {
    @Test
    void injected_failures_answer_oauth_errors_and_are_used_once() {
      sts.faults().failNext(503);
      sts.faults().failNext(2, 500);
      Https.Answer unavailable = exchange(form(token(List.of(AUDIENCE))));
      assertThat(unavailable.status()).isEqualTo(503);
      assertThat(unavailable.body().get("error").asText()).isEqualTo("temporarily_unavailable");
      JsonNode serverError = exchange(form(token(List.of(AUDIENCE)))).body();
      assertThat(serverError.get("error").asText()).isEqualTo("server_error");
      assertThat(exchange(form(token(List.of(AUDIENCE)))).status()).isEqualTo(500);
      assertThat(exchange(form(token(List.of(AUDIENCE)))).status()).isEqualTo(200);
      assertThat(sts.exchangeCount()).isEqualTo(1);
    }

    @Test
    void a_delay_holds_every_answer_until_cleared() {
      sts.faults().delay(Duration.ofMillis(300));
      long started = System.nanoTime();
      assertThat(exchange(form(token(List.of(AUDIENCE)))).status()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
      sts.faults().failNext(503);
      sts.faults().clear();
      started = System.nanoTime();
      assertThat(exchange(form(token(List.of(AUDIENCE)))).status()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(300));
    }

    @Test
    void the_journal_records_each_request_without_any_token() {
      String subjectToken = token(List.of(AUDIENCE));
      String accessToken = exchange(form(subjectToken)).body().get("access_token").asText();
      exchange(form("nope"));

      assertThat(sts.journal().requests()).extracting(Journal.Request::toString)
          .containsExactly("POST /v1/token -> 200", "POST /v1/token -> 400");
      assertThat(sts.journal().requests().toString()).doesNotContain(subjectToken).doesNotContain(accessToken);
      assertThat(sts.journal().size()).isEqualTo(2);
      sts.journal().clear();
      assertThat(sts.journal().requests()).isEmpty();
    }
  }
}
