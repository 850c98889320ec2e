package dev.substrate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.ApplyOptions;
import dev.substrate.ApplyResult;
import dev.substrate.Substrate;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code substrate apply}: server-side apply of the substrate layer, for bootstrap. */
@Command(name = "apply", description = {
    "Server-side apply the substrate layer (field manager \"substrate\"): CRDs first and established before their "
        + "objects; a second apply changes nothing."})
final class ApplyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;
  @Mixin ClusterOptions cluster;

  @Option(names = "--dry-run", description = "Ask the API server what would change; store nothing.")
  boolean dryRun;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (ClusterAccess access = cluster.open(err, "apply");
        EmbeddedExample example = EmbeddedExample.of(config, access.embedded(), cluster.embedded, err)) {
      Substrate substrate = access.call(c -> ConfigOptions.create(example.config(), c, err));
      ConfigOptions.progress(err, (dryRun ? "dry-run applying " : "applying ") + substrate.render().resources().size()
          + " resources of substrate " + substrate.id() + " to " + access.server() + "…");
      // In text mode each outcome is the data, printed as it happens; otherwise outcomes are progress on stderr.
      Consumer<String> progress = output == OutputFormat.text
          ? line -> ConfigOptions.progress(out, line)
          : line -> ConfigOptions.progress(err, "  " + line);
      ApplyOptions options = ApplyOptions.builder().dryRun(dryRun).progress(progress).build();
      ApplyResult result = access.call(c -> substrate.apply(c, options));
      out.print(output == OutputFormat.text ? result.summary() + System.lineSeparator() : output.write(tree(result)));
      out.flush();
    }
    return 0;
  }

  static ObjectNode tree(ApplyResult result) {
    ObjectNode root = OutputFormat.JSON.createObjectNode();
    root.put("dryRun", result.dryRun());
    ObjectNode summary = root.putObject("summary");
    for (ApplyResult.Action action : ApplyResult.Action.values()) {
      summary.put(action.name().toLowerCase(java.util.Locale.ROOT), result.count(action));
    }
    ArrayNode outcomes = root.putArray("outcomes");
    for (ApplyResult.Outcome o : result.outcomes()) {
      ObjectNode node = outcomes.addObject();
      node.put("kind", o.kind());
      if (!o.namespace().isEmpty()) {
        node.put("namespace", o.namespace());
      }
      node.put("name", o.name());
      node.put("action", o.action().name());
    }
    return root;
  }
}
