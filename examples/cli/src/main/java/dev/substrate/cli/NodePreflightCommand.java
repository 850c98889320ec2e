package dev.substrate.cli;

import dev.substrate.spi.gpu.Finding;
import dev.substrate.node.NodeFacts;
import dev.substrate.node.NodePreflight;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code substrate node preflight}: the node's GPUs, driver, kernel, Secure Boot, nouveau and MIG, and whether the GPU
 * Operator's driver can start on it. Exit 1 when a finding is FAIL.
 */
@Command(name = "preflight", description = "Check whether the GPU Operator's driver can start on this node (or on "
    + "facts captured from one): GPUs, VRAM, MIG, driver, Secure Boot, nouveau, kernel headers.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:no FAIL finding", "1:a FAIL finding", "2:usage error, or --from is no capture directory"})
final class NodePreflightCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--from", paramLabel = "DIR", description = "A directory of captured facts (nvidia-smi-q.xml, "
      + "node-facts.txt, or proc/ and sys/ files) instead of this node's live /proc, /sys and nvidia-smi.")
  Path from;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Override
  public Integer call() {
    NodeFacts facts;
    try {
      facts = from == null ? NodeFacts.live() : NodeFacts.fromDirectory(from);
    } catch (IllegalArgumentException e) {
      throw new CliException((from == null ? "" : "--from: ") + e.getMessage());
    }
    NodePreflight preflight = NodePreflight.of(facts);
    PrintWriter out = spec.commandLine().getOut();
    out.print(output == OutputFormat.text ? preflight.text() : output.write(Documents.preflight(preflight)));
    out.flush();
    return preflight.worst() == Finding.Status.FAIL ? SubstrateCli.FAILED : 0;
  }
}
