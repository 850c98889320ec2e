package dev.substrate.examples.embedding;

import dev.substrate.Capability;
import dev.substrate.Rendering;
import dev.substrate.Report;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tool that embeds Substrate: load a config, create the substrate, print its capabilities, render the substrate
 * layer, and run doctor against a cluster (here an embedded one, so the example runs anywhere).
 *
 * <pre>{@code
 * java -cp ... dev.substrate.examples.embedding.EmbeddingExample [config.yaml]
 * }</pre>
 */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  public static void main(String[] args) throws Exception {
    SubstrateConfig config = args.length > 0
        ? SubstrateConfig.load(Path.of(args[0]))
        : SubstrateConfig.parse("substrate: {id: byo}\ngpu: {tenancy: {mode: time-slicing, replicas: 4}}\n");
    System.exit(run(config, System.out));
  }

  /** Runs the example and returns doctor's verdict as an exit code: 0 when nothing failed. */
  static int run(SubstrateConfig config, PrintStream out) throws Exception {
    Substrate substrate = Substrates.create(config);
    out.println("substrate " + substrate);
    for (Capability c : substrate.capabilities()) {
      out.printf("  %-32s %-12s %s%n", c.id(), c.state(), c.reason());
    }

    Rendering rendering = substrate.render();
    Path dir = Files.createTempDirectory("substrate-layer");
    rendering.writeTo(dir.resolve("layer"));
    out.println("rendered " + rendering.resources().size() + " resources to " + dir.resolve("layer"));

    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.fromId(substrate.id()))) {
      Report report = substrate.doctor(cluster.client());
      out.print(report.toText());
      out.println(report.apiRequests() + " API requests");
      return report.failed() == 0 ? 0 : 1;
    }
  }
}
