package dev.substrate.secrets.wif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import com.google.api.client.testing.http.MockHttpTransport;
import com.google.api.client.testing.http.MockLowLevelHttpRequest;
import com.google.api.client.testing.http.MockLowLevelHttpResponse;
import com.google.auth.oauth2.GoogleCredentials;
import dev.substrate.ConfigException;
import dev.substrate.SecretValue;
import dev.substrate.cloudfakes.google.FakeSecretManager;
import dev.substrate.secrets.gcp.GcpSecretStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederatedCredentialsTest {
  private static final String AUDIENCE =
      "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/pool-1/providers/prov-1";
  private static final String EMAIL = "eso@acme-ml.iam.gserviceaccount.com";
  private static final String SUBJECT = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl";
  private static final String STS_TOKEN = "ya29.federated-token-from-sts";
  private static final String IAM_TOKEN = "ya29.service-account-token-from-iam";
  private static final Instant IAM_EXPIRY = Instant.parse("2030-01-01T00:00:00Z");

  @TempDir Path dir;

  /** STS and IAM Credentials as Google answers them, counting calls; scripted failures come first. */
  static final class FakeGoogle extends MockHttpTransport {
    final AtomicInteger sts = new AtomicInteger();
    final AtomicInteger iam = new AtomicInteger();
    final Deque<int[]> stsFailures = new ConcurrentLinkedDeque<>();
    final Deque<int[]> iamFailures = new ConcurrentLinkedDeque<>();
    final List<String> stsBodies = new CopyOnWriteArrayList<>();
    final List<String> iamAuth = new CopyOnWriteArrayList<>();
    volatile long stsDelayMillis;
    volatile String iamExpireTime = "2030-01-01T00:00:00Z";
    volatile String iamToken = IAM_TOKEN;
    volatile String iamErrorBody = "{\"error\":{\"code\":403,\"message\":\"Permission denied\",\"status\":\"PERMISSION_DENIED\"}}";

    @Override
    public LowLevelHttpRequest buildRequest(String method, String url) {
      return new MockLowLevelHttpRequest(url) {
        @Override
        public LowLevelHttpResponse execute() throws IOException {
          if (url.startsWith("https://sts.googleapis.com/v1/token")) {
            sts.incrementAndGet();
            stsBodies.add(getContentAsString());
            sleep(stsDelayMillis);
            int[] failure = stsFailures.poll();
            if (failure != null) {
              return json(failure[0], failure[0] == 400
                  ? "{\"error\":\"invalid_grant\",\"error_description\":\"The subject token " + SUBJECT + " is invalid\"}"
                  : "{\"error\":\"temporarily_unavailable\",\"error_description\":\"try later\"}");
            }
            return json(200, "{\"access_token\":\"" + STS_TOKEN + "\",\"issued_token_type\":"
                + "\"urn:ietf:params:oauth:token-type:access_token\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
          }
          if (url.equals("https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/" + EMAIL
              + ":generateAccessToken")) {
            iam.incrementAndGet();
            iamAuth.add(String.valueOf(getHeaderValues("authorization")));
            int[] failure = iamFailures.poll();
            if (failure != null) {
              return json(failure[0], iamErrorBody);
            }
            return json(200, "{\"accessToken\":\"" + iamToken + "\",\"expireTime\":\"" + iamExpireTime + "\"}");
          }
          return json(404, "{}");
        }
      };
    }

    private static MockLowLevelHttpResponse json(int status, String body) {
      return new MockLowLevelHttpResponse().setStatusCode(status).setContentType("application/json")
          .setContent(body);
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static final class MutableClock extends Clock {
    final AtomicReference<Instant> now;

    MutableClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  private final FakeGoogle google = new FakeGoogle();
  private final MutableClock clock = new MutableClock(Instant.parse("2029-12-31T12:00:00Z"));
  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

  private FederatedCredentials.Builder builder() throws IOException {
    Path tokenFile = Files.writeString(dir.resolve("token"), SUBJECT + "\n");
    return FederatedCredentials.builder().audience(AUDIENCE).serviceAccountEmail(EMAIL).subjectTokenFile(tokenFile)
        .transportFactory(() -> google).clock(clock).sleeper(sleeps::add);
  }

  @Test
  void exchangesTheSubjectTokenAndImpersonates() throws Exception {
    FederatedToken token = builder().build().token();
    assertThat(token.value()).isEqualTo(IAM_TOKEN);
    assertThat(token.expiresAt()).contains(IAM_EXPIRY);
    assertThat(token.principal()).isEqualTo(EMAIL);
    assertThat(google.stsBodies.get(0))
        .contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange")
        .contains("subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt")
        .contains("subject_token=" + SUBJECT)
        .contains("audience=" + java.net.URLEncoder.encode(AUDIENCE, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(google.iamAuth).containsExactly("[Bearer " + STS_TOKEN + "]");
  }

  @Test
  void withoutServiceAccountTheFederatedTokenIsUsed() throws Exception {
    FederatedToken token = builder().serviceAccountEmail(null).build().token();
    assertThat(token.value()).isEqualTo(STS_TOKEN);
    assertThat(token.principal()).isEqualTo(AUDIENCE);
    assertThat(google.iam).hasValue(0);
  }

  @Test
  void sixtyFourConcurrentCallersShareOneExchange() throws Exception {
    google.stsDelayMillis = 200;
    FederatedCredentials creds = builder().build();
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<FederatedToken>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return creds.token();
        }));
      }
      start.countDown();
      for (Future<FederatedToken> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS).value()).isEqualTo(IAM_TOKEN);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(google.sts).hasValue(1);
    assertThat(google.iam).hasValue(1);

    creds.token();
    assertThat(google.sts).hasValue(1);
    clock.now.set(IAM_EXPIRY.minus(Duration.ofMinutes(5)).minusSeconds(1));
    creds.token();
    assertThat(google.sts).as("still more than 5 min left").hasValue(1);
    clock.now.set(IAM_EXPIRY.minus(Duration.ofMinutes(5)));
    google.iamExpireTime = "2030-01-01T01:00:00Z";
    assertThat(creds.token().expiresAt()).contains(Instant.parse("2030-01-01T01:00:00Z"));
    creds.token();
    assertThat(google.sts).as("refreshed once, 5 min before expiry").hasValue(2);
    assertThat(google.iam).hasValue(2);
  }

  @Test
  void aFailedExchangeIsNotCachedAndTheNextCallerRetries() throws Exception {
    google.stsFailures.add(new int[] {400});
    FederatedCredentials creds = builder().build();
    assertThatThrownBy(creds::token).isInstanceOfSatisfying(FederatedTokenException.class, e -> {
      assertThat(e.isTransient()).isFalse();
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.getMessage()).contains("invalid_grant").contains(EMAIL).doesNotContain(SUBJECT);
    });
    assertThat(google.sts).hasValue(1);
    assertThat(sleeps).isEmpty();
    assertThat(creds.token().value()).isEqualTo(IAM_TOKEN);
    assertThat(google.sts).hasValue(2);
  }

  @Test
  void concurrentCallersShareAFailureAndTheNextCallerTriesAgain() throws Exception {
    google.stsDelayMillis = 200;
    google.stsFailures.add(new int[] {400});
    FederatedCredentials creds = builder().build();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    AtomicInteger failed = new AtomicInteger();
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit(() -> {
          start.await();
          try {
            creds.token();
          } catch (FederatedTokenException e) {
            failed.incrementAndGet();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : results) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(failed).hasValue(16);
    assertThat(google.sts).hasValue(1);
    google.stsDelayMillis = 0;
    assertThat(creds.token().value()).isEqualTo(IAM_TOKEN);
    assertThat(google.sts).hasValue(2);
  }

  @Test
  void transientFailuresAreRetriedWithBackoff() throws Exception {
    google.stsFailures.add(new int[] {503});
    google.iamFailures.add(new int[] {500});
    FederatedToken token = builder().build().token();
    assertThat(token.value()).isEqualTo(IAM_TOKEN);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void retriesAreBounded() throws Exception {
    for (int i = 0; i < 10; i++) {
      google.iamFailures.add(new int[] {503});
    }
    FederatedCredentials creds = builder().build();
    assertThatThrownBy(creds::token).isInstanceOfSatisfying(FederatedTokenException.class, e -> {
      assertThat(e.isTransient()).isTrue();
      assertThat(e.attempts()).isEqualTo(4);
    });
    assertThat(google.iam).hasValue(4);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void anInterruptWhileWaitingToRetryStopsAtOnce() throws Exception {
    google.iamFailures.add(new int[] {503});
    FederatedCredentials creds = builder().sleeper(d -> {
      throw new InterruptedException();
    }).build();
    try {
      assertThatThrownBy(creds::token).isInstanceOfSatisfying(FederatedTokenException.class, e -> {
        assertThat(e.getMessage()).contains(" was interrupted: ");
        assertThat(e.isTransient()).isTrue();
        assertThat(e.attempts()).isEqualTo(1);
      });
      assertThat(google.iam).hasValue(1);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aPermissionErrorIsNotRetried() throws Exception {
    google.iamFailures.add(new int[] {403});
    google.iamErrorBody = "{\"error\":{\"code\":403,\"message\":\"caller " + STS_TOKEN + " lacks "
        + "iam.serviceAccounts.getAccessToken\",\"status\":\"PERMISSION_DENIED\"}}";
    assertThatThrownBy(builder().build()::token).isInstanceOfSatisfying(FederatedTokenException.class, e -> {
      assertThat(e.isTransient()).isFalse();
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.getMessage()).doesNotContain(STS_TOKEN);
    });
    assertThat(google.iam).hasValue(1);
  }

  @Test
  void aMissingTokenFileIsReported() throws Exception {
    FederatedCredentials creds = builder().subjectTokenFile(dir.resolve("absent")).build();
    assertThatThrownBy(creds::token).isInstanceOf(FederatedTokenException.class).hasMessageContaining("absent");
    assertThat(google.sts).hasValue(0);
  }

  @Test
  void tokensNeverAppearInToStringsOrExceptions() throws Exception {
    FederatedCredentials creds = builder().build();
    FederatedToken token = creds.token();
    GoogleCredentials google2 = creds.asGoogleCredentials();
    assertThat(google2.getRequestMetadata().get("Authorization")).containsExactly("Bearer " + IAM_TOKEN);
    for (String s : List.of(token.toString(), creds.toString(), google2.toString())) {
      assertThat(s).doesNotContain(IAM_TOKEN).doesNotContain(STS_TOKEN).doesNotContain(SUBJECT);
    }
    google.stsFailures.add(new int[] {400});
    creds.invalidate();
    try {
      creds.token();
    } catch (FederatedTokenException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain(IAM_TOKEN).doesNotContain(STS_TOKEN).doesNotContain(SUBJECT);
      assertThat(e.getCause()).isNull();
      return;
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void fromACredentialConfiguration() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("projected"), SUBJECT);
    CredentialConfiguration config = CredentialConfiguration.builder().audience(AUDIENCE).serviceAccountEmail(EMAIL)
        .tokenLifetimeSeconds(1800).file(tokenFile).build();
    FederatedCredentials creds = FederatedCredentials.builder().configuration(config).transportFactory(() -> google)
        .clock(clock).build();
    assertThat(creds.token().value()).isEqualTo(IAM_TOKEN);
    assertThat(google.stsBodies.get(0)).contains("subject_token=" + SUBJECT);
  }

  @Test
  void googleClientsUseTheFederatedTokenToReadASecret() throws Exception {
    try (FakeSecretManager fake = FakeSecretManager.start()) {
      google.iamToken = fake.token();
      fake.seed("acme-ml", "hf-token", SecretValue.of("s3cret"));
      FederatedCredentials creds = builder().build();
      try (GcpSecretStore store = GcpSecretStore.create("acme-ml", fake.url(), creds.asGoogleCredentials())) {
        assertThat(store.get("hf-token")).hasValueSatisfying(v -> assertThat(v.reveal()).isEqualTo("s3cret"));
        assertThat(store.get("hf-token")).isPresent();
      }
      assertThat(google.sts).hasValue(1);
      assertThat(google.iam).hasValue(1);
    }
  }

  @Test
  void rejectsBadSettingsAllAtOnce() {
    assertThatThrownBy(() -> FederatedCredentials.builder().audience("x").tokenUrl("http://localhost/token")
        .retries(0, Duration.ZERO).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("audience")
        .hasMessageContaining("subject token source")
        .hasMessageContaining("https")
        .hasMessageContaining("1-10");
    assertThat(Map.of()).isEmpty();
  }
}
