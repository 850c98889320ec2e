package dev.substrate.cloudfakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.cloudfakes.aws.FakeAwsSecretsManager;
import dev.substrate.cloudfakes.aws.FakeAwsSts;
import dev.substrate.cloudfakes.google.FakeGoogleSts;
import dev.substrate.cloudfakes.google.FakeIamCredentials;
import dev.substrate.cloudfakes.google.FakeSecretManager;
import dev.substrate.cloudfakes.hetzner.FakeHetznerCloud;
import dev.substrate.cloudfakes.vault.FakeVault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every cloud fake has the same fault and journal surface, whatever service it speaks. */
class FakeServiceContractTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().sslContext(TestTls.clientContext())
      .connectTimeout(Duration.ofSeconds(5)).build();

  static Stream<Arguments> fakes() {
    return Stream.of(
        Arguments.of("STS", (Supplier<FakeService>) FakeGoogleSts::start),
        Arguments.of("IAM Credentials", (Supplier<FakeService>) () -> FakeIamCredentials.builder().start()),
        Arguments.of("Secret Manager", (Supplier<FakeService>) FakeSecretManager::start),
        Arguments.of("Hetzner Cloud", (Supplier<FakeService>) FakeHetznerCloud::start),
        Arguments.of("AWS Secrets Manager", (Supplier<FakeService>) FakeAwsSecretsManager::start),
        Arguments.of("AWS STS", (Supplier<FakeService>) FakeAwsSts::start),
        Arguments.of("Vault", (Supplier<FakeService>) FakeVault::start));
  }

  private static HttpResponse<String> get(FakeService fake, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(fake.url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fakes")
  void an_injected_failure_answers_once_in_the_services_own_format_and_is_journaled(String name,
      Supplier<FakeService> start) throws Exception {
    try (FakeService fake = start.get()) {
      fake.faults().failNext(2, 503);
      fake.faults().failNextOn("/aimed", 429);
      assertThat(fake.faults().pendingFailures()).isEqualTo(3);

      HttpResponse<String> aimed = get(fake, "/v1/aimed");
      HttpResponse<String> first = get(fake, "/v1/x");
      HttpResponse<String> second = get(fake, "/v1/x");
      HttpResponse<String> after = get(fake, "/v1/x");

      assertThat(aimed.statusCode()).isEqualTo(429);
      assertThat(first.statusCode()).isEqualTo(503);
      assertThat(second.statusCode()).isEqualTo(503);
      assertThat(first.body()).as("an error body the service's clients can read")
          .startsWith(name.equals("AWS STS") ? "<ErrorResponse" : "{");
      assertThat(after.statusCode()).isNotEqualTo(503);
      assertThat(fake.journal().requests()).extracting(Journal.Request::status)
          .containsExactly(429, 503, 503, after.statusCode());
      assertThat(fake.journal().requests().get(1).path()).isEqualTo("/v1/x");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fakes")
  void clearing_removes_failures_and_delay_and_the_journal_can_be_reset(String name, Supplier<FakeService> start)
      throws Exception {
    try (FakeService fake = start.get()) {
      fake.faults().failNext(5, 500);
      fake.faults().delay(Duration.ofMillis(10));
      fake.faults().clear();
      assertThat(fake.faults().pendingFailures()).isZero();
      assertThat(fake.faults().delay()).isEqualTo(Duration.ZERO);
      assertThat(get(fake, "/v1/x").statusCode()).isNotEqualTo(500);
      assertThat(fake.journal().size()).isEqualTo(1);
      fake.journal().clear();
      assertThat(fake.journal().requests()).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fakes")
  void statuses_and_delays_are_validated(String name, Supplier<FakeService> start) {
    try (FakeService fake = start.get()) {
      assertThatThrownBy(() -> fake.faults().failNext(302)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("400-599");
      assertThatThrownBy(() -> fake.faults().failNext(0, 503)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("count");
      assertThatThrownBy(() -> fake.faults().delay(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fakes")
  void a_failure_aimed_at_a_query_parameter_waits_for_it(String name, Supplier<FakeService> start) throws Exception {
    try (FakeService fake = start.get()) {
      fake.faults().failNextOn("/v1/items", "page=3", 503);
      assertThat(get(fake, "/v1/items?page=2&per_page=50").statusCode()).isNotEqualTo(503);
      assertThat(get(fake, "/v1/items?page=30").statusCode()).isNotEqualTo(503);
      assertThat(get(fake, "/v1/items?per_page=50&page=3").statusCode()).isEqualTo(503);
      assertThat(fake.faults().pendingFailures()).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fakes")
  void the_journal_tells_how_many_requests_were_answered_at_once(String name, Supplier<FakeService> start)
      throws Exception {
    try (FakeService fake = start.get()) {
      get(fake, "/v1/x");
      get(fake, "/v1/x");
      assertThat(fake.journal().maxInFlight()).as("one request after the other").isEqualTo(1);

      fake.journal().clear();
      fake.faults().delay(Duration.ofMillis(300));
      var pending = java.util.stream.IntStream.range(0, 4)
          .mapToObj(i -> CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(fake.url() + "/v1/x")).GET().build(),
              HttpResponse.BodyHandlers.ofString()))
          .toList();
      pending.forEach(java.util.concurrent.CompletableFuture::join);
      assertThat(fake.journal().maxInFlight()).as("four requests sent at once, each held 300 ms").isGreaterThan(1);
      assertThat(fake.journal().size()).isEqualTo(4);
    }
  }
}
