package dev.substrate.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What ships in the command's jar ({@code examples/cli/target/substrate.jar}, shaded in the package phase, before
 * this module is built): the embedded cluster and cloud fakes for {@code --embedded}, but no test framework and no
 * test-only provider, so {@code secret_backend: fake} cannot be chosen by a user of the command.
 */
class ShippedJarTest {
  private static Path jar;
  private static List<String> entries;

  @BeforeAll
  static void open() throws IOException {
    jar = Path.of(System.getProperty("substrate.root", "..")).resolve("examples/cli/target/substrate.jar");
    assertThat(jar).as("the shaded jar, which examples/cli packages before this module's tests").isRegularFile();
    try (JarFile file = new JarFile(jar.toFile())) {
      entries = file.stream().map(JarEntry::getName).toList();
    }
  }

  @Test
  void carries_no_junit_and_no_testkit() {
    assertThat(entries).as("classes of the shipped jar").isNotEmpty()
        .noneMatch(e -> e.startsWith("org/junit/"))
        .noneMatch(e -> e.startsWith("org/opentest4j/"))
        .noneMatch(e -> e.startsWith("dev/substrate/testkit/"));
  }

  @Test
  void carries_the_embedded_cluster_and_the_cloud_fakes() {
    assertThat(entries).contains("dev/substrate/kubefake/EmbeddedCluster.class",
        "dev/substrate/cloudfakes/hetzner/FakeHetznerCloud.class",
        "dev/substrate/cloudfakes/google/FakeGoogleSts.class");
  }

  @Test
  void lists_no_test_only_secret_backend() throws IOException {
    try (JarFile file = new JarFile(jar.toFile());
        InputStream in = file.getInputStream(file.getEntry("META-INF/services/dev.substrate.spi.SecretBackendProvider"))) {
      String services = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(services).contains("dev.substrate.secrets").doesNotContain("testkit");
    }
  }

  @Test
  void runs_an_embedded_doctor_without_junit_on_the_class_path() throws Exception {
    Path out = Files.createTempFile("substrate-it", ".out");
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          jar.toString(), "doctor", "--embedded", "hetzner")
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("doctor finished").isTrue();
      String text = Files.readString(out);
      assertThat(p.exitValue()).as(text).isZero();
      assertThat(text).contains(" passed / 0 failed").doesNotContain("NoClassDefFoundError");
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
