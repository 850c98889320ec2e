package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
  void a_command_builds_no_other_command_and_help_or_a_typo_builds_them_all() {
    PrintWriter none = new PrintWriter(new StringWriter(), true);
    assertThat(SubstrateCli.commandLine(none, none, new String[] {"--debug", "capabilities", "--substrate", "gke"})
        .getSubcommands()).containsOnlyKeys("capabilities");
    assertThat(SubstrateCli.commandLine(none, none, new String[] {"secrets", "seed"}).getSubcommands())
        .containsOnlyKeys("secrets");
    for (String[] args : List.of(new String[] {"--help"}, new String[0], new String[] {"doctr"})) {
      assertThat(SubstrateCli.commandLine(none, none, args).getSubcommands()).as(Arrays.toString(args))
          .hasSameSizeAs(SubstrateCli.COMMANDS);
    }
  }

  @Test
  void each_command_built_alone_is_the_command_of_the_whole_tree() {
    for (Class<?> command : SubstrateCli.COMMANDS) {
      String name = command.getAnnotation(picocli.CommandLine.Command.class).name();
      StringWriter whole = new StringWriter();
      SubstrateCli.commandLine(new PrintWriter(whole, true), new PrintWriter(new StringWriter(), true))
          .execute(name, "--help");
      StringWriter alone = new StringWriter();
      int code = SubstrateCli.commandLine(new PrintWriter(alone, true), new PrintWriter(new StringWriter(), true),
          new String[] {"--debug", name, "--help"}).execute("--debug", name, "--help");
      assertThat(code).isZero();
      assertThat(alone.toString()).as(name).isEqualTo(whole.toString()).contains("--debug", "--help");
    }
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

  @Test
  void doctor_from_a_kubeconfig_loads_only_the_kinds_it_reads() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BARE)) {
      Path kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
      List<String> loaded = loadedBy(1, "doctor", "--kubeconfig", kubeconfig.toString());
      assertThat(loaded).contains("io.fabric8.kubernetes.api.model.NodeList");
      // Parsing the kubeconfig must not register every kind Fabric8 knows (what its kind-by-name lookup does).
      assertThat(loaded).doesNotContain("io.fabric8.kubernetes.api.model.batch.v1.CronJobList",
          "io.fabric8.kubernetes.api.model.coordination.v1.LeaseList");
    }
  }

  private static List<String> heavy(List<String> loaded) {
    return loaded.stream().filter(c -> HEAVY.stream().anyMatch(c::startsWith)).toList();
  }

  /** The classes a child JVM loads running the command with {@code args}; it must exit 0. */
  private List<String> loadedBy(String... args) throws IOException, InterruptedException {
    return loadedBy(0, args);
  }

  /** As {@link #loadedBy(String...)}, for a command that may exit with up to {@code maxExit} (doctor's findings). */
  private List<String> loadedBy(int maxExit, String... args) throws IOException, InterruptedException {
    Path log = dir.resolve("classes.log");
    List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xlog:class+load=info:file=" + log + ":none", "-cp", System.getProperty("java.class.path"),
        SubstrateCli.class.getName()));
    argv.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("output").toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("output"))).isBetween(0, maxExit);
    // each line: "NAME source: ..."
    return Files.readAllLines(log).stream().map(l -> l.split(" ", 2)[0]).toList();
  }
}
