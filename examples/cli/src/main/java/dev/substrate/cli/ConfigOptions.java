package dev.substrate.cli;

import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
    SubstrateConfig loaded = load();
    cluster.validate();
    if (loaded.substrate().isPresent()) {
      return Substrates.create(loaded);
    }
    if (!cluster.given()) {
      throw noSubstrate();
    }
    try (ClusterAccess access = ClusterAccess.open(cluster, err)) {
      return access.call(client -> create(loaded, client, err));
    }
  }

  /** The substrate {@code loaded} names, else the one detected from {@code client}'s nodes, saying what it saw. */
  static Substrate create(SubstrateConfig loaded, KubernetesClient client, PrintWriter err) {
    if (loaded.substrate().isEmpty()) {
      progress(err, "detecting the substrate from the cluster's nodes…");
    }
    return create(loaded, ClusterSnapshot.builder().build(), client, err);
  }

  /** As {@link #create(SubstrateConfig, KubernetesClient, PrintWriter)}, detecting from {@code nodes} if it has them. */
  static Substrate create(SubstrateConfig loaded, ClusterSnapshot nodes, KubernetesClient client, PrintWriter err) {
    Substrates.Builder builder = Substrates.builder().config(loaded).client(client);
    if (nodes.kinds().contains(ResourceKind.NODES)) {
      builder.nodes(nodes);
    }
    Substrate chosen = builder.build();
    chosen.detection().ifPresent(d -> progress(err, "detected substrate " + d.substrateId() + ": " + d.evidence()));
    return chosen;
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
