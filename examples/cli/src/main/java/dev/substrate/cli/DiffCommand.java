package dev.substrate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.Portability;
import dev.substrate.PortabilityDiff;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code substrate diff A B}: what changes between two substrates under the same config, computed. */
@Command(name = "diff", description = "Show what changes between two substrates (same config otherwise): "
    + "providers, capabilities, then rendered resources.")
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
    out.print(output == OutputFormat.text ? diff.toText() : output.write(tree(diff)));
    out.flush();
    return 0;
  }

  private static Substrate create(SubstrateConfig base, String id) {
    return Substrates.create(SubstrateConfig.builder().from(base).substrate(id).build());
  }

  static ObjectNode tree(PortabilityDiff diff) {
    ObjectNode root = OutputFormat.JSON.createObjectNode();
    root.put("from", diff.fromSubstrate());
    root.put("to", diff.toSubstrate());
    ArrayNode providers = root.putArray("providers");
    for (PortabilityDiff.ProviderChange p : diff.providers()) {
      providers.addObject().put("key", p.key()).put("from", p.before()).put("to", p.after());
    }
    ArrayNode capabilities = root.putArray("capabilities");
    for (PortabilityDiff.CapabilityChange c : diff.capabilities()) {
      ObjectNode node = capabilities.addObject();
      node.put("id", c.id());
      node.set("from", c.before().<JsonNode>map(CapabilitiesCommand::capability)
          .orElse(node.nullNode()));
      node.set("to", c.after().<JsonNode>map(CapabilitiesCommand::capability)
          .orElse(node.nullNode()));
    }
    ArrayNode resources = root.putArray("resources");
    for (PortabilityDiff.ResourceChange r : diff.resources()) {
      resources.addObject().put("resource", r.resource()).put("change", r.change().name());
    }
    return root;
  }
}
