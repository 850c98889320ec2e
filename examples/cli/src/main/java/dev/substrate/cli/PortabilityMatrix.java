package dev.substrate.cli;

import dev.substrate.Capability;
import dev.substrate.Portability;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The portability matrix ({@code docs/PORTABILITY.md}): every shipped substrate's capabilities side by side, each cell
 * with its reason, then what changes from the reference substrate to each other one. Generated from the providers'
 * own declarations; the build fails when the committed file differs.
 */
final class PortabilityMatrix {
  /** The substrates shipped in this repository, the reference first. */
  static final List<String> SUBSTRATES = List.of("gke", "hetzner", "byo", "aws", "proxmox");

  /**
   * The config the matrix is computed for: every substrate's defaults, with the keys their backends require (GCP
   * Secret Manager the project, AWS Secrets Manager the region, which is {@code cluster.location}; Proxmox's MetalLB
   * an address range and its StorageClass a Proxmox storage).
   */
  static final String CONFIG = String.join("\n",
      "profile: prod",
      "cluster: {projectID: example-project, location: eu-west-1}",
      "wif: {audience: //iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/pool/providers/provider}",
      "load_balancer: {addresses: [192.168.1.240-192.168.1.250]}",
      "proxmox: {storage: local-lvm}",
      "");

  private PortabilityMatrix() {}

  static String markdown() {
    Map<String, Substrate> substrates = new LinkedHashMap<>();
    for (String id : SUBSTRATES) {
      substrates.put(id, Substrates.create(SubstrateConfig.builder().from(SubstrateConfig.parse(CONFIG))
          .substrate(id).build()));
    }
    Set<String> ids = new LinkedHashSet<>();
    substrates.values().forEach(s -> s.capabilities().forEach(c -> ids.add(c.id())));

    StringBuilder b = new StringBuilder();
    b.append("# Portability matrix\n\n")
        .append("Generated from the providers' capability declarations by `PortabilityMatrixTest` (examples/cli); ")
        .append("do not edit by hand. Regenerate with\n`./mvnw -B -pl examples/cli -am test ")
        .append("-Dtest=PortabilityMatrixTest -Dsurefire.failIfNoSpecifiedTests=false -Dsubstrate.regenerate=true`.\n\n")
        .append("Each substrate with its default providers and `profile: prod`:\n\n");
    for (Substrate s : substrates.values()) {
      b.append("- **").append(s.id()).append("**: GPU stack `").append(s.gpuStack().id()).append("`, storage `")
          .append(s.storage().id()).append("`, load balancing `").append(s.loadBalancer().id())
          .append("`, secrets `").append(s.secrets().id()).append('`')
          .append(s.config().secretStoreAuth().map(a -> " with `" + a.id() + "`").orElse("")).append('\n');
    }
    b.append("\n| capability |");
    substrates.keySet().forEach(id -> b.append(' ').append(id).append(" |"));
    b.append("\n|---|");
    substrates.keySet().forEach(id -> b.append("---|"));
    b.append('\n');
    for (String id : ids) {
      b.append("| `").append(id).append("` |");
      for (Substrate s : substrates.values()) {
        b.append(' ').append(s.capability(id).map(PortabilityMatrix::cell).orElse("—")).append(" |");
      }
      b.append('\n');
    }
    List<Substrate> all = new ArrayList<>(substrates.values());
    for (Substrate other : all.subList(1, all.size())) {
      b.append("\n## What changes from ").append(all.get(0).id()).append(" to ").append(other.id()).append("\n\n```\n")
          .append(Portability.diff(all.get(0), other).toText().replace(System.lineSeparator(), "\n"))
          .append("```\n");
    }
    return b.toString();
  }

  private static String cell(Capability c) {
    String count = c.count().isPresent() ? " (count " + c.count().getAsInt() + ")" : "";
    return "**" + c.state() + "**" + count + ": " + c.reason().replace("|", "\\|");
  }
}
