package dev.substrate.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the {@code substrate} command as users do, one process per run, and prints wall time, CPU (user + system), max
 * RSS and Kubernetes API requests, min/median/max over the measured runs: start-up ({@code --help},
 * {@code capabilities}, {@code diff}, {@code render}) against a hello-world jar as the floor, and {@code doctor}
 * against an embedded Hetzner-shaped cluster that {@code substrate cluster serve} serves in another process, next to a
 * kubectl-only peer ({@code benchmarks/kubectl-doctor.sh}) reading the same kinds. CPU and RSS come from GNU time
 * ({@code /usr/bin/time}); see {@code benchmarks/README.md}.
 *
 * <pre>{@code
 * ./mvnw -B -o -q -pl examples/cli,benchmarks -am package -DskipTests
 * java -cp benchmarks/target/classes dev.substrate.benchmarks.CliBenchmark [--launcher ./substrate] [--runs 5]
 * }</pre>
 */
public final class CliBenchmark {
  private static final String USAGE = String.join("\n",
      "usage: java -cp benchmarks/target/classes dev.substrate.benchmarks.CliBenchmark [options]",
      "  --jar FILE        the CLI jar, run as `java -jar FILE` (default: examples/cli/target/substrate.jar)",
      "  --launcher CMD    run the CLI as CMD instead (split at spaces), e.g. --launcher ./substrate",
      "  --runs N          measured runs per scenario (default: 5)",
      "  --warmup N        unmeasured runs before them (default: 1)",
      "  --nodes LIST      node counts for doctor, comma-separated, or none (default: 100,1000,10000)",
      "  --no-startup      skip the start-up scenarios",
      "  --kubectl FILE    kubectl for the peer (default: kubectl on PATH; the peer is skipped without it)",
      "  --repo DIR        the repository root, where commands run (default: .)");
  private static final String TIME = "/usr/bin/time";
  private static final long SERVE_TIMEOUT_SECONDS = 600;

  private final Path repo;
  private final List<String> cli;
  private final String javaCommand;
  private final int runs;
  private final int warmup;
  private final Path work;
  private final boolean haveTime;

