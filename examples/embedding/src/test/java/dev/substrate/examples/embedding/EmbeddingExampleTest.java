package dev.substrate.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.SubstrateConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the example in the build, so it keeps compiling and working against the SDK as it changes. */
class EmbeddingExampleTest {
  @Test
  void printsCapabilitiesRendersAndReportsDoctor() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = EmbeddingExample.run(SubstrateConfig.parse("substrate: {id: byo}\n"),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("substrate Substrate[byo:").contains("gpu.driver-management")
        .containsPattern("rendered \\d+ resources to ").containsPattern("\\d+ passed / \\d+ failed / \\d+ warnings?")
        .containsPattern("\\d+ API requests");
    java.util.regex.Matcher summary = java.util.regex.Pattern.compile("(\\d+) failed").matcher(out);
    assertThat(summary.find()).isTrue();
    assertThat(code).as(out).isEqualTo(Integer.parseInt(summary.group(1)) == 0 ? 0 : 1);
  }
}
