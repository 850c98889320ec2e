package dev.substrate.cloudfakes.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.substrate.SecretValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The fake's REST surface, spoken to directly with the JDK HTTP client (the client libraries test it elsewhere). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FakeSecretManagerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRETS = "/v1/projects/acme-ml/secrets";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private FakeSecretManager fake;

  @BeforeEach
  void start() {
    fake = FakeSecretManager.builder().token("t0k3n").start();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

  private Answer call(String method, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fake.url() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
    return new Answer(r.statusCode(), JSON.readTree(r.body()), r);
  }

  private Answer call(String method, String path, String body) throws Exception {
    return call(method, path, body, fake.token());
  }

  private Answer create(String id) throws Exception {
    return call("POST", SECRETS + "?secretId=" + id, "{\"replication\":{\"automatic\":{}}}");
  }

  private Answer addVersion(String id, String value) throws Exception {
    byte[] data = value.getBytes(StandardCharsets.UTF_8);
    return call("POST", SECRETS + "/" + id + ":addVersion", "{\"payload\":{\"data\":\""
        + Base64.getEncoder().encodeToString(data) + "\",\"dataCrc32c\":\"" + crc32c(data) + "\"}}");
  }

  private static long crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return crc.getValue();
  }

  private static void assertError(Answer a, int status, String code, String message) {
    assertThat(a.status()).as(a.body().toString()).isEqualTo(status);
    JsonNode error = a.body().path("error");
    assertThat(error.path("code").asInt()).isEqualTo(status);
    assertThat(error.path("status").asText()).isEqualTo(code);
    assertThat(error.path("message").asText()).contains(message);
  }

  @Nested
  class Authentication {
    @Test
    void a_request_without_a_bearer_token_is_401_unauthenticated() throws Exception {
      Answer a = call("GET", SECRETS, null, null);
      assertError(a, 401, "UNAUTHENTICATED", "Request is missing required authentication credential");
      assertThat(a.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
          .startsWith("Bearer"));
    }

    @Test
    void another_token_is_401_too_until_the_fake_accepts_it() throws Exception {
      assertError(call("GET", SECRETS, null, "other"), 401, "UNAUTHENTICATED", "invalid authentication credentials");
      fake.token("other");
      assertThat(call("GET", SECRETS, null, "other").status()).isEqualTo(200);
      assertThat(call("GET", SECRETS, null, "t0k3n").status()).isEqualTo(401);
    }

    @Test
    void a_fake_started_without_a_token_makes_up_its_own() {
      try (FakeSecretManager other = FakeSecretManager.start(); FakeSecretManager third = FakeSecretManager.start()) {
        assertThat(other.token()).startsWith("fake-sm-").isNotEqualTo(third.token());
        assertThat(other.url()).isEqualTo("http://127.0.0.1:" + other.port());
      }
    }
  }

  @Nested
  class Secrets {
    @Test
    void create_answers_the_secret_and_refuses_a_second_one_with_409() throws Exception {
      Answer a = create("hf-token");
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.body().path("name").asText()).isEqualTo("projects/acme-ml/secrets/hf-token");
      assertThat(a.body().path("replication").has("automatic")).isTrue();
      assertThat(a.body().path("createTime").asText()).endsWith("Z");
      assertThat(a.body().path("etag").asText()).startsWith("\"").endsWith("\"");
      assertThat(call("GET", SECRETS + "/hf-token", null).body()).isEqualTo(a.body());
      assertError(create("hf-token"), 409, "ALREADY_EXISTS", "Secret [projects/acme-ml/secrets/hf-token] already "
          + "exists.");
    }

    @Test
    void create_checks_the_id_and_the_replication() throws Exception {
      assertError(call("POST", SECRETS, "{\"replication\":{\"automatic\":{}}}"), 400, "INVALID_ARGUMENT",
          "secret_id is required");
      assertError(create("bad.name"), 400, "INVALID_ARGUMENT", "Secret ID [bad.name]");
      assertError(call("POST", SECRETS + "?secretId=x", "{}"), 400, "INVALID_ARGUMENT", "replication is required");
      assertError(call("POST", SECRETS + "?secretId=x", "{not json"), 400, "INVALID_ARGUMENT", "Invalid JSON");
    }

    @Test
    void list_pages_25_at_a_time_with_a_token_and_the_total() throws Exception {
      for (int i = 0; i < 30; i++) {
        fake.seed("acme-ml", String.format("s%02d", i), SecretValue.of("v"));
      }
      fake.seed("elsewhere", "not-listed", SecretValue.of("v"));
      Answer first = call("GET", SECRETS, null);
      assertThat(first.body().path("secrets")).hasSize(25);
      assertThat(first.body().path("totalSize").asInt()).isEqualTo(30);
      String token = first.body().path("nextPageToken").asText();
      assertThat(token).isNotEmpty();
      Answer second = call("GET", SECRETS + "?pageToken=" + token, null);
      assertThat(second.body().path("secrets")).hasSize(5);
      assertThat(second.body().has("nextPageToken")).isFalse();
      assertThat(second.body().path("secrets").get(4).path("name").asText()).isEqualTo("projects/acme-ml/secrets/s29");
      assertThat(call("GET", SECRETS + "?pageSize=10", null).body().path("secrets")).hasSize(10);
      assertError(call("GET", SECRETS + "?pageToken=garbage", null), 400, "INVALID_ARGUMENT", "Invalid page token");
      assertThat(call("GET", "/v1/projects/empty/secrets", null).body().isEmpty()).isTrue();
    }

    @Test
    void delete_answers_an_empty_object_and_then_404() throws Exception {
      create("gone");
      Answer deleted = call("DELETE", SECRETS + "/gone", null);
      assertThat(deleted.status()).isEqualTo(200);
      assertThat(deleted.body().isEmpty()).isTrue();
      assertError(call("DELETE", SECRETS + "/gone", null), 404, "NOT_FOUND", "Secret [projects/acme-ml/secrets/gone] "
          + "not found.");
      assertError(call("GET", SECRETS + "/gone", null), 404, "NOT_FOUND", "not found");
    }
  }

  @Nested
  class Versions {
    @Test
    void access_answers_the_payload_with_its_crc32c_as_a_decimal_string() throws Exception {
      create("hf-token");
      Answer added = addVersion("hf-token", "hf_\u00e9");
      assertThat(added.body().path("name").asText()).isEqualTo("projects/acme-ml/secrets/hf-token/versions/1");
      assertThat(added.body().path("state").asText()).isEqualTo("ENABLED");
      assertThat(added.body().path("clientSpecifiedPayloadChecksum").asBoolean()).isTrue();
      Answer a = call("GET", SECRETS + "/hf-token/versions/latest:access", null);
      assertThat(a.body().path("name").asText()).isEqualTo("projects/acme-ml/secrets/hf-token/versions/1");
      byte[] data = Base64.getDecoder().decode(a.body().path("payload").path("data").asText());
      assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo("hf_\u00e9");
      assertThat(a.body().path("payload").path("dataCrc32c").isTextual()).isTrue();
      assertThat(a.body().path("payload").path("dataCrc32c").asText()).isEqualTo(Long.toString(crc32c(data)));
    }

    @Test
    void latest_is_the_newest_enabled_version_and_versions_list_newest_first() throws Exception {
      create("k");
      addVersion("k", "one");
      addVersion("k", "two");
      assertThat(call("GET", SECRETS + "/k/versions/latest", null).body().path("name").asText()).endsWith("/2");
      Answer disabled = call("POST", SECRETS + "/k/versions/2:disable", "");
      assertThat(disabled.body().path("state").asText()).isEqualTo("DISABLED");
      assertError(call("GET", SECRETS + "/k/versions/2:access", null), 400, "FAILED_PRECONDITION",
          "is in DISABLED state");
      assertThat(fake.latestValue("acme-ml", "k")).contains(SecretValue.of("one"));
      Answer list = call("GET", SECRETS + "/k/versions", null);
      List<String> names = new ArrayList<>();
      list.body().path("versions").forEach(v -> names.add(v.path("name").asText() + " " + v.path("state").asText()));
      assertThat(names).containsExactly("projects/acme-ml/secrets/k/versions/2 DISABLED",
          "projects/acme-ml/secrets/k/versions/1 ENABLED");
      call("POST", SECRETS + "/k/versions/1:destroy", "");
      assertError(call("GET", SECRETS + "/k/versions/latest:access", null), 404, "NOT_FOUND",
          "Secret [projects/acme-ml/secrets/k] not found or has no versions.");
      call("POST", SECRETS + "/k/versions/2:enable", "");
      assertThat(fake.latestValue("acme-ml", "k")).contains(SecretValue.of("two"));
    }

    @Test
    void missing_secrets_and_versions_are_404_in_the_services_words() throws Exception {
      assertError(call("GET", SECRETS + "/nope/versions/latest:access", null), 404, "NOT_FOUND",
          "Secret [projects/acme-ml/secrets/nope] not found.");
      create("k");
      assertError(call("GET", SECRETS + "/k/versions/latest:access", null), 404, "NOT_FOUND",
          "Secret [projects/acme-ml/secrets/k] not found or has no versions.");
      assertError(call("GET", SECRETS + "/k/versions/3:access", null), 404, "NOT_FOUND",
          "Secret Version [projects/acme-ml/secrets/k/versions/3] not found.");
      assertError(call("GET", SECRETS + "/k/versions/x:access", null), 400, "INVALID_ARGUMENT", "Invalid secret version");
      assertError(addVersion("nope", "v"), 404, "NOT_FOUND", "Secret [projects/acme-ml/secrets/nope] not found.");
      assertError(call("GET", "/v2/whatever", null), 404, "NOT_FOUND", "does not serve GET /v2/whatever");
    }

    @Test
    void payloads_are_checked_against_their_checksum_and_size() throws Exception {
      create("k");
      assertError(call("POST", SECRETS + "/k:addVersion", "{\"payload\":{\"data\":\"YWJj\",\"dataCrc32c\":\"1\"}}"),
          400, "INVALID_ARGUMENT", "Checksum mismatch");
      String big = Base64.getEncoder().encodeToString(new byte[65_537]);
      assertError(call("POST", SECRETS + "/k:addVersion", "{\"payload\":{\"data\":\"" + big + "\"}}"), 400,
          "INVALID_ARGUMENT", "64KiB");
      Answer noChecksum = call("POST", SECRETS + "/k:addVersion", "{\"payload\":{\"data\":\"YWJj\"}}");
      assertThat(noChecksum.status()).isEqualTo(200);
      assertThat(noChecksum.body().has("clientSpecifiedPayloadChecksum")).isFalse();
      assertThat(fake.versionCount("acme-ml", "k")).isEqualTo(1);
    }
  }

  @Nested
  class Faults_and_journal {
    @Test
    void injected_failures_answer_googles_error_body_once_each() throws Exception {
      fake.faults().failNext(2, 503);
      fake.faults().failNext(429);
      assertError(call("GET", SECRETS, null), 503, "UNAVAILABLE", "The service is currently unavailable.");
      assertError(call("GET", SECRETS, null), 503, "UNAVAILABLE", "unavailable");
      assertError(call("GET", SECRETS, null), 429, "RESOURCE_EXHAUSTED", "Quota exceeded");
      assertThat(call("GET", SECRETS, null).status()).isEqualTo(200);
      fake.faults().failNext(403);
      assertError(call("GET", SECRETS, null), 403, "PERMISSION_DENIED", "does not have permission");
      assertThatThrownBy(() -> fake.faults().failNext(302)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_failure_aimed_at_a_path_waits_for_it() throws Exception {
      create("k");
      fake.faults().failNextOn(":addVersion", 500);
      assertThat(call("GET", SECRETS, null).status()).isEqualTo(200);
      assertError(addVersion("k", "v"), 500, "INTERNAL", "Internal error encountered.");
      assertThat(addVersion("k", "v").status()).isEqualTo(200);
    }

    @Test
    void a_delay_slows_every_answer_until_cleared() throws Exception {
      fake.faults().delay(Duration.ofMillis(300));
      long start = System.nanoTime();
      call("GET", SECRETS, null);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
      fake.faults().clear();
      start = System.nanoTime();
      call("GET", SECRETS, null);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300));
    }

    @Test
    void the_journal_records_method_path_query_and_status_but_never_a_body() throws Exception {
      create("k");
      addVersion("k", "never-journaled");
      call("GET", SECRETS + "?pageSize=5", null, null);
      assertThat(fake.journal().requests()).extracting(Object::toString).containsExactly(
          "POST /v1/projects/acme-ml/secrets?secretId=k -> 200",
          "POST /v1/projects/acme-ml/secrets/k:addVersion -> 200",
          "GET /v1/projects/acme-ml/secrets?pageSize=5 -> 401");
      assertThat(fake.journal().requests().toString()).doesNotContain("never-journaled");
      assertThat(fake.journal().size()).isEqualTo(3);
      assertThat(fake.secretCount()).isEqualTo(1);
      assertThat(fake.secretIds("acme-ml")).containsExactly("k");
      fake.journal().clear();
      assertThat(fake.journal().requests()).isEmpty();
      fake.clear();
      assertThat(fake.secretCount()).isZero();
    }

    @Test
    void requests_are_served_concurrently() throws Exception {
      fake.faults().delay(Duration.ofMillis(400));
      List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < 8; i++) {
        pending.add(http.sendAsync(HttpRequest.newBuilder(URI.create(fake.url() + SECRETS))
            .header("Authorization", "Bearer t0k3n").build(), HttpResponse.BodyHandlers.ofString()));
      }
      for (var p : pending) {
        assertThat(p.get().statusCode()).isEqualTo(200);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(8 * 400));
    }
  }
}
