package dev.substrate.cli;

import picocli.CommandLine.Command;

/** {@code substrate node}: what a GPU node knows about itself. */
@Command(name = "node", description = "Read a GPU node's own facts (nvidia-smi, /proc, /sys).",
    subcommands = NodePreflightCommand.class)
final class NodeCommand implements Runnable {
  @Override
  public void run() {
    throw new CliException("node needs a subcommand: preflight");
  }
}
