package dev.substrate.cli;

import picocli.CommandLine.Command;

/** {@code substrate cluster}: embedded clusters to try things against. */
@Command(name = "cluster", description = "Embedded clusters, for trying substrate and kubectl without a real one.",
    subcommands = ClusterServeCommand.class)
final class ClusterCommand implements Runnable {
  @Override
  public void run() {
    throw new CliException("cluster needs a subcommand: serve");
  }
}
