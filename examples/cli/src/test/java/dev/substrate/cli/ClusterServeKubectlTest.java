package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** End to end with the real kubectl: {@code cluster serve}, then kubectl reads it and applies a rendering. */
class ClusterServeKubectlTest {
  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");

  @TempDir Path tmp;

  @Test
  @Timeout(180)
  void kubectl_lists_the_served_nodes_and_applies_a_rendering() throws Exception {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed at " + KUBECTL + "; skipping");
    Path kubeconfig = tmp.resolve("hetzner.kubeconfig");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread server = new Thread(() -> exit.set(SubstrateCli.commandLine(new PrintWriter(out, true),
        new PrintWriter(err, true)).execute("cluster", "serve", "--preset", "hetzner", "--nodes", "6",
            "--write-kubeconfig", kubeconfig.toString())), "cluster-serve");
    server.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!out.toString().contains("kubectl --kubeconfig") && System.nanoTime() < deadline && server.isAlive()) {
        Thread.sleep(100);
      }
      assertThat(out.toString()).as(err.toString()).contains("http://127.0.0.1:")
          .contains("kubectl --kubeconfig " + kubeconfig + " get nodes");
      assertThat(kubeconfig).exists();

      List<String> nodes = kubectl(kubeconfig, "get", "nodes", "-o", "name").lines().toList();
      assertThat(nodes).hasSize(6).allMatch(n -> n.startsWith("node/"));

      // The preset has the add-ons' CRDs (Argo CD, External Secrets) that the layer's custom resources need.
      Path layer = tmp.resolve("layer");
      Cli.Result render = Cli.run("render", "--substrate", "byo", "-o", layer.toString());
      assertThat(render.code()).as(render.toString()).isZero();
      String applied = kubectl(kubeconfig, "apply", "--server-side", "-k", layer.toString());
      assertThat(applied).contains("serverside-applied");

      Cli.Result doctor = Cli.run("doctor", "--kubeconfig", kubeconfig.toString());
      assertThat(doctor.code()).as(doctor.toString()).isIn(0, 1);
      assertThat(doctor.err()).contains("detected substrate hetzner");
    } finally {
      server.interrupt();
      server.join(TimeUnit.SECONDS.toMillis(20));
    }
    assertThat(server.isAlive()).isFalse();
    assertThat(exit.get()).as(err.toString()).isZero();
    assertThat(kubeconfig).as("the kubeconfig this run created is removed").doesNotExist();
  }

  private static String kubectl(Path kubeconfig, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("KUBECONFIG");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    return output;
  }
}
