package dev.substrate.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.substrate.BackendException;
import dev.substrate.SecretStore.PutResult;
import dev.substrate.SecretValue;
import dev.substrate.cloudfakes.aws.FakeAwsSecretsManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** AwsSecretStore against FakeAwsSecretsManager, which speaks Secrets Manager's JSON 1.1 protocol. */
class AwsSecretStoreTest {
  static final String VALUE = "s3cr3t-VALUE-4b1d";

  @TempDir Path tmp;
  FakeAwsSecretsManager fake;
  final List<Duration> waits = new ArrayList<>();
  AwsSecretStore store;

  @BeforeEach
  void start() {
    fake = FakeAwsSecretsManager.builder().region("eu-central-1").start();
    store = store(AwsSecretStore.builder());
  }

  @AfterEach
  void stop() {
    store.close();
    fake.close();
  }

  AwsSecretStore store(AwsSecretStore.Builder b) {
    return b.region("eu-central-1").endpoint(fake.url()).sleeper(waits::add)
        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(fake.accessKeyId(),
            fake.secretAccessKey())))
        .build();
  }

  static String trace(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  @Test
  void putCreatesThenLeavesAnEqualValueThenAddsAVersionForADifferentOne() {
    assertThat(store.put("hf-token", SecretValue.of(VALUE))).isEqualTo(PutResult.CREATED);
    fake.journal().clear();
    assertThat(store.put("hf-token", SecretValue.of(VALUE))).isEqualTo(PutResult.UNCHANGED);
    assertThat(fake.journal().size()).as("an unchanged put reads once and writes nothing").isEqualTo(1);
    assertThat(store.put("hf-token", SecretValue.of(VALUE + "-2"))).isEqualTo(PutResult.UPDATED);
    assertThat(fake.versionCount("hf-token")).isEqualTo(2);
    assertThat(fake.currentValue("hf-token")).map(SecretValue::reveal).contains(VALUE + "-2");
    assertThat(store.get("hf-token")).map(SecretValue::reveal).contains(VALUE + "-2");
  }

  @Test
  void textGoesAsSecretStringAndOtherBytesAsSecretBinaryAndBothRoundTrip() {
    store.put("text", SecretValue.of("héllo"));
    store.put("bytes", SecretValue.ofBytes(new byte[] {0, 1, (byte) 0xff, 'x'}));
    assertThat(fake.currentValue("text")).map(SecretValue::reveal).contains("héllo");
    assertThat(store.get("bytes").orElseThrow().revealBytes()).containsExactly(0, 1, 0xff, 'x');
    assertThat(store.put("bytes", SecretValue.ofBytes(new byte[] {0, 1, (byte) 0xff, 'x'})))
        .isEqualTo(PutResult.UNCHANGED);
  }

  @Test
  void getIsEmptyForAMissingSecret() {
    assertThat(store.get("nope")).isEmpty();
  }

  @Test
  void listReadsEveryPageAndSorts() {
    try (AwsSecretStore paged = store(AwsSecretStore.builder().pageSize(3))) {
      IntStream.range(0, 7).map(i -> 6 - i).forEach(i -> fake.seed("s-" + i, SecretValue.of("v")));
      fake.journal().clear();
      assertThat(paged.list()).containsExactly("s-0", "s-1", "s-2", "s-3", "s-4", "s-5", "s-6");
      assertThat(fake.journal().size()).as("7 secrets, 3 a page").isEqualTo(3);
    }
  }

  @Test
  void deleteRemovesAtOnceAndSaysWhetherTheSecretExisted() {
    store.put("gone", SecretValue.of(VALUE));
    assertThat(store.delete("gone")).isTrue();
    assertThat(store.delete("gone")).isFalse();
    assertThat(store.get("gone")).isEmpty();
    assertThat(store.list()).doesNotContain("gone");
    assertThat(store.put("gone", SecretValue.of(VALUE))).as("the name is free again").isEqualTo(PutResult.CREATED);
  }

  @Test
  void throttlingIsRetriedWithBackoff() {
    fake.seed("a", SecretValue.of(VALUE));
    fake.faults().failNext(2, 429);
    assertThat(store.get("a")).map(SecretValue::reveal).contains(VALUE);
    assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(fake.journal().size()).isEqualTo(3);
  }

  @Test
  void unavailableOnEveryAttemptFailsTransientAfterFourAttempts() {
    fake.faults().failNext(4, 503);
    BackendException e = catchThrowableOfType(BackendException.class, () -> store.list());
    assertThat(e.providerId()).isEqualTo("aws-secrets-manager");
    assertThat(e.operation()).isEqualTo("list");
    assertThat(e.status()).hasValue(503);
    assertThat(e.isTransient()).isTrue();
    assertThat(e.getMessage()).startsWith("aws-secrets-manager: list failed (status 503): ServiceUnavailable");
    assertThat(fake.journal().size()).isEqualTo(4);
    assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void accessDeniedIsNotRetried() {
    fake.faults().failNext(403);
    BackendException e = catchThrowableOfType(BackendException.class, () -> store.get("a"));
    assertThat(e.status()).hasValue(403);
    assertThat(e.isTransient()).isFalse();
    assertThat(e.secretName()).contains("a");
    assertThat(fake.journal().size()).isEqualTo(1);
  }

  @Test
  void anUnknownAccessKeyIsRefusedWithTheServicesCode() {
    try (AwsSecretStore stranger = AwsSecretStore.builder().region("eu-central-1").endpoint(fake.url())
        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAUNKNOWN000000000", "x")))
        .build()) {
      BackendException e = catchThrowableOfType(BackendException.class, () -> stranger.get("a"));
      assertThat(e.status()).hasValue(400);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.getMessage()).contains("UnrecognizedClientException: The security token included in the request "
          + "is invalid.");
    }
  }

  @Test
  void noAnswerIsTransientWithoutAStatus() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (AwsSecretStore nowhere = AwsSecretStore.builder().region("eu-central-1")
        .endpoint("http://127.0.0.1:" + port).sleeper(waits::add).retries(2, Duration.ofMillis(1))
        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAX", "y"))).build()) {
      BackendException e = catchThrowableOfType(BackendException.class, () -> nowhere.get("a"));
      assertThat(e.status()).isEmpty();
      assertThat(e.isTransient()).isTrue();
      assertThat(e.getMessage()).contains("no answer");
      assertThat(waits).hasSize(1);
    }
  }

  @Test
  void aFailedPutShowsNeitherTheValueNorItsBase64AnywhereInTheException() {
    for (int status : new int[] {403, 500}) {
      fake.faults().failNext(4, status);
      BackendException e = catchThrowableOfType(BackendException.class,
          () -> store.put("p", SecretValue.of(VALUE)));
      assertThat(trace(e)).doesNotContain(VALUE).doesNotContain("czNjcjN0");
      assertThat(e.getCause()).isNull();
      fake.faults().clear();
    }
    // a value the service refuses (too large): the write that carries it fails
    String huge = VALUE.repeat(70_000 / VALUE.length() + 1);
    BackendException e = catchThrowableOfType(BackendException.class, () -> store.put("big", SecretValue.of(huge)));
    assertThat(e.status()).hasValue(400);
    assertThat(e.getMessage()).contains("InvalidParameterException");
    assertThat(trace(e)).doesNotContain(VALUE);
  }

  @Test
  void putIntoASecretScheduledForDeletionFailsAndSaysSo() throws Exception {
    store.put("old", SecretValue.of(VALUE));
    try (var sdk = software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder()
        .endpointOverride(java.net.URI.create(fake.url())).region(software.amazon.awssdk.regions.Region.EU_CENTRAL_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(fake.accessKeyId(), "x")))
        .build()) {
      sdk.deleteSecret(r -> r.secretId("old").recoveryWindowInDays(7L));
    }
    assertThat(store.get("old")).isEmpty();
    assertThat(store.list()).doesNotContain("old");
    BackendException e = catchThrowableOfType(BackendException.class, () -> store.put("old", SecretValue.of(VALUE)));
    assertThat(e.getMessage()).contains("InvalidRequestException").contains("deletion");
    assertThat(store.delete("old")).as("force-deletes a scheduled secret").isTrue();
  }

  @Test
  void theStoreFromACredentialsFileUsesItsProfile() throws Exception {
    Path file = Files.writeString(tmp.resolve("credentials"), "[default]\naws_access_key_id = AKIAWRONG0000000000\n"
        + "aws_secret_access_key = x\n\n[fake]\naws_access_key_id = " + fake.accessKeyId() + "\n"
        + "aws_secret_access_key = " + fake.secretAccessKey() + "\n");
    try (AwsSecretStore fromFile = AwsSecretStore.builder().region("eu-central-1").endpoint(fake.url())
        .credentialsFile(file, "fake").build()) {
      assertThat(fromFile.put("f", SecretValue.of(VALUE))).isEqualTo(PutResult.CREATED);
    }
  }

  @Test
  void toStringShowsTheRegionAndEndpointOnly() {
    assertThat(store.toString()).isEqualTo("AwsSecretStore[eu-central-1, " + fake.url() + "]");
  }
}
