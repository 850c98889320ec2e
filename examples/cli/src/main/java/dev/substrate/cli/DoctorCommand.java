package dev.substrate.cli;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.Report;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code substrate doctor}: reads the cluster once and checks it is ready for the substrate. */
@Command(name = "doctor", description = {
    "Check that a cluster is ready for the substrate: one paginated LIST per kind the checks read, then every check.",
    "Requests are sent once, without retries; a kind the server fails to list fails the checks that read it.",
    "With --embedded hetzner or hybrid, a fake Hetzner Cloud API mirroring the embedded cluster answers the hcloud checks; "
        + "without -c, --embedded uses the config the preset's cluster was made for.",
    "Exit 0 when nothing is at or above --fail-on, 1 otherwise."})
final class DoctorCommand implements Callable<Integer> {
  /** The lowest check status that makes doctor exit 1. */
  enum FailOn {
    warn(CheckStatus.WARN),
    fail(CheckStatus.FAIL);

    final CheckStatus status;

    FailOn(CheckStatus status) {
      this.status = status;
    }
  }

  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;
  @Mixin ClusterOptions cluster;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "fail",
      description = "warn or fail: the lowest result that makes doctor exit 1 (default: ${DEFAULT-VALUE}).")
  FailOn failOn;

  @Option(names = "--from-dump", paramLabel = "FILE", arity = "1..*",
      description = "Run offline on `kubectl get ... -o json` output instead of a cluster "
          + "(needs --substrate or substrate.id).")
  List<Path> dump;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Report report = dump != null ? offline(err) : online(err);
    out.print(output == OutputFormat.text ? report.toText() : output.convert(report.toJson()));
    out.flush();
    return report.hasAtLeast(failOn.status) ? 1 : 0;
  }

  private Report offline(PrintWriter err) {
    if (cluster.given()) {
      throw new CliException("--from-dump reads no cluster: drop --kubeconfig/--embedded, or drop --from-dump");
    }
    SubstrateConfig loaded = config.load();
    if (loaded.substrate().isEmpty()) {
      throw new CliException("doctor --from-dump cannot detect the substrate: pass --substrate ID or a config "
          + "(-c FILE) with substrate.id");
    }
    for (Path file : dump) {
      if (!Files.isRegularFile(file)) {
        throw new CliException("dump file " + file + " does not exist");
      }
    }
    Substrate substrate = Substrates.create(loaded);
    ConfigOptions.progress(err, "reading " + dump.size() + (dump.size() == 1 ? " dump file…" : " dump files…"));
    return substrate.doctor(ClusterSnapshot.fromDump(dump.toArray(new Path[0])));
  }

  /**
   * Detects the substrate (when none is named) from the nodes doctor lists anyway, so they are listed once; the report
   * counts every request, ClusterAccess's probe of a kubeconfig's server included.
   */
  private Report online(PrintWriter err) {
    try (ClusterAccess access = cluster.open(err, "doctor");
        EmbeddedExample example = EmbeddedExample.of(config, access.embedded(), cluster.embedded, err);
        EmbeddedHcloud hcloud = EmbeddedHcloud.startFor(cluster.embedded, access.client(), err)) {
      SubstrateConfig loaded = hcloud.configure(example.config());
      Consumer<String> progress = line -> ConfigOptions.progress(err, "  " + line);
      ClusterSnapshot nodes = ClusterSnapshot.builder().build();
      if (loaded.substrate().isEmpty()) {
        ConfigOptions.progress(err, "detecting the substrate from the cluster's nodes…");
        nodes = access.nodes(progress);
        if (nodes.state(ResourceKind.NODES) == ClusterSnapshot.ReadState.FAILED) {
          return undetected(nodes, access);
        }
      }
      ClusterSnapshot detectedFrom = nodes;
      Substrate substrate = access.substrate(loaded, detectedFrom, err);
      int kinds = substrate.reads().size() - detectedFrom.kinds().size();
      ConfigOptions.progress(err, "reading " + kinds + (kinds == 1 ? " kind" : " kinds") + " from " + access.server()
          + "…");
      return withProbe(access.doctor(substrate, detectedFrom, progress), access);
    }
  }

  /** The server failed listing the nodes: no substrate can be chosen, and doctor cannot pass. */
  private static Report undetected(ClusterSnapshot nodes, ClusterAccess access) {
    CheckResult failed = CheckResult.fail("substrate.nodes", "could not detect the substrate: "
        + nodes.problem(ResourceKind.NODES).orElse("nodes were not read"), "retry; if it persists, check the API "
        + "server's health (kubectl get --raw='/readyz?verbose'); or name the substrate (--substrate ID)");
    return withProbe(Report.builder().substrateId("").source(nodes.source()).addResults(failed)
        .apiRequests(nodes.apiRequests()).build(), access);
  }

  /** Adds ClusterAccess's probe ({@code GET /version}, made once for a kubeconfig's server) to the count. */
  private static Report withProbe(Report report, ClusterAccess access) {
    int probes = access.embedded().isPresent() ? 0 : 1;
    return Report.builder().from(report).apiRequests(report.apiRequests() + probes).build();
  }
}
