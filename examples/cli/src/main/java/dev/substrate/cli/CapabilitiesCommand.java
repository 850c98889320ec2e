package dev.substrate.cli;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.Facet;
import dev.substrate.NodePool;
import dev.substrate.Substrate;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code substrate capabilities}: what the substrate gives, lacks, or needs you to do, facet by facet, each facet's
 * capabilities as the substrate refines them (Hetzner's GPU servers never scale to zero, whatever the GPU stack).
 */
@Command(name = "capabilities", description = "Show what the substrate gives, lacks, or needs you to do, with reasons.")
final class CapabilitiesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;
  @Mixin ClusterOptions cluster;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Substrate substrate = config.substrate(cluster, err);
    out.print(output == OutputFormat.text ? text(substrate) : output.write(Documents.capabilities(substrate)));
    out.flush();
    return 0;
  }

  static String text(Substrate substrate) {
    List<Capability> all = new ArrayList<>(substrate.capabilities());
    substrate.pools().forEach(p -> all.addAll(p.substrate().capabilities()));
    int idWidth = all.stream().mapToInt(c -> c.id().length()).max().orElse(0);
    int stateWidth = "NEEDS_ACTION".length();
    String indent = " ".repeat(2 + idWidth + 2 + stateWidth + 2);
    StringBuilder b = new StringBuilder("substrate " + substrate.describe()).append(System.lineSeparator());
    facets(b, substrate, substrate.facets(), false, idWidth, stateWidth, indent);
    for (NodePool pool : substrate.pools()) {
      if (!pool.main()) {
        Substrate s = pool.substrate();
        b.append(System.lineSeparator()).append("pool ").append(pool).append(": its own GPU stack and storage")
            .append(" (the cluster's default StorageClass stays the ").append(substrate.id()).append(" pool's)")
            .append(System.lineSeparator());
        facets(b, s, List.of(s.gpuStack(), s.storage()), true, idWidth, stateWidth, indent);
      }
    }
    return b.toString();
  }

  private static void facets(StringBuilder b, Substrate substrate, List<Facet> facets, boolean otherPool, int idWidth,
      int stateWidth, String indent) {
    for (Facet facet : facets) {
      b.append(System.lineSeparator()).append(facet.type().displayName()).append(": ").append(facet.id())
          .append(System.lineSeparator());
      List<Capability> capabilities = shown(substrate, facet, otherPool);
      if (capabilities.isEmpty()) {
        b.append("  (no capabilities declared)").append(System.lineSeparator());
      }
      capabilities.forEach(c -> line(b, c, idWidth, stateWidth, indent));
    }
    List<Capability> own = substrateOnly(substrate);
    if (!own.isEmpty()) {
      b.append(System.lineSeparator()).append("substrate: ").append(substrate.id()).append(System.lineSeparator());
      own.forEach(c -> line(b, c, idWidth, stateWidth, indent));
    }
  }

  /**
   * The facet's capabilities; for another pool than the cluster's own, without {@code storage.default-class}: the
   * pool's StorageClass is rendered without the default annotation.
   */
  static List<Capability> shown(Substrate substrate, Facet facet, boolean otherPool) {
    return substrate.capabilities(facet.type()).stream()
        .filter(c -> !(otherPool && c.id().equals(CapabilityIds.STORAGE_DEFAULT_CLASS)))
        .toList();
  }

  private static void line(StringBuilder b, Capability c, int idWidth, int stateWidth, String indent) {
    String count = c.count().isPresent() ? " (count: " + c.count().getAsInt() + ")" : "";
    b.append(String.format("  %-" + idWidth + "s  %-" + stateWidth + "s  %s%s%n", c.id(), c.state(), c.reason(),
        count));
    c.remedy().ifPresent(r -> b.append(indent).append("→ ").append(r).append(System.lineSeparator()));
  }

  /** The substrate's own capabilities that refine no facet's. */
  static List<Capability> substrateOnly(Substrate substrate) {
    Set<String> byFacet = new HashSet<>();
    substrate.facets().forEach(f -> f.capabilities().forEach(c -> byFacet.add(c.id())));
    return substrate.capabilities().stream().filter(c -> !byFacet.contains(c.id())).toList();
  }
}
