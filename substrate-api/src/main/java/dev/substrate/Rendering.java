package dev.substrate;

import dev.substrate.internal.ManifestWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The substrate layer as ordered Kubernetes resources: namespaces first, then CRDs, then everything else, custom
 * resources last, so that applying them in order works.
 *
 * <pre>{@code
 * substrate.render().writeTo(Path.of("substrate-layer"));   // one file per resource + kustomization.yaml
 * }</pre>
 */
public final class Rendering {
  private final List<HasMetadata> resources;

  public Rendering(List<HasMetadata> resources) {
    this.resources = ManifestWriter.ordered(resources);
  }

  /** The resources in apply order. */
  public List<HasMetadata> resources() {
    return resources;
  }

  /** File name to YAML content, in order, exactly as {@link #writeTo(Path)} writes them. */
  public Map<String, String> files() {
    return new LinkedHashMap<>(ManifestWriter.files(resources));
  }

  /** Every resource as one multi-document YAML stream. */
  public String toYaml() {
    StringBuilder yaml = new StringBuilder();
    ManifestWriter.files(resources).values().forEach(doc -> yaml.append("---\n").append(doc));
    return yaml.toString();
  }

  /**
   * Writes one YAML file per resource plus a {@code kustomization.yaml} into {@code dir}, byte for byte the same on
   * every run. The directory is written whole or not at all: it must be empty, absent, or an earlier rendering
   * (it has a {@code kustomization.yaml}), which is replaced.
   */
  public void writeTo(Path dir) {
    ManifestWriter.writeAtomically(dir, ManifestWriter.files(resources), ManifestWriter.kustomization(resources));
  }
}
