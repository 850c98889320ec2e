package dev.substrate.architecture;

import java.util.List;
import java.util.Optional;

/**
 * The module table the rules are driven by: one line per module. A new module needs one line here (and, when it is
 * published, a {@code .api} dump: run the tests once with {@code -Dsubstrate.api.update=true}).
 */
public final class Modules {
  /** What a module is, which decides the rules that apply to it. */
  public enum Kind {
    /** The API, SPI and engine: depends on no other module. */
    API,
    /** An implementation of SPIs: depends on the API only, and on other providers only at run time. */
    PROVIDER,
    /** Test support published for users (kits, asserts): depends on the API and fakes, never on a provider. */
    TESTKIT,
    /** A fake of something a provider talks to: depends on the API, never on a provider. */
    FAKE,
    /** An application (the CLI, an example): may depend on everything; its internal is its own. */
    APP
  }

  /**
   * One module.
   *
   * @param artifactId its Maven artifactId
   * @param dir its directory, relative to the repository root
   * @param kind what it is
   * @param base its base package, which is also its {@code Automatic-Module-Name}; its internal packages are
   *     {@code <base>.internal..}
   * @param roots ArchUnit package identifiers of every package it owns
   */
  public record Module(String artifactId, String dir, Kind kind, String base, List<String> roots) {
    /** A module owning {@code base} and every package under it. */
    static Module of(String artifactId, String dir, Kind kind, String base) {
      return new Module(artifactId, dir, kind, base, List.of(base + ".."));
    }

    /**
     * The ArchUnit package identifier of its internal packages: {@code <base>.internal..} for the API, whose base
     * package is every module's parent; {@code <base>..internal..} for the others, whose internal packages may sit
     * under a sub-package ({@code dev.substrate.cloudfakes.google.internal}); {@code <base>.[a|b]..internal..} for a
     * module that owns only the sub-packages {@code a} and {@code b} of its base (secrets-wif owns
     * {@code dev.substrate.secrets.gcp} and {@code .wif}; {@code dev.substrate.secrets.aws} is another module's).
     */
    public String internal() {
      if (kind == Kind.API) {
        return base + ".internal..";
      }
      if (roots.equals(List.of(base + ".."))) {
        return base + "..internal..";
      }
      return base + ".[" + roots.stream().map(r -> r.substring(base.length() + 1, r.length() - 2))
          .collect(java.util.stream.Collectors.joining("|")) + "]..internal..";
    }

    @Override
    public String toString() {
      return artifactId;
    }
  }

  /** Every module whose classes the rules read. */
  public static final List<Module> ALL = List.of(
      new Module("substrate-api", "substrate-api", Kind.API, "dev.substrate",
          List.of("dev.substrate", "dev.substrate.spi..", "dev.substrate.internal..")),
      Module.of("substrate-kube-fake", "kube-fake", Kind.FAKE, "dev.substrate.kubefake"),
      Module.of("substrate-cloud-fakes", "cloud-fakes", Kind.FAKE, "dev.substrate.cloudfakes"),
      Module.of("substrate-testkit", "testkit", Kind.TESTKIT, "dev.substrate.testkit"),
      Module.of("substrate-byo", "substrate-byo", Kind.PROVIDER, "dev.substrate.byo"),
      new Module("secrets-wif", "secrets-wif", Kind.PROVIDER, "dev.substrate.secrets",
          List.of("dev.substrate.secrets.gcp..", "dev.substrate.secrets.wif..")),
      Module.of("substrate-secrets-aws", "secrets-aws", Kind.PROVIDER, "dev.substrate.secrets.aws"),
      Module.of("substrate-secrets-vault", "secrets-vault", Kind.PROVIDER, "dev.substrate.secrets.vault"),
      Module.of("substrate-gke", "substrate-gke", Kind.PROVIDER, "dev.substrate.gke"),
      Module.of("substrate-hetzner", "substrate-hetzner", Kind.PROVIDER, "dev.substrate.hetzner"),
      Module.of("substrate-aws", "substrate-aws", Kind.PROVIDER, "dev.substrate.aws"),
      Module.of("substrate-proxmox", "substrate-proxmox", Kind.PROVIDER, "dev.substrate.proxmox"),
      Module.of("substrate-node", "substrate-node", Kind.PROVIDER, "dev.substrate.node"),
      Module.of("substrate-cli", "examples/cli", Kind.APP, "dev.substrate.cli"),
      Module.of("substrate-example-embedding", "examples/embedding", Kind.APP, "dev.substrate.examples.embedding"));

  /**
   * Reactor modules with Java sources that the rules do not read, each with the reason. benchmarks is built after
   * this module (it is a harness run by hand, and publishes nothing).
   */
  public static final List<String> NOT_GUARDED = List.of("benchmarks");

  private Modules() {}

  /** The module with {@code artifactId} in {@code table}. */
  public static Optional<Module> byArtifactId(List<Module> table, String artifactId) {
    return table.stream().filter(m -> m.artifactId().equals(artifactId)).findFirst();
  }

  /** The modules of {@code kind} in {@code table}. */
  public static List<Module> ofKind(List<Module> table, Kind kind) {
    return table.stream().filter(m -> m.kind() == kind).toList();
  }
}
