package dev.substrate.cloudfakes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FakeHttpServerTest {
  @Test
  void a_call_shows_neither_its_headers_nor_its_body() {
    FakeHttpServer.Call call = new FakeHttpServer.Call("POST", "/v1/secrets", "/v1/secrets", "",
        Map.of("authorization", List.of("Bearer tok-123")), "{\"value\":\"s3cret\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(call.header("Authorization")).isEqualTo("Bearer tok-123");
    assertThat(call.toString()).isEqualTo("POST /v1/secrets").doesNotContain("tok-123").doesNotContain("s3cret");
  }
}
