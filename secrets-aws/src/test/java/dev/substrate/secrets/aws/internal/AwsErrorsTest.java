package dev.substrate.secrets.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.SecretValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AwsErrorsTest {
  @Test
  void scrubRemovesTheValueItsBase64AndTokensAndKeepsOneBoundedLine() {
    String value = "hunter2-very-secret";
    String b64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    String scrubbed = AwsErrors.scrub("bad value " + value + "\n  as " + b64 + " with " + jwt,
        SecretValue.of(value));
    assertThat(scrubbed).isEqualTo("bad value <redacted> as <redacted> with <token>");
    assertThat(AwsErrors.scrub("x".repeat(400), null)).hasSize(301);
  }
}
