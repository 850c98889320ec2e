package dev.substrate.cloudfakes.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.kubefake.OidcIssuer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** The AWS SDK v2's StsClient against FakeAwsSts, with tokens the embedded cluster's OIDC issuer mints. */
class FakeAwsStsTest {
  private static final String ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/FAKE0123456789";
  private static final String ROLE = "arn:aws:iam::123456789012:role/external-secrets";
  private static final String SUBJECT = "system:serviceaccount:external-secrets:eso";

  private final OidcIssuer oidc = OidcIssuer.create(ISSUER);
  private final FakeAwsSts sts = FakeAwsSts.start();
  private final StsClient client = StsClient.builder().endpointOverride(URI.create(sts.url()))
      .region(Region.US_EAST_1).credentialsProvider(AnonymousCredentialsProvider.create()).build();

  @AfterEach
  void close() {
    client.close();
    sts.close();
  }

  private void trustEso() {
    sts.role(ROLE).trustIssuer(ISSUER, oidc::jwksJson).audience("sts.amazonaws.com").subject(SUBJECT).add();
  }

  private String token(String namespace, String name, String audience) {
    return oidc.mint(namespace, name, List.of(audience), Duration.ofHours(1));
  }

  private AssumeRoleWithWebIdentityResponse assume(String role, String token) {
    return client.assumeRoleWithWebIdentity(AssumeRoleWithWebIdentityRequest.builder().roleArn(role)
        .roleSessionName("eso-session").webIdentityToken(token).build());
  }

  private void assertRefused(String token, int status, String code, String message) {
    assertThatThrownBy(() -> assume(ROLE, token)).isInstanceOfSatisfying(StsException.class, e -> {
      assertThat(e.statusCode()).isEqualTo(status);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
      assertThat(e.awsErrorDetails().errorMessage()).contains(message).doesNotContain(token);
    });
  }

  @Test
  void a_valid_token_gets_temporary_credentials_for_the_role() {
    trustEso();
    AssumeRoleWithWebIdentityResponse r = assume(ROLE, token("external-secrets", "eso", "sts.amazonaws.com"));

    assertThat(r.subjectFromWebIdentityToken()).isEqualTo(SUBJECT);
    assertThat(r.audience()).isEqualTo("sts.amazonaws.com");
    assertThat(r.provider()).isEqualTo(ISSUER);
    assertThat(r.assumedRoleUser().arn())
        .isEqualTo("arn:aws:sts::123456789012:assumed-role/external-secrets/eso-session");
    assertThat(r.assumedRoleUser().assumedRoleId()).endsWith(":eso-session");
    assertThat(r.credentials().accessKeyId()).startsWith("ASIA");
    assertThat(r.credentials().secretAccessKey()).isNotBlank();
    assertThat(r.credentials().sessionToken()).isNotBlank();
    assertThat(r.credentials().expiration()).isBetween(Instant.now().plus(Duration.ofMinutes(59)),
        Instant.now().plus(Duration.ofMinutes(61)));
    assertThat(sts.lookup(r.credentials().accessKeyId())).hasValueSatisfying(c -> {
      assertThat(c.roleArn()).isEqualTo(ROLE);
      assertThat(c.subject()).isEqualTo(SUBJECT);
    });
    assertThat(sts.assumeCount()).isEqualTo(1);
  }

  @Test
  void a_token_for_another_audience_is_an_invalid_identity_token() {
    trustEso();
    assertRefused(token("external-secrets", "eso", "sts.googleapis.com"), 400, "InvalidIdentityToken",
        "Incorrect token audience");
  }

  @Test
  void a_token_of_another_service_account_is_access_denied_by_the_sub_condition() {
    trustEso();
    assertRefused(token("default", "default", "sts.amazonaws.com"), 403, "AccessDenied",
        "Not authorized to perform sts:AssumeRoleWithWebIdentity");
  }

  @Test
  void a_role_without_a_subject_condition_takes_every_subject_of_the_issuer() {
    sts.role(ROLE).trustIssuer(ISSUER, oidc::jwksJson).audience("sts.amazonaws.com").add();
    assertThat(assume(ROLE, token("default", "default", "sts.amazonaws.com")).subjectFromWebIdentityToken())
        .isEqualTo("system:serviceaccount:default:default");
  }

  @Test
  void after_a_key_rotation_an_uploaded_jwks_no_longer_verifies_tokens() {
    String uploaded = oidc.jwksJson();
    sts.role(ROLE).trustIssuer(ISSUER, () -> uploaded).audience("sts.amazonaws.com").subject(SUBJECT).add();
    assertThat(assume(ROLE, token("external-secrets", "eso", "sts.amazonaws.com")).credentials()).isNotNull();

    oidc.rotateKey();

    assertRefused(token("external-secrets", "eso", "sts.amazonaws.com"), 400, "InvalidIdentityToken",
        "Couldn't retrieve verification key");
  }