  private CliBenchmark(Path repo, List<String> cli, int runs, int warmup, Path work) {
    this.repo = repo;
    this.cli = cli;
    this.javaCommand = javaCommand();
    this.runs = runs;
    this.warmup = warmup;
    this.work = work;
    this.haveTime = Files.isExecutable(Path.of(TIME));
  }

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(".");
    Path jar = null;
    String launcher = null;
    int runs = 5;
    int warmup = 1;
    List<Integer> nodes = List.of(100, 1_000, 10_000);
    boolean startup = true;
    String kubectl = "kubectl";
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--jar" -> jar = Path.of(value(args, ++i, arg));
        case "--launcher" -> launcher = value(args, ++i, arg);
        case "--runs" -> runs = atLeast(1, value(args, ++i, arg), arg);
        case "--warmup" -> warmup = atLeast(0, value(args, ++i, arg), arg);
        case "--nodes" -> nodes = nodeCounts(value(args, ++i, arg));
        case "--no-startup" -> startup = false;
        case "--kubectl" -> kubectl = value(args, ++i, arg);
        case "--repo" -> repo = Path.of(value(args, ++i, arg));
        case "-h", "--help" -> {
          System.out.println(USAGE);
          return;
        }
        default -> usageError("unknown argument " + arg);
      }
    }
    repo = repo.toAbsolutePath().normalize();
    List<String> cli;
    if (launcher != null) {
      cli = Arrays.asList(launcher.trim().split("\\s+"));
    } else {
      Path resolved = repo.resolve(jar != null ? jar : Path.of("examples/cli/target/substrate.jar"));
      if (!Files.isRegularFile(resolved)) {
        usageError(resolved + " does not exist: build it with ./mvnw -B -o -q -pl examples/cli -am package "
            + "-DskipTests, or pass --jar FILE or --launcher CMD");
      }
      cli = List.of(javaCommand(), "-jar", resolved.toString());
    }
    Path work = Files.createTempDirectory("substrate-cli-bench-");
    try {
      new CliBenchmark(repo, cli, runs, warmup, work).run(startup, nodes, which(kubectl));
    } finally {
      deleteTree(work);
    }
  }

  private void run(boolean startup, List<Integer> nodeCounts, Path kubectl) throws Exception {
    System.out.println("CLI: " + String.join(" ", cli));
    System.out.println(environment());
    if (!haveTime) {
      System.out.println(TIME + " is missing: CPU and max RSS are not measured");
    }
    List<Row> rows = new ArrayList<>();
    Row floor = null;
    if (startup) {
      Path hello = helloJar();
      floor = measure("hello-world jar (floor)", i -> List.of(javaCommand, "-jar", hello.toString()), false);
      rows.add(floor);
      rows.add(measure("--help", i -> cli("--help"), false));
      rows.add(measure("capabilities", i -> cli("capabilities", "--substrate", "hetzner"), false));
      rows.add(measure("diff gke hetzner", i -> cli("diff", "gke", "hetzner", "-c", "examples/config/platform.yaml"),
          false));
      rows.add(measure("render", i -> cli("render", "--substrate", "hetzner", "-c", "examples/config/platform.yaml",
          "-o", work.resolve("render-" + i).toString()), false));
    }
    if (kubectl == null && !nodeCounts.isEmpty()) {
      System.out.println("kubectl not found: the kubectl-only peer is skipped");
    }
    for (int nodes : nodeCounts) {
      try (Served served = serve(nodes)) {
        String kubeconfig = served.kubeconfig.toString();
        List<Scenario> scenarios = new ArrayList<>();
        scenarios.add(new Scenario("doctor " + nodes + " nodes", i -> cli("doctor", "--kubeconfig", kubeconfig), true));
        if (kubectl != null) {
          Path script = repo.resolve("benchmarks/kubectl-doctor.sh");
          Path cache = work.resolve("kubectl-cache-" + nodes);
          scenarios.add(new Scenario("kubectl peer " + nodes + " nodes",
              i -> List.of("bash", script.toString(), kubectl.toString(), kubeconfig, cache.toString()), false));
        }
        // Run by run in turn, so that both meet the served cluster equally warmed up.
        rows.addAll(measure(scenarios));
      }
    }
    System.out.println();
    print(rows, floor);
  }

  /** A command per run index; {@code checksMayFail} accepts exit 1 (doctor found a failing check). */
  private record Scenario(String name, IntFunction<List<String>> command, boolean checksMayFail) {}

  private Row measure(String scenario, IntFunction<List<String>> command, boolean checksMayFail)
      throws IOException, InterruptedException {
    return measure(List.of(new Scenario(scenario, command, checksMayFail))).get(0);
  }

  /** The scenarios' runs interleaved: warm-ups first, then run 1 of each, run 2 of each, ... */
  private List<Row> measure(List<Scenario> scenarios) throws IOException, InterruptedException {
    int n = scenarios.size();
    List<List<Double>> wall = new ArrayList<>();
    List<List<Double>> cpu = new ArrayList<>();
    List<List<Double>> rss = new ArrayList<>();
    List<Set<Integer>> requests = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      wall.add(new ArrayList<>());
      cpu.add(new ArrayList<>());
      rss.add(new ArrayList<>());
      requests.add(new TreeSet<>());
    }
    for (int i = 0; i < warmup + runs; i++) {
      boolean measured = i >= warmup;
      for (int k = 0; k < n; k++) {
        Scenario scenario = scenarios.get(k);
        System.err.printf(Locale.ROOT, "%s: %s %d of %d…%n", scenario.name(), measured ? "run" : "warm-up",
            measured ? i - warmup + 1 : i + 1, measured ? runs : warmup);
        Run run = once(scenario.command().apply(i), i, scenario.checksMayFail());
        if (!measured) {
          continue;
        }
        wall.get(k).add(run.wallMs);
        if (run.usage != null) {
          cpu.get(k).add(run.usage.cpuSeconds() * 1000);
          rss.get(k).add(run.usage.maxRssKib() / 1024.0);
        }
        run.requests.ifPresent(requests.get(k)::add);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      rows.add(new Row(scenarios.get(k).name(), runs, Samples.of(wall.get(k)),
          cpu.get(k).isEmpty() ? null : Samples.of(cpu.get(k)), rss.get(k).isEmpty() ? null : Samples.of(rss.get(k)),
          requests.get(k)));
    }
    return rows;
  }

  private Run once(List<String> command, int index, boolean checksMayFail) throws IOException, InterruptedException {
    Path out = work.resolve("out-" + index);
    Path err = work.resolve("err-" + index);
    Path time = work.resolve("time-" + index);
    List<String> full = new ArrayList<>();
    if (haveTime) {
      full.addAll(List.of(TIME, "-f", RunOutput.TIME_FORMAT, "-o", time.toString()));
    }
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).directory(repo.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
            Path.of("/dev/null").toFile()));
    long start = System.nanoTime();
    Process process = builder.start();
    int exit = process.waitFor();
    double wallMs = (System.nanoTime() - start) / 1e6;
    String stdout = Files.readString(out);
    if (exit != 0 && !(checksMayFail && exit == 1)) {
      throw new IllegalStateException("`" + String.join(" ", command) + "` exited " + exit + ":\n"
          + Files.readString(err) + stdout);
    }
    RunOutput.Usage usage = haveTime ? RunOutput.usage(Files.readString(time))
        .orElseThrow(() -> new IllegalStateException("no resource line from " + TIME)) : null;
    return new Run(wallMs, usage, RunOutput.requests(stdout));
  }

  private record Run(double wallMs, RunOutput.Usage usage, OptionalInt requests) {}

  private record Row(String scenario, int runs, Samples wall, Samples cpu, Samples rss, Set<Integer> requests) {}

  private static void print(List<Row> rows, Row floor) {
    int width = rows.stream().map(Row::scenario).max(Comparator.comparingInt(String::length)).orElse("").length();
    String header = String.format(Locale.ROOT, "%-" + width + "s %4s %8s %8s %8s %8s %8s %8s %7s",
        "scenario", "runs", "wall min", "median", "max", "cpu med", "rss med", "requests", "x floor");
    System.out.println(header);
    System.out.println(String.format(Locale.ROOT, "%-" + width + "s %4s %8s %8s %8s %8s %8s %8s %7s",
        "", "", "ms", "ms", "ms", "ms", "MiB", "", ""));
    for (Row row : rows) {
      System.out.println(String.format(Locale.ROOT, "%-" + width + "s %4d %8.0f %8.0f %8.0f %8s %8s %8s %7s",
          row.scenario, row.runs, row.wall.min(), row.wall.median(), row.wall.max(),
          row.cpu == null ? "-" : String.format(Locale.ROOT, "%.0f", row.cpu.median()),
          row.rss == null ? "-" : String.format(Locale.ROOT, "%.0f", row.rss.median()),
          row.requests.isEmpty() ? "-" : row.requests.stream().map(String::valueOf).collect(Collectors.joining("/")),
          floor == null ? "-" : String.format(Locale.ROOT, "%.1f", row.wall.median() / floor.wall.median())));
    }
  }

  /** {@code substrate cluster serve} in the background, until closed. */
  private Served serve(int nodes) throws IOException, InterruptedException {
    Path kubeconfig = work.resolve("nodes-" + nodes + ".kubeconfig");
    Path err = work.resolve("serve-" + nodes + ".err");
    List<String> command = cli("cluster", "serve", "--preset", "hetzner", "--nodes", String.valueOf(nodes),
        "--write-kubeconfig", kubeconfig.toString());
    System.err.println("serving " + nodes + " nodes: " + String.join(" ", command));
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).directory(repo.toFile()).redirectError(err.toFile()).start();
    Thread hook = new Thread(process::destroy, "stop-cluster-serve");
    Runtime.getRuntime().addShutdownHook(hook);
    Served served = new Served(process, kubeconfig, hook);
    CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> awaitKubeconfigLine(process));
    try {
      if (!ready.get(SERVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        served.close();
        throw new IllegalStateException("cluster serve stopped before serving:\n" + Files.readString(err));
      }
    } catch (TimeoutException e) {
      served.close();
      throw new IllegalStateException("cluster serve did not serve within " + SERVE_TIMEOUT_SECONDS + " s", e);
    } catch (ExecutionException e) {
      served.close();
      throw new IllegalStateException("reading cluster serve's output failed", e.getCause());
    }
    System.err.printf(Locale.ROOT, "serving %d nodes after %.1f s%n", nodes, (System.nanoTime() - start) / 1e9);
    return served;
  }

  /** Reads serve's output until its {@code kubeconfig:} line (then drains it); false when it ends first. */
  private static boolean awaitKubeconfigLine(Process process) {
    InputStream stdout = process.getInputStream();
    try {
      BufferedReader reader = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("kubeconfig:")) {
          Thread drain = new Thread(() -> {
            try {
              stdout.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
              // the server stopped
            }
          }, "serve-stdout");
          drain.setDaemon(true);
          drain.start();
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A serving cluster; {@code hook} stops it should the benchmark be interrupted. */
  private record Served(Process process, Path kubeconfig, Thread hook) implements AutoCloseable {
    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook has run
      }
    }
  }

  private List<String> cli(String... args) {
    List<String> command = new ArrayList<>(cli);
    command.addAll(List.of(args));
    return command;
  }

  /** A jar holding only {@link HelloWorld}, with it as Main-Class. */
  private Path helloJar() throws IOException {
    Path jar = work.resolve("hello.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, HelloWorld.class.getName());
    String entry = HelloWorld.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
        InputStream in = HelloWorld.class.getResourceAsStream("/" + entry)) {
      if (in == null) {
        throw new IllegalStateException(entry + " is not on the class path");
      }
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }

  private String environment() {
    String load;
    try {
      load = Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      load = "unknown";
    }
    return String.format(Locale.ROOT, "%s, %d cores, load %s, java %s (%s), %d warm-up + %d measured runs",
        Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(), load,
        System.getProperty("java.version"), javaCommand, warmup, runs);
  }

  private static String javaCommand() {
    String home = System.getenv("JAVA_HOME");
    return home == null || home.isEmpty() ? "java" : Path.of(home, "bin", "java").toString();
  }

  private static Path which(String command) {
    if (command.contains("/")) {
      Path path = Path.of(command).toAbsolutePath();
      return Files.isExecutable(path) ? path : null;
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    return Stream.of(path.split(":")).filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, command))
        .filter(Files::isExecutable).findFirst().orElse(null);
  }

  private static List<Integer> nodeCounts(String list) {
    if (list.equals("none")) {
      return List.of();
    }
    return Stream.of(list.split(",")).map(s -> atLeast(1, s.trim(), "--nodes")).toList();
  }

  private static int atLeast(int min, String value, String option) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      n = min - 1;
    }
    if (n < min) {
      usageError(option + " must be a number of at least " + min + ", was '" + value + "'");
    }
    return n;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      usageError(option + " needs a value");
    }
    return args[i];
  }

  private static void usageError(String message) {
    System.err.println(message);
    System.err.println(USAGE);
    System.exit(2);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
