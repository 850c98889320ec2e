package dev.substrate.secrets.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.substrate.BackendException;
import dev.substrate.ConfigException;
import dev.substrate.SecretStore.PutResult;
import dev.substrate.SecretValue;
import dev.substrate.SubstrateException;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.cloudfakes.google.FakeSecretManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GcpSecretStoreTest {
  private static final String PROJECT = "acme-ml";
  /** Distinctive, so that finding it anywhere it must not be is unambiguous. */
  private static final String VALUE = "zebra-7f3c-SECRET-VALUE-91a";

  private FakeSecretManager fake;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final List<GcpSecretStore> stores = new ArrayList<>();

  @BeforeEach
  void start() {
    fake = FakeSecretManager.start();
  }

  @AfterEach
  void stop() {
    stores.forEach(GcpSecretStore::close);
    fake.close();
  }

  private GcpSecretStore.Builder builder() {
    return GcpSecretStore.builder().projectId(PROJECT).endpoint(fake.url())
        .credentials(GoogleCredentials.create(new AccessToken(fake.token(), null))).sleeper(sleeps::add);
  }

  private GcpSecretStore store(GcpSecretStore.Builder builder) {
    GcpSecretStore store = builder.build();
    stores.add(store);
    return store;
  }

  private GcpSecretStore store() {
    return store(builder());
  }

  /** A raw request to the fake with its token; fails unless it answers 200. */
  private void rest(String method, String path, String body) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fake.url() + path))
        .header("Authorization", "Bearer " + fake.token()).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private static String reveal(java.util.Optional<SecretValue> value) {
    return value.map(SecretValue::reveal).orElse(null);
  }

  @Nested
  class Round_trips {
    @Test
    void put_creates_then_adds_a_version_only_when_the_value_changes() {
      GcpSecretStore store = store();
      assertThat(store.put("hf-token", SecretValue.of("v1"))).isEqualTo(PutResult.CREATED);
      assertThat(store.put("hf-token", SecretValue.of("v1"))).isEqualTo(PutResult.UNCHANGED);
      assertThat(fake.versionCount(PROJECT, "hf-token")).isEqualTo(1);
      assertThat(store.put("hf-token", SecretValue.of("v2"))).isEqualTo(PutResult.UPDATED);
      assertThat(fake.versionCount(PROJECT, "hf-token")).isEqualTo(2);
      assertThat(reveal(store.get("hf-token"))).isEqualTo("v2");
      assertThat(reveal(store.get("hf-token", "1"))).isEqualTo("v1");
      assertThat(reveal(store.get("hf-token", "latest"))).isEqualTo("v2");
      assertThat(store.get("hf-token", "7")).isEmpty();
      assertThat(fake.latestValue(PROJECT, "hf-token")).contains(SecretValue.of("v2"));
    }

    @Test
    void get_of_a_missing_secret_is_empty_and_delete_says_whether_it_existed() {
      GcpSecretStore store = store();
      assertThat(store.get("nope")).isEmpty();
      store.put("gone", SecretValue.of("x"));
      assertThat(store.delete("gone")).isTrue();
      assertThat(store.delete("gone")).isFalse();
      assertThat(store.get("gone")).isEmpty();
      assertThat(fake.secretCount()).isZero();
    }

    @Test
    void binary_values_and_the_empty_value_survive() {
      GcpSecretStore store = store();
      byte[] bytes = {0, (byte) 0xff, 10, 13, (byte) 0x80};
      store.put("bin", SecretValue.ofBytes(bytes));
      assertThat(store.get("bin").orElseThrow().revealBytes()).containsExactly(bytes);
      store.put("empty", SecretValue.of(""));
      assertThat(reveal(store.get("empty"))).isEmpty();
      assertThat(store.put("empty", SecretValue.of(""))).isEqualTo(PutResult.UNCHANGED);
    }

    @Test
    void a_secret_without_an_enabled_version_gets_one_and_counts_as_updated() throws Exception {
      GcpSecretStore store = store();
      rest("POST", "/v1/projects/acme-ml/secrets?secretId=empty", "{\"replication\":{\"automatic\":{}}}");
      assertThat(store.get("empty")).isEmpty();
      assertThat(store.put("empty", SecretValue.of("first"))).isEqualTo(PutResult.UPDATED);

      store.put("rotated", SecretValue.of("same"));
      rest("POST", "/v1/projects/acme-ml/secrets/rotated/versions/1:disable", "");
      assertThat(store.get("rotated")).isEmpty();
      assertThat(reveal(store.get("rotated", "1"))).as("a disabled version cannot be accessed").isNull();
      assertThat(store.put("rotated", SecretValue.of("same"))).isEqualTo(PutResult.UPDATED);
      assertThat(fake.versionCount(PROJECT, "rotated")).isEqualTo(2);
      assertThat(fake.journal().requests()).noneMatch(r -> r.status() >= 500);
    }

    @Test
    void list_pages_through_every_secret_and_sorts_the_names() {
      IntStream.range(0, 31).forEach(i -> fake.seed(PROJECT, String.format("key-%02d", 30 - i), SecretValue.of("v")));
      fake.seed("other-project", "not-mine", SecretValue.of("v"));
      fake.journal().clear();
      List<String> names = store(builder().pageSize(10)).list();
      assertThat(names).hasSize(31).isSorted().startsWith("key-00").endsWith("key-30");
      assertThat(fake.journal().requests()).hasSize(4).allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1/projects/acme-ml/secrets"));
      assertThat(store().list()).hasSize(31);
    }

    @Test
    void concurrent_puts_are_bounded_and_each_is_reported() throws Exception {
      GcpSecretStore store = store(builder().parallelism(4));
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<PutResult>> results = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          String name = "k" + i;
          results.add(pool.submit(() -> store.put(name, SecretValue.of("v-" + name))));
        }
        for (Future<PutResult> r : results) {
          assertThat(r.get()).isEqualTo(PutResult.CREATED);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(store.list()).hasSize(40);
      assertThat(reveal(store.get("k7"))).isEqualTo("v-k7");
    }

    @Test
    void a_store_made_from_a_token_file_authenticates_like_gcloud_does(@TempDir Path dir) throws Exception {
      Path token = Files.writeString(dir.resolve("token"), fake.token() + "\n");
      GcpSecretStore store = store(GcpSecretStore.builder().projectId(PROJECT).endpoint(fake.url() + "/")
          .accessTokenFile(token));
      assertThat(store.put("a", SecretValue.of("b"))).isEqualTo(PutResult.CREATED);
      assertThat(store.toString()).isEqualTo("GcpSecretStore[project=acme-ml, endpoint=" + fake.url() + "]");
    }
  }

  @Nested
  class Errors {
    @ParameterizedTest(name = "HTTP {0} is {1}, transient {2}")
    @CsvSource({
        "400, INVALID_ARGUMENT, false",
        "401, UNAUTHENTICATED, false",
        "403, PERMISSION_DENIED, false",
        "404, NOT_FOUND, false",
        "409, ALREADY_EXISTS, false",
        "429, RESOURCE_EXHAUSTED, true",
        "500, INTERNAL, true",
        "501, UNIMPLEMENTED, false",
        "503, UNAVAILABLE, true",
        "504, DEADLINE_EXCEEDED, true"})
    void every_status_becomes_a_backend_exception_with_status_and_transience(int status, String code,
        boolean transientFailure) {
      GcpSecretStore store = store(builder().retries(1, Duration.ofMillis(100)));
      fake.faults().failNext(status);
      BackendException e = catchThrowableOfType(BackendException.class, store::list);
      assertThat(e.providerId()).isEqualTo("gcp-secret-manager");
      assertThat(e.operation()).isEqualTo("list");
      assertThat(e.secretName()).isEmpty();
      assertThat(e.status()).hasValue(status);
      assertThat(e.isTransient()).isEqualTo(transientFailure);
      assertThat(e.getMessage()).startsWith("gcp-secret-manager: list failed (status " + status + "): " + code + ": ");
      assertThat(sleeps).isEmpty();
    }

    @Test
    void the_error_names_the_operation_and_the_secret() {
      GcpSecretStore store = store();
      fake.faults().failNext(403);
      BackendException e = catchThrowableOfType(BackendException.class, () -> store.put("db-password",
          SecretValue.of(VALUE)));
      assertThat(e.operation()).isEqualTo("put");
      assertThat(e.secretName()).contains("db-password");
      assertThat(e.getMessage()).isEqualTo("gcp-secret-manager: put 'db-password' failed (status 403): "
          + "PERMISSION_DENIED: The caller does not have permission");
    }

    @Test
    void a_transient_failure_is_retried_with_exponential_backoff_and_then_succeeds() {
      GcpSecretStore store = store();
      fake.faults().failNext(2, 503);
      assertThat(store.put("hf-token", SecretValue.of("v"))).isEqualTo(PutResult.CREATED);
      assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
      assertThat(fake.journal().requests()).extracting(Journal.Request::status).containsExactly(503, 503, 404, 200, 200);
    }

    @Test
    void retries_are_bounded_to_four_attempts() {
      GcpSecretStore store = store();
      fake.faults().failNext(10, 429);
      BackendException e = catchThrowableOfType(BackendException.class, () -> store.get("hf-token"));
      assertThat(e.status()).hasValue(429);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.getMessage()).contains("RESOURCE_EXHAUSTED after 4 attempts");
      assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
      assertThat(fake.journal().size()).isEqualTo(4);
    }

    @Test
    void an_interrupt_while_waiting_to_retry_stops_at_once_and_keeps_the_interrupt_status() {
      GcpSecretStore store = store(builder().sleeper(d -> {
        throw new InterruptedException();
      }));
      fake.faults().failNext(3, 503);
      try {
        assertThatThrownBy(() -> store.get("hf-token")).isExactlyInstanceOf(SubstrateException.class)
            .hasMessage("interrupted while waiting to retry a Secret Manager call")
            .hasCauseInstanceOf(InterruptedException.class);
        assertThat(fake.journal().size()).isEqualTo(1);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
    }

    @Test
    void a_permanent_failure_is_not_retried() {
      GcpSecretStore store = store();
      fake.faults().failNext(3, 403);
      assertThatThrownBy(() -> store.get("x")).isInstanceOf(BackendException.class);
      assertThat(fake.journal().size()).isEqualTo(1);
      assertThat(sleeps).isEmpty();
    }

    @Test
    void without_a_token_the_fake_answers_401_and_so_does_a_wrong_token() {
      BackendException none = catchThrowableOfType(BackendException.class,
          () -> store(builder().noCredentials()).list());
      assertThat(none.status()).hasValue(401);
      assertThat(none.isTransient()).isFalse();
      assertThat(none.getMessage()).contains("UNAUTHENTICATED: Request is missing required authentication credential");
      BackendException wrong = catchThrowableOfType(BackendException.class, () -> store(builder()
          .credentials(GoogleCredentials.create(new AccessToken("not-the-token", null)))).get("x"));
      assertThat(wrong.status()).hasValue(401);
    }

    @Test
    void a_slow_answer_is_a_deadline_exceeded_after_the_request_timeout() {
      GcpSecretStore store = store(builder().requestTimeout(Duration.ofMillis(200)).retries(2, Duration.ZERO));
      fake.faults().delay(Duration.ofMillis(1500));
      BackendException e = catchThrowableOfType(BackendException.class, () -> store.get("x"));
      assertThat(e.isTransient()).isTrue();
      assertThat(e.getMessage()).contains("DEADLINE_EXCEEDED after 2 attempts");
      assertThat(e.status()).as("no answer, no status").isEmpty();
    }

    @Test
    void an_unreachable_endpoint_is_transient_and_says_why() throws Exception {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      GcpSecretStore store = store(builder().endpoint("http://127.0.0.1:" + port));
      BackendException e = catchThrowableOfType(BackendException.class, () -> store.put("k", SecretValue.of(VALUE)));
      assertThat(e.isTransient()).isTrue();
      assertThat(e.status()).isEmpty();
      assertThat(e.getMessage()).contains("UNAVAILABLE after 4 attempts").containsIgnoringCase("connection refused")
          .doesNotContain(VALUE);
    }

    @Test
    void a_name_that_cannot_be_a_secret_id_fails_before_any_request() {
      GcpSecretStore store = store();
      BackendException e = catchThrowableOfType(BackendException.class, () -> store.put("no/slashes",
          SecretValue.of("x")));
      assertThat(e.status()).isEmpty();
      assertThat(e.getMessage()).contains("not a Secret Manager secret id");
      assertThatThrownBy(() -> store.get("ok", "v1")).isInstanceOf(IllegalArgumentException.class);
      assertThat(fake.journal().size()).isZero();
    }

    @Test
    void bad_settings_are_config_errors_listing_every_problem() {
      ConfigException e = catchThrowableOfType(ConfigException.class,
          () -> GcpSecretStore.builder().endpoint("ftp://x/y").build());
      assertThat(e.problems()).hasSize(2);
      assertThat(e.problems().get(1)).startsWith("secret_manager.endpoint was 'ftp://x/y' but must be an http(s) URL");
    }
  }

  @Nested
  class Values_never_leak {
    private void assertNoValue(Throwable e) {
      String base64 = Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8));
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(VALUE).doesNotContain(base64);
        assertThat(t.toString()).doesNotContain(VALUE).doesNotContain(base64);
        for (Throwable s : t.getSuppressed()) {
          assertThat(String.valueOf(s.getMessage())).doesNotContain(VALUE).doesNotContain(base64);
        }
      }
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain(VALUE).doesNotContain(base64);
    }

    @Test
    void not_in_the_exception_chain_when_the_write_that_carries_it_fails() {
      GcpSecretStore store = store(builder().retries(1, Duration.ZERO));
      store.put("db-password", SecretValue.of("old"));
      fake.journal().clear();
      // latest:access succeeds (the value differs); the addVersion carrying the value answers a 500 that echoes nothing
      fake.faults().failNextOn(":addVersion", 500);
      BackendException e = catchThrowableOfType(BackendException.class,
          () -> store.put("db-password", SecretValue.of(VALUE)));
      assertThat(fake.journal().requests()).extracting(Journal.Request::status).containsExactly(200, 500);
      assertThat(e.getMessage()).isEqualTo("gcp-secret-manager: put 'db-password' failed (status 500): INTERNAL: "
          + "Internal error encountered.");
      assertNoValue(e);
    }

    @Test
    void not_in_the_exception_chain_after_retries_are_exhausted() {
      GcpSecretStore store = store();
      fake.faults().failNext(4, 500);
      BackendException e = catchThrowableOfType(BackendException.class,
          () -> store.put("new-secret", SecretValue.of(VALUE)));
      assertThat(e.getMessage()).contains("INTERNAL after 4 attempts");
      assertNoValue(e);
      fake.faults().failNextOn(":addVersion", 503);
      fake.faults().failNextOn(":addVersion", 503);
      fake.faults().failNextOn(":addVersion", 503);
      fake.faults().failNextOn(":addVersion", 503);
      BackendException write = catchThrowableOfType(BackendException.class,
          () -> store.put("new-secret", SecretValue.of(VALUE)));
      assertThat(write.getMessage()).contains("UNAVAILABLE after 4 attempts");
      assertNoValue(write);
    }

    @Test
    void not_in_to_string_or_in_the_journal() {
      GcpSecretStore store = store();
      store.put("db-password", SecretValue.of(VALUE));
      assertThat(store.toString()).doesNotContain(VALUE);
      assertThat(store.get("db-password").orElseThrow().toString()).isEqualTo("<redacted>");
      assertThat(fake.journal().requests().toString()).doesNotContain(VALUE);
      assertThat(fake.toString()).doesNotContain(VALUE);
    }
  }
}
