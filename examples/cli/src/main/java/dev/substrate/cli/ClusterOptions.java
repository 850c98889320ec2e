package dev.substrate.cli;

import dev.substrate.kubefake.ClusterPreset;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * How to reach a cluster: {@code --kubeconfig FILE [--context NAME]} or {@code --embedded PRESET}. Never the user's
 * current kubeconfig context by default: a command that needs a cluster and gets none says so.
 */
final class ClusterOptions {
  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "The kubeconfig file of the cluster (only this file is read; KUBECONFIG and ~/.kube/config "
          + "are not).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME",
      description = "The kubeconfig context (default: its current-context).")
  String context;

  @Option(names = "--embedded", paramLabel = "PRESET", converter = PresetConverter.class,
      description = "Use an in-process cluster seeded like PRESET (bare, gke, hetzner, byo, aws), for this run only.")
  ClusterPreset embedded;

  /** Whether a cluster was given. */
  boolean given() {
    return kubeconfig != null || embedded != null;
  }

  /** Opens the cluster that was given; none is a usage error. */
  ClusterAccess open(PrintWriter err, String command) {
    validate();
    if (!given()) {
      throw new CliException(command + " needs a cluster: pass --kubeconfig FILE [--context NAME] or --embedded PRESET"
          + " (bare, gke, hetzner, byo, aws)");
    }
    return ClusterAccess.open(this, err);
  }

  void validate() {
    if (kubeconfig != null && embedded != null) {
      throw new CliException("--kubeconfig and --embedded choose different clusters: pass only one of them");
    }
    if (context != null && kubeconfig == null) {
      throw new CliException("--context needs --kubeconfig FILE");
    }
  }

  /** Converts a preset id, naming the valid ones when it is not one. */
  static final class PresetConverter implements ITypeConverter<ClusterPreset> {
    @Override
    public ClusterPreset convert(String value) {
      try {
        return ClusterPreset.fromId(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
