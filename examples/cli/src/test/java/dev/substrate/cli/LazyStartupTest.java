package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up stays lazy: the command runs in a child JVM that logs every class it loads ({@code -Xlog:class+load}), and
 * nothing heavy (Jackson's databind, Fabric8) is loaded before a command needs it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LazyStartupTest {
  private static final List<String> HEAVY = List.of("com.fasterxml.jackson.", "io.fabric8.");

  @TempDir Path dir;

  @Test
  void help_loads_neither_Jackson_nor_Fabric8() throws Exception {
    List<String> loaded = loadedBy("--help");
    assertThat(loaded).contains(SubstrateCli.class.getName(), CapabilitiesCommand.class.getName(),
        DoctorCommand.class.getName());
    assertThat(heavy(loaded)).isEmpty();
  }

  @Test
  void capabilities_as_text_loads_neither_Jackson_nor_Fabric8() throws Exception {
    List<String> loaded = loadedBy("capabilities", "--substrate", "hetzner");
    assertThat(loaded).contains(CapabilitiesCommand.class.getName(), "dev.substrate.Substrates");
    assertThat(heavy(loaded)).isEmpty();
  }

  @Test
  void node_preflight_as_text_loads_neither_Jackson_nor_Fabric8() throws Exception {
    Path h200 = Path.of(System.getProperty("substrate.shared", "/work/shared"), "fixtures", "gpu-nodes", "h200");
    List<String> loaded = loadedBy("node", "preflight", "--from", h200.toAbsolutePath().toString());
    assertThat(loaded).contains(NodePreflightCommand.class.getName(), "dev.substrate.node.NodePreflight");
    assertThat(heavy(loaded)).isEmpty();
  }

  @Test
  void capabilities_as_json_loads_Jackson_when_it_writes() throws Exception {
    assertThat(heavy(loadedBy("capabilities", "--substrate", "hetzner", "-o", "json")))
        .contains("com.fasterxml.jackson.databind.ObjectMapper");
  }

  private static List<String> heavy(List<String> loaded) {
    return loaded.stream().filter(c -> HEAVY.stream().anyMatch(c::startsWith)).toList();
  }

  /** The classes a child JVM loads running the command with {@code args}; it must exit 0. */
  private List<String> loadedBy(String... args) throws IOException, InterruptedException {
    Path log = dir.resolve("classes.log");
    List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xlog:class+load=info:file=" + log + ":none", "-cp", System.getProperty("java.class.path"),
        SubstrateCli.class.getName()));
    argv.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("output").toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("output"))).isZero();
    // each line: "NAME source: ..."
    return Files.readAllLines(log).stream().map(l -> l.split(" ", 2)[0]).toList();
  }
}
