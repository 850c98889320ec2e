package dev.substrate.cloudfakes.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.SecretValue;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.kubefake.OidcIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/** The AWS SDK v2's SecretsManagerClient against FakeAwsSecretsManager. */
class FakeAwsSecretsManagerTest {
  private final FakeAwsSecretsManager sm = FakeAwsSecretsManager.start();
  private final SecretsManagerClient client = client(AwsBasicCredentials.create(sm.accessKeyId(), sm.secretAccessKey()),
      Region.US_EAST_1);

  @AfterEach
  void close() {
    client.close();
    sm.close();
  }

  private SecretsManagerClient client(AwsCredentials credentials, Region region) {
    return SecretsManagerClient.builder().endpointOverride(URI.create(sm.url())).region(region)
        .credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
  }

  private String current(String id) {
    return client.getSecretValue(b -> b.secretId(id)).secretString();
  }

  @Test
  void a_new_value_becomes_awscurrent_and_the_former_one_awsprevious() {
    String v1 = client.createSecret(b -> b.name("prod/db").secretString("one").description("db")).versionId();
    String v2 = client.putSecretValue(b -> b.secretId("prod/db").secretString("two")).versionId();
    String v3 = client.putSecretValue(b -> b.secretId("prod/db").secretString("three")).versionId();

    assertThat(current("prod/db")).isEqualTo("three");
    GetSecretValueResponse previous = client.getSecretValue(b -> b.secretId("prod/db").versionStage("AWSPREVIOUS"));
    assertThat(previous.secretString()).isEqualTo("two");
    assertThat(previous.versionId()).isEqualTo(v2);
    assertThat(client.getSecretValue(b -> b.secretId("prod/db").versionId(v1)).secretString()).isEqualTo("one");
    DescribeSecretResponse d = client.describeSecret(b -> b.secretId("prod/db"));
    assertThat(d.versionIdsToStages()).containsOnlyKeys(v2, v3)
        .containsEntry(v3, List.of("AWSCURRENT")).containsEntry(v2, List.of("AWSPREVIOUS"));
    assertThat(d.description()).isEqualTo("db");
    assertThat(d.arn()).matches("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-[A-Za-z]{6}");
    assertThat(current(d.arn())).as("by ARN").isEqualTo("three");
    assertThat(sm.versionCount("prod/db")).isEqualTo(3);
    assertThatThrownBy(() -> client.getSecretValue(b -> b.secretId("prod/db").versionId(v1).versionStage("AWSCURRENT")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void a_retried_put_with_the_same_client_request_token_adds_no_version() {
    client.createSecret(b -> b.name("k"));
    String token = "00000000-0000-0000-0000-000000000001";
    client.putSecretValue(b -> b.secretId("k").secretString("v").clientRequestToken(token));
    client.putSecretValue(b -> b.secretId("k").secretString("v").clientRequestToken(token));
    assertThat(sm.versionCount("k")).isEqualTo(1);
    assertThatThrownBy(() -> client.putSecretValue(b -> b.secretId("k").secretString("w").clientRequestToken(token)))
        .isInstanceOf(ResourceExistsException.class).hasMessageNotContaining("\"w\"");
  }

  @Test
  void binary_secrets_round_trip() {
    byte[] bytes = {0, 1, 2, (byte) 0xff, 10};
    client.createSecret(b -> b.name("bin").secretBinary(SdkBytes.fromByteArray(bytes)));
    GetSecretValueResponse r = client.getSecretValue(b -> b.secretId("bin"));
    assertThat(r.secretBinary().asByteArray()).containsExactly(bytes);
    assertThat(r.secretString()).isNull();
    assertThat(sm.currentValue("bin")).hasValueSatisfying(v -> assertThat(v.revealBytes()).containsExactly(bytes));
  }

  @Test
  void list_secrets_pages_with_max_results_and_next_token() {
    for (int i = 0; i < 7; i++) {
      sm.seed("app/s" + i, SecretValue.of("v" + i));
    }
    sm.journal().clear();
    List<String> names = client.listSecretsPaginator(b -> b.maxResults(3)).stream().flatMap(p -> p.secretList().stream())
        .map(SecretListEntry::name).toList();
    assertThat(names).containsExactly("app/s0", "app/s1", "app/s2", "app/s3", "app/s4", "app/s5", "app/s6");
    assertThat(sm.journal().size()).as("three pages of at most three").isEqualTo(3);
    assertThatThrownBy(() -> client.listSecrets(b -> b.nextToken("garbage!")))
        .isInstanceOfSatisfying(SecretsManagerException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidNextTokenException"));
  }

  @Test
  void a_secret_scheduled_for_deletion_is_refused_until_it_is_gone() {
    client.createSecret(b -> b.name("old").secretString("x"));
    assertThat(client.deleteSecret(b -> b.secretId("old").recoveryWindowInDays(7L)).deletionDate())
        .isBetween(java.time.Instant.now().plus(Duration.ofDays(7)).minusSeconds(60),
            java.time.Instant.now().plus(Duration.ofDays(7)).plusSeconds(60));

    assertThatThrownBy(() -> current("old")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("marked for deletion");
    assertThatThrownBy(() -> client.putSecretValue(b -> b.secretId("old").secretString("y")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> client.createSecret(b -> b.name("old").secretString("y")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("scheduled for deletion");
    assertThat(client.describeSecret(b -> b.secretId("old")).deletedDate()).isNotNull();
    assertThat(client.listSecrets().secretList()).isEmpty();
    assertThat(client.listSecrets(b -> b.includePlannedDeletion(true)).secretList()).hasSize(1);

    client.deleteSecret(b -> b.secretId("old").forceDeleteWithoutRecovery(true));
    assertThatThrownBy(() -> current("old")).isInstanceOf(ResourceNotFoundException.class)
        .hasMessageStartingWith("Secrets Manager can't find the specified secret.");
    client.createSecret(b -> b.name("old").secretString("new"));
    assertThat(current("old")).isEqualTo("new");
  }

  @Test
  void parameters_are_checked_as_aws_checks_them() {
    assertThatThrownBy(() -> client.createSecret(b -> b.name("bad name!")))
        .isInstanceOf(InvalidParameterException.class);
    client.createSecret(b -> b.name("dup"));
    assertThatThrownBy(() -> client.createSecret(b -> b.name("dup"))).isInstanceOf(ResourceExistsException.class);
    assertThatThrownBy(() -> client.putSecretValue(b -> b.secretId("dup").secretString("s")
        .secretBinary(SdkBytes.fromUtf8String("b")))).isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> client.deleteSecret(b -> b.secretId("dup").recoveryWindowInDays(7L)
        .forceDeleteWithoutRecovery(true))).isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> client.deleteSecret(b -> b.secretId("dup").recoveryWindowInDays(3L)))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> current("dup")).as("no value yet").isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("staging label: AWSCURRENT");
  }

  @Test
  void an_unsigned_request_is_refused_and_the_signature_form_is_checked() throws Exception {
    HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sm.url() + "/"))
        .header("X-Amz-Target", "secretsmanager.ListSecrets").header("Content-Type", "application/x-amz-json-1.1")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.body()).contains("\"__type\":\"MissingAuthenticationToken\"");

    HttpResponse<String> malformed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sm.url() + "/"))
        .header("X-Amz-Target", "secretsmanager.ListSecrets").header("Content-Type", "application/x-amz-json-1.1")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + sm.accessKeyId())
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("\"__type\":\"IncompleteSignature\"");

