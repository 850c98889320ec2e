package dev.substrate.cli;

import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code substrate cluster serve}: an embedded cluster plus a kubeconfig for kubectl, until interrupted. */
@Command(name = "serve", description = {
    "Start an in-process Kubernetes API seeded like PRESET, write a kubeconfig for it, and serve until interrupted "
        + "(Ctrl-C).",
    "The kubeconfig is removed again on exit when this run created it."})
final class ClusterServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--preset", paramLabel = "PRESET", required = true, converter = ClusterOptions.PresetConverter.class,
      description = "bare, gke, hetzner, byo or aws.")
  ClusterPreset preset;

  @Option(names = "--nodes", paramLabel = "N", description = "How many nodes (default: the preset's).")
  Integer nodes;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
      description = "The loopback port to listen on (default: a free one).")
  int port;

  @Option(names = "--write-kubeconfig", paramLabel = "FILE",
      description = "Where to write the kubeconfig (default: ./substrate-<preset>.kubeconfig).")
  Path kubeconfig;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (nodes != null && nodes < 1) {
      throw new CliException("--nodes must be at least 1, was " + nodes);
    }
    if (port < 0 || port > 65535) {
      throw new CliException("--port must be 0-65535, was " + port);
    }
    Path file = kubeconfig != null ? kubeconfig : Path.of("substrate-" + preset.id() + ".kubeconfig");
    boolean existed = Files.exists(file);
    if (existed && !isEmbeddedKubeconfig(file)) {
      throw new CliException(file + " exists and is not a kubeconfig of an embedded cluster: "
          + "choose another --write-kubeconfig FILE");
    }

    EmbeddedCluster.Builder builder = EmbeddedCluster.builder().preset(preset).port(port);
    if (nodes != null) {
      builder.nodes(nodes);
    }
    int count = nodes != null ? nodes : preset.defaultNodes();
    ConfigOptions.progress(err, "starting an embedded " + preset.id() + " cluster (" + count
        + (count == 1 ? " node)…" : " nodes)…"));
    EmbeddedCluster cluster;
    try {
      cluster = builder.start();
    } catch (RuntimeException e) {
      throw new CliException("cannot start the embedded cluster" + (port > 0 ? " on port " + port : "") + ": "
          + ClusterAccess.why(e));
    }
    AtomicBoolean stopped = new AtomicBoolean();
    Runnable stop = () -> {
      if (stopped.compareAndSet(false, true)) {
        cluster.close();
        ConfigOptions.progress(err, "stopped the embedded " + preset.id() + " cluster");
        if (!existed) {
          try {
            Files.deleteIfExists(file);
          } catch (IOException ignored) {
            // a leftover kubeconfig of a stopped cluster is harmless
          }
        }
      }
    };
    Thread hook = new Thread(stop, "substrate-cluster-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean interrupted = false;
    try {
      write(cluster, file);
      out.println("server:     " + cluster.url());
      out.println("kubeconfig: " + file.toAbsolutePath().normalize());
      String shown = file.toString().matches("[\\w./@:+,=-]+") ? file.toString() : "'" + file + "'";
      out.println("try:        kubectl --kubeconfig " + shown + " get nodes");
      out.flush();
      ConfigOptions.progress(err, "serving until interrupted (Ctrl-C)");
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      stop.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void write(EmbeddedCluster cluster, Path file) {
    try {
      cluster.writeKubeconfig(file);
    } catch (UncheckedIOException e) {
      throw new CliException("cannot write the kubeconfig " + file + ": " + ClusterAccess.why(e));
    }
  }

  /** Whether {@code file} is a kubeconfig an earlier {@code cluster serve} wrote, which may be replaced. */
  private static boolean isEmbeddedKubeconfig(Path file) {
    try {
      String text = Files.readString(file);
      return text.contains("current-context: embedded-") && text.contains("token: embedded")
          && text.contains("server: http://127.0.0.1:");
    } catch (IOException e) {
      return false;
    }
  }
}