  @Test
  void a_live_jwks_follows_the_rotation() {
    trustEso();
    oidc.rotateKey();
    assertThat(assume(ROLE, token("external-secrets", "eso", "sts.amazonaws.com")).credentials()).isNotNull();
  }

  @Test
  void a_token_whose_claims_were_changed_after_signing_is_refused() {
    trustEso();
    String[] eso = token("external-secrets", "eso", "sts.amazonaws.com").split("\\.");
    String[] other = token("default", "default", "sts.amazonaws.com").split("\\.");
    assertRefused(other[0] + "." + eso[1] + "." + other[2], 400, "InvalidIdentityToken", "signature does not verify");
  }

  @Test
  void an_expired_token_is_refused_with_expired_token_exception() {
    trustEso();
    String stale = oidc.mint("external-secrets", "eso", List.of("sts.amazonaws.com"),
        Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    assertThatThrownBy(() -> assume(ROLE, stale)).isInstanceOfSatisfying(StsException.class, e -> {
      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredTokenException");
      assertThat(e.awsErrorDetails().errorMessage()).startsWith("Token expired").doesNotContain(stale);
    });
  }

  @Test
  void a_token_of_an_issuer_no_role_trusts_has_no_provider() {
    trustEso();
    OidcIssuer other = OidcIssuer.create("https://oidc.example.org");
    String token = other.mint("external-secrets", "eso", List.of("sts.amazonaws.com"), Duration.ofHours(1));
    assertRefused(token, 400, "InvalidIdentityToken",
        "No OpenIDConnect provider found in your account for https://oidc.example.org");
  }

  @Test
  void an_unknown_role_is_access_denied() {
    trustEso();
    String token = token("external-secrets", "eso", "sts.amazonaws.com");
    assertThatThrownBy(() -> assume("arn:aws:iam::123456789012:role/other", token))
        .isInstanceOfSatisfying(StsException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(403);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        });
  }

  @Test
  void a_duration_beyond_the_roles_maximum_is_a_validation_error() {
    trustEso();
    String token = token("external-secrets", "eso", "sts.amazonaws.com");
    assertThatThrownBy(() -> client.assumeRoleWithWebIdentity(AssumeRoleWithWebIdentityRequest.builder()
        .roleArn(ROLE).roleSessionName("s1").webIdentityToken(token).durationSeconds(7200).build()))
        .isInstanceOfSatisfying(StsException.class, e ->
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
    sts.role(ROLE).trustIssuer(ISSUER, oidc::jwksJson).audience("sts.amazonaws.com").subject(SUBJECT)
        .maxSessionDuration(Duration.ofHours(2)).add();
    assertThat(client.assumeRoleWithWebIdentity(AssumeRoleWithWebIdentityRequest.builder().roleArn(ROLE)
        .roleSessionName("s1").webIdentityToken(token).durationSeconds(7200).build()).credentials().expiration())
        .isAfter(Instant.now().plus(Duration.ofMinutes(119)));
  }

  @Test
  void the_query_api_answers_get_too_and_the_journal_never_holds_the_token() throws Exception {
    trustEso();
    String token = token("external-secrets", "eso", "sts.amazonaws.com");
    String query = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn="
        + URLEncoder.encode(ROLE, StandardCharsets.UTF_8) + "&RoleSessionName=s1&WebIdentityToken=" + token;
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(sts.url() + "/?" + query)).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/xml");
    assertThat(r.body()).startsWith("<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
        .contains("<SubjectFromWebIdentityToken>" + SUBJECT + "</SubjectFromWebIdentityToken>");
    assertThat(sts.journal().requests()).singleElement().satisfies(req -> {
      assertThat(req.query()).contains("WebIdentityToken=REDACTED").doesNotContain(token);
      assertThat(req.status()).isEqualTo(200);
    });
  }

  @Test
  void an_unknown_action_is_an_xml_sender_error() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sts.url() + "/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity&Version=2011-06-15")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">",
        "<Type>Sender</Type>", "<Code>InvalidAction</Code>", "<RequestId>");
  }

  @Test
  void roles_are_validated_when_registered() {
    assertThatThrownBy(() -> sts.role("arn:aws:iam::123:user/x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("arn:aws:iam::ACCOUNT:role/NAME");
    assertThatThrownBy(() -> sts.role(ROLE).trustIssuer(ISSUER, oidc::jwksJson).add())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("audience");
  }
}