    try (SecretsManagerClient anonymous = SecretsManagerClient.builder().endpointOverride(URI.create(sm.url()))
        .region(Region.US_EAST_1).credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
      assertThatThrownBy(anonymous::listSecrets).isInstanceOfSatisfying(SecretsManagerException.class,
          e -> assertThat(e.statusCode()).isEqualTo(403));
    }
  }

  @Test
  void only_the_accepted_access_keys_in_the_right_region_get_in() {
    try (SecretsManagerClient stranger = client(AwsBasicCredentials.create("AKIASTRANGER0000000", "x"),
        Region.US_EAST_1)) {
      assertThatThrownBy(stranger::listSecrets).isInstanceOfSatisfying(SecretsManagerException.class, e -> {
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
      });
      sm.acceptAccessKeys(k -> k.startsWith("AKIASTRANGER"));
      assertThat(stranger.listSecrets().secretList()).isEmpty();
    }
    try (SecretsManagerClient elsewhere = client(AwsBasicCredentials.create("AKIASTRANGER0000000", "x"),
        Region.EU_WEST_1)) {
      assertThatThrownBy(elsewhere::listSecrets).isInstanceOfSatisfying(SecretsManagerException.class,
          e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
    }
  }

  @Test
  void throttling_is_retried_by_the_sdk_and_journaled() {
    sm.seed("t", SecretValue.of("v"));
    sm.journal().clear();
    sm.faults().failNext(429);
    assertThat(current("t")).isEqualTo("v");
    assertThat(sm.journal().requests()).extracting(Journal.Request::status).containsExactly(429, 200);
  }

  @Test
  void no_secret_value_reaches_the_journal_or_an_error_message() {
    String value = "s3cr3t-" + java.util.UUID.randomUUID();
    client.createSecret(b -> b.name("v").secretString(value));
    Consumer<Throwable> noValue = e -> assertThat(e.getMessage()).doesNotContain(value);
    assertThatThrownBy(() -> client.createSecret(b -> b.name("v").secretString(value))).satisfies(noValue);
    assertThatThrownBy(() -> client.putSecretValue(b -> b.secretId("v").secretString(value)
        .secretBinary(SdkBytes.fromUtf8String(value)))).satisfies(noValue);
    assertThat(current("v")).isEqualTo(value);
    assertThat(sm.journal().toString()).doesNotContain(value).contains("POST / -> 200");
  }

  /** The keyless chain: an OIDC token → FakeAwsSts → session credentials → FakeAwsSecretsManager. */
  @Test
  void credentials_of_the_trusted_role_read_secrets_and_others_are_refused() {
    String issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/CHAIN";
    String role = "arn:aws:iam::123456789012:role/eso";
    OidcIssuer oidc = OidcIssuer.create(issuer);
    try (FakeAwsSts sts = FakeAwsSts.start();
        StsClient stsClient = StsClient.builder().endpointOverride(URI.create(sts.url())).region(Region.US_EAST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
      sts.role(role).trustIssuer(issuer, oidc::jwksJson).audience("sts.amazonaws.com")
          .subject("system:serviceaccount:es:eso").add();
      sts.role("arn:aws:iam::123456789012:role/other").trustIssuer(issuer, oidc::jwksJson)
          .audience("sts.amazonaws.com").add();
      sm.trust(sts, role);
      sm.seed("db", SecretValue.of("pw"));
      Credentials eso = stsClient.assumeRoleWithWebIdentity(b -> b.roleArn(role).roleSessionName("eso")
          .webIdentityToken(oidc.mint("es", "eso", List.of("sts.amazonaws.com"), Duration.ofHours(1))))
          .credentials();
      Credentials other = stsClient.assumeRoleWithWebIdentity(b -> b.roleArn("arn:aws:iam::123456789012:role/other")
          .roleSessionName("xx").webIdentityToken(oidc.mint("es", "x", List.of("sts.amazonaws.com"),
              Duration.ofHours(1)))).credentials();

      try (SecretsManagerClient asEso = client(AwsSessionCredentials.create(eso.accessKeyId(),
          eso.secretAccessKey(), eso.sessionToken()), Region.US_EAST_1);
          SecretsManagerClient asOther = client(AwsSessionCredentials.create(other.accessKeyId(),
              other.secretAccessKey(), other.sessionToken()), Region.US_EAST_1);
          SecretsManagerClient withoutToken = client(AwsBasicCredentials.create(eso.accessKeyId(),
              eso.secretAccessKey()), Region.US_EAST_1)) {
        assertThat(asEso.getSecretValue(b -> b.secretId("db")).secretString()).isEqualTo("pw");
        assertThatThrownBy(() -> asOther.getSecretValue(b -> b.secretId("db")))
            .isInstanceOfSatisfying(SecretsManagerException.class, e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
              assertThat(e.getMessage()).contains("assumed-role/other/xx");
            });
        assertThatThrownBy(() -> withoutToken.getSecretValue(b -> b.secretId("db")))
            .isInstanceOfSatisfying(SecretsManagerException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
        assertThatThrownBy(() -> current("db")).as("the static key no longer")
            .isInstanceOfSatisfying(SecretsManagerException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));

        sts.revokeCredentials();
        assertThatThrownBy(() -> asEso.getSecretValue(b -> b.secretId("db")))
            .isInstanceOf(SecretsManagerException.class);
      }
    }
  }
}
