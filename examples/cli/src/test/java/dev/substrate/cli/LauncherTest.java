package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ./substrate} and its class-data sharing archive. The script runs from a copy of the repository's
 * layout holding only the script and a jar, so nothing is built: the jar is {@link Echo}, which prints its arguments.
 * Whether a class came from the archive is what {@code -Xlog:class+load} says ({@code source: shared objects file}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LauncherTest {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent().getParent();
  private static final String SHARED = Echo.class.getName() + " source: shared objects file";

  @TempDir Path root;
  @TempDir Path cwd;
  private Path jar;
  private Path jsa;

  /** The jar's main class. */
  static final class Echo {
    public static void main(String[] args) {
      System.out.println("echo " + String.join(" ", args));
    }
  }

  record Run(int code, String out, String err, List<String> classes) {}

  @BeforeEach
  void layOut() throws IOException {
    Path script = root.resolve("substrate");
    Files.copy(REPO.resolve("substrate"), script);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path target = Files.createDirectories(root.resolve("examples/cli/target"));
    jar = target.resolve("substrate.jar");
    jsa = target.resolve("substrate.jsa");
    writeJar(jar);
  }

  @Test
  void the_first_run_writes_the_archive_and_the_next_run_loads_its_classes_from_it() throws Exception {
    Run first = run("capabilities", "--substrate", "hetzner");
    assertThat(first.out()).isEqualTo("echo capabilities --substrate hetzner\n");
    assertThat(first.err()).contains("preparing a class-data archive");
    assertThat(Files.size(jsa)).isPositive();

    Run second = run("diff", "gke", "hetzner");
    assertThat(second.out()).isEqualTo("echo diff gke hetzner\n");
    assertThat(second.err()).isEmpty();
    assertThat(second.classes()).contains(SHARED);
    try (var files = Files.list(cwd)) {
      assertThat(files).as("nothing written where the command runs").isEmpty();
    }
  }

  @Test
  void a_corrupt_archive_is_ignored_and_the_command_still_runs_with_clean_output() throws Exception {
    run("--help");
    byte[] garbage = new byte[64 * 1024];
    new java.util.Random(1).nextBytes(garbage);
    Files.write(jsa, garbage);

    Run run = run("render", "--stdout");
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("echo render --stdout\n");
    assertThat(run.err()).isEmpty();
    assertThat(run.classes()).contains(Echo.class.getName() + " source: file:" + jar.toRealPath())
        .doesNotContain(SHARED);
  }

  @Test
  void a_jar_newer_than_the_archive_has_the_archive_written_again() throws Exception {
    run("--help");
    FileTime built = Files.getLastModifiedTime(jar);
    Files.setLastModifiedTime(jsa, FileTime.fromMillis(built.toMillis() - 60_000));

    Run run = run("doctor");
    assertThat(run.out()).isEqualTo("echo doctor\n");
    assertThat(run.err()).contains("preparing a class-data archive");
    assertThat(Files.getLastModifiedTime(jsa)).isGreaterThan(built);
    assertThat(run.classes()).contains(SHARED);
  }

  @Test
  void an_archive_made_for_another_JVM_is_written_again_for_this_one() throws Exception {
    run("--help");
    Files.writeString(jsa.resolveSibling("substrate.jsa.jvm"), "/opt/another-jdk/bin/java 1 1\n");

    Run run = run("--version");
    assertThat(run.err()).contains("preparing a class-data archive");
    assertThat(run.classes()).contains(SHARED);
    assertThat(Files.readString(jsa.resolveSibling("substrate.jsa.jvm"))).doesNotContain("another-jdk");
  }

  @Test
  void a_main_source_or_pom_newer_than_the_jar_starts_a_build_and_a_test_source_does_not() throws Exception {
    run("--help");
    FileTime later = FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000);
    Path test = Files.createDirectories(root.resolve("substrate-api/src/test/java")).resolve("SomeTest.java");
    Files.writeString(test, "class SomeTest {}");
    Files.setLastModifiedTime(test, later);
    assertThat(run("--version").err()).isEmpty();

    for (Path changed : List.of(root.resolve("substrate-api/src/main/resources/a/b/c.properties"),
        root.resolve("examples/cli/pom.xml"))) {
      Files.createDirectories(changed.getParent());
      Files.writeString(changed, "changed");
      Files.setLastModifiedTime(changed, later);
      // The copy has no Maven wrapper: the build it starts fails, which is how the test sees that it started one.
      Run run = start("--version");
      assertThat(run.err()).as(changed.toString()).contains("building substrate (sources changed)")
          .contains("substrate: the build failed");
      assertThat(run.code()).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      Files.delete(changed);
    }
  }

  @Test
  void on_a_JDK_that_links_classes_ahead_of_time_the_archive_is_written_and_used_too() throws Exception {
    Path jdk = newerJdk();
    assumeTrue(jdk != null, "no JDK 24 or newer under /usr/lib/jvm (its -XX:+AOTClassLinking dump is not tried)");
    Run first = run(jdk, "capabilities");
    assertThat(first.err()).contains("preparing a class-data archive");
    Run second = run(jdk, "diff");
    assertThat(second.out()).isEqualTo("echo diff\n");
    assertThat(second.err()).isEmpty();
    assertThat(second.classes()).contains(SHARED);
  }

  /** A JDK of release 24 or later (JEP 483's AOT class linking), or null. */
  private static Path newerJdk() throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return null;
    }
    try (var all = Files.list(jvms)) {
      return all.filter(home -> Files.isExecutable(home.resolve("bin/java")) && release(home) >= 24)
          .findFirst().orElse(null);
    }
  }

  private static int release(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(version.split("[.+-]")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // no release file, or one without a version: not a JDK this test can use
    }
    return 0;
  }

  private Run run(String... args) throws IOException, InterruptedException {
    return run(Path.of(System.getProperty("java.home")), args);
  }

  /** {@code ./substrate ARGS} from an empty directory with {@code javaHome}, logging the classes its JVM loads. */
  private Run run(Path javaHome, String... args) throws IOException, InterruptedException {
    Run run = start(javaHome, args);
    assertThat(run.code()).as(run.toString()).isZero();
    return run;
  }

  private Run start(String... args) throws IOException, InterruptedException {
    return start(Path.of(System.getProperty("java.home")), args);
  }

  private Run start(Path javaHome, String... args) throws IOException, InterruptedException {
    Path log = Files.createTempFile(root, "classes", ".log");
    List<String> argv = new ArrayList<>(List.of(root.resolve("substrate").toString()));
    argv.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(argv).directory(cwd.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(root.resolve("out").toFile()).redirectError(root.resolve("err").toFile());
    Map<String, String> env = builder.environment();
    env.put("SUBSTRATE_JAVA_OPTS", "-Xlog:class+load=info:file=" + log + ":none");
    env.put("JAVA_HOME", javaHome.toString());
    Process p = builder.start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(root.resolve("out")), Files.readString(root.resolve("err")),
        Files.readAllLines(log));
  }

  private static void writeJar(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Echo.class.getName());
    String entry = Echo.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream in = Echo.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
  }
}
