package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root README as a newcomer reads it: every {@code ./substrate} command it shows runs exactly as written, in a
 * directory laid out like a fresh clone, and exits 0; every sample of output marked {@code <!-- output of: CMD -->}
 * (the whole output) or {@code <!-- excerpt of: CMD -->} (lines in order) is what {@code CMD} prints today. A sample line
 * ending in {@code …} stands for every line that starts with the text before it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadmeTest {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent().getParent();
  private static final Path README = REPO.resolve("README.md");
  private static final Pattern SAMPLE = Pattern.compile("<!-- (output|excerpt) of: (\\./substrate [^>]*?) -->\\s*\\n```[a-z]*\\n(.*?)```",
      Pattern.DOTALL);
  /** Commands that serve until stopped: they must start and say how to reach them. */
  private static final String SERVE = "./substrate cluster serve";

  /** Holds the clone ({@code substrate/}) and, beside it, what the README reads from {@code ../shared}. */
  @TempDir static Path workspace;
  private static Path clone;

  @TestFactory
  Stream<DynamicTest> every_command_in_the_readme_runs_as_written() throws IOException {
    List<String> commands = commands(Files.readString(README));
    assertThat(commands).as("commands in " + README).hasSizeGreaterThanOrEqualTo(6);
    layOutClone();
    return commands.stream().map(command -> DynamicTest.dynamicTest(command, () -> {
      if (command.startsWith(SERVE)) {
        assertServes(command);
        return;
      }
      Run run = run(command);
      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(run.err()).as(run.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    }));
  }

  @Test
  void every_sample_of_output_is_what_the_command_prints() throws IOException {
    Matcher m = SAMPLE.matcher(Files.readString(README));
    layOutClone();
    int samples = 0;
    while (m.find()) {
      samples++;
      Run run = run(m.group(2));
      List<String> printed = run.out().lines().toList();
      List<String> shown = m.group(3).lines().toList();
      if (m.group(1).equals("output")) {
        assertThat(printed).as("README shows the whole output of " + m.group(2) + "\n" + run).hasSameSizeAs(shown);
      }
      int at = 0;
      for (String line : shown) {
        int found = -1;
        for (int i = at; i < printed.size() && found < 0; i++) {
          if (matches(line, printed.get(i))) {
            found = i;
          }
        }
        assertThat(found).as("README line of " + m.group(2) + " is printed (in order):\n  " + line + "\n" + run)
            .isNotNegative();
        if (m.group(1).equals("output")) {
          assertThat(found).as("README shows every line of " + m.group(2) + "; after " + at + ":\n" + run).isEqualTo(at);
        }
        at = found + 1;
      }
    }
    assertThat(samples).as("output samples in " + README).isGreaterThanOrEqualTo(2);
  }

  @Test
  void every_config_in_the_readme_loads_and_renders() throws IOException {
    Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(README));
    int configs = 0;
    while (m.find()) {
      configs++;
      SubstrateConfig config = SubstrateConfig.parse(m.group(1));
      assertThat(Substrates.create(config).render().resources()).as(m.group(1)).isNotEmpty();
    }
    assertThat(configs).as("yaml blocks in " + README).isPositive();
  }

  private static boolean matches(String shown, String printed) {
    String s = shown.stripTrailing();
    return s.endsWith("…") ? printed.startsWith(s.substring(0, s.length() - 1)) : printed.stripTrailing().equals(s);
  }

  /** The {@code ./substrate ...} lines of the README's shell blocks, without their trailing comments. */
  static List<String> commands(String readme) {
    List<String> commands = new ArrayList<>();
    boolean inBlock = false;
    for (String line : readme.lines().toList()) {
      if (line.startsWith("```")) {
        inBlock = !inBlock;
      } else if (inBlock && line.startsWith("./substrate ")) {
        int comment = line.indexOf(" #");
        commands.add((comment < 0 ? line : line.substring(0, comment)).strip());
      }
    }
    return commands;
  }

  /** What a fresh clone holds that the README's commands read. */
  private static void layOutClone() throws IOException {
    clone = Files.createDirectories(workspace.resolve("substrate"));
    copy(REPO.resolve("examples/config"), clone.resolve("examples/config"));
    String h200 = "fixtures/gpu-nodes/h200";
    copy(Path.of(System.getProperty("substrate.shared", "/work/shared")).resolve(h200),
        workspace.resolve("shared").resolve(h200));
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  record Run(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** {@code ./substrate ARGS} as the launcher runs it (the jar's main class), in the clone, with no input. */
  private static Process start(String command) throws IOException {
    List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
        System.getProperty("java.class.path"), SubstrateCli.class.getName()));
    argv.addAll(Arrays.asList(command.substring("./substrate ".length()).trim().split("\\s+")));
    ProcessBuilder builder = new ProcessBuilder(argv).directory(clone.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().remove("KUBECONFIG");
    return builder.start();
  }

  private static Run run(String command) throws IOException {
    Process p = start(command);
    CompletableFuture<String> out = read(p.getInputStream());
    CompletableFuture<String> err = read(p.getErrorStream());
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(command + " finished in 120 s").isTrue();
      return new Run(p.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      p.destroyForcibly();
    }
  }

  private static void assertServes(String command) throws Exception {
    Process p = start(command);
    try {
      CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
        StringBuilder out = new StringBuilder();
        byte[] buf = new byte[4096];
        InputStream in = p.getInputStream();
        try {
          int n;
          while (!out.toString().contains("kubectl --kubeconfig") && (n = in.read(buf)) > 0) {
            out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          }
        } catch (IOException e) {
          out.append("(unreadable: ").append(e).append(')');
        }
        return out.toString();
      });
      assertThat(ready.get(90, TimeUnit.SECONDS)).as(command).contains("http://127.0.0.1:")
          .contains("kubectl --kubeconfig");
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    });
  }
}
