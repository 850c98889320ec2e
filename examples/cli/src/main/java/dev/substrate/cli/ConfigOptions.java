package dev.substrate.cli;

import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.kubefake.ClusterPreset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code -c/--config} and {@code --substrate}: which config, and which substrate. */
final class ConfigOptions {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "The platform's config.yaml (default: built-in defaults).")
  Path config;

  @Option(names = "--substrate", paramLabel = "ID",
      description = "The substrate (gke, hetzner, byo, ...), overriding substrate.id; "
          + "default: substrate.id, else detected from the cluster.")
  String substrate;

  /** The config file's contents (or the defaults), with {@code --substrate} applied. */
  SubstrateConfig load() {
    return override(config == null ? SubstrateConfig.defaults() : SubstrateConfig.load(config));
  }

  /**
   * The config file's contents; without {@code -c FILE} and with {@code --embedded PRESET}, the config the preset's
   * cluster was made for (see {@link EmbeddedExample}); else the defaults. With {@code --substrate} applied.
   */
  SubstrateConfig load(ClusterOptions cluster, PrintWriter err) {
    Optional<SubstrateConfig> example = presetConfig(cluster.embedded);
    if (example.isEmpty()) {
      return load();
    }
    progress(err, "no -c FILE: using the config the embedded " + cluster.embedded.id() + " cluster was made for");
    return example.get();
  }

  /** Without {@code -c FILE}: the config {@code preset}'s cluster was made for, if any, with {@code --substrate}. */
  Optional<SubstrateConfig> presetConfig(ClusterPreset preset) {
    if (given() || preset == null || preset.exampleConfig().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(override(SubstrateConfig.parse(preset.exampleConfig())));
  }

  /** Whether {@code -c FILE} was given. */
  boolean given() {
    return config != null;
  }

  /** {@code loaded} with {@code --substrate} applied. */
  SubstrateConfig override(SubstrateConfig loaded) {
    return substrate == null ? loaded : SubstrateConfig.builder().from(loaded).substrate(substrate).build();
  }

  /**
   * For commands that need no cluster: the substrate named by {@code --substrate} or the config, else the one
   * detected from the cluster given in {@code cluster}, which is opened only for that.
   */
  Substrate substrate(ClusterOptions cluster, PrintWriter err) {
    cluster.validate();
    SubstrateConfig loaded = load(cluster, err);
    if (loaded.substrate().isPresent()) {
      return Substrates.create(loaded);
    }
    if (!cluster.given()) {
      throw noSubstrate();
    }
    try (ClusterAccess access = ClusterAccess.open(cluster, err)) {
      return access.substrate(loaded, err);
    }
  }

  private static CliException noSubstrate() {
    List<String> known = Substrates.availableIds().getOrDefault("substrate", List.of());
    return new CliException("no substrate chosen: pass --substrate ID (" + String.join(", ", known)
        + ") or a config (-c FILE) with substrate.id, or a cluster to detect it from "
        + "(--kubeconfig FILE or --embedded PRESET)");
  }

  /** Prints one progress line on stderr at once. */
  static void progress(PrintWriter err, String line) {
    err.println(line);
    err.flush();
  }
}
