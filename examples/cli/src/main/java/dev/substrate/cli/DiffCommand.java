package dev.substrate.cli;

import dev.substrate.Portability;
import dev.substrate.PortabilityDiff;
import dev.substrate.ProviderNotFoundException;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code substrate diff A B}: what changes between two substrates under the same config, computed. */
@Command(name = "diff", description = {"Show what changes between two substrates (same config otherwise): "
    + "providers, capabilities, then rendered resources.",
    "With a config whose substrate.pools name FROM or TO, that name is a node pool of the cluster: the pool's "
        + "substrate, GPU stack and storage."})
final class DiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FROM", description = "The substrate moved from, e.g. gke.")
  String from;

  @Parameters(index = "1", paramLabel = "TO", description = "The substrate moved to, e.g. hetzner.")
  String to;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "The platform's config.yaml (default: built-in defaults); its substrate.id is ignored.")
  Path config;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SubstrateConfig base = config == null ? SubstrateConfig.defaults() : SubstrateConfig.load(config);
    PortabilityDiff diff = Portability.diff(create(base, from), create(base, to));
    out.print(output == OutputFormat.text ? diff.toText() : output.write(Documents.diff(diff)));
    out.flush();
    return 0;
  }

  /**
   * Pool {@code name} of the cluster {@code base} describes, else substrate {@code name} under {@code base}; each as
   * if it were the whole cluster, so the main pool is the cluster's substrate without the other pools.
   */
  private static Substrate create(SubstrateConfig base, String name) {
    if (base.pools().containsKey(name)) {
      return Substrates.create(base).pool(name).orElseThrow().substrate();
    }
    try {
      return Substrates.create(SubstrateConfig.builder().from(base).pools(Map.of()).substrate(name).build());
    } catch (ProviderNotFoundException e) {
      if (base.pools().isEmpty()) {
        throw e;
      }
      List<String> pools = new ArrayList<>(base.substrate().stream().toList());
      pools.addAll(base.pools().keySet());
      throw new CliException("'" + name + "' is neither a pool of the config (" + String.join(", ", pools)
          + ") nor a substrate (" + String.join(", ", e.knownIds()) + ")");
    }
  }

}
