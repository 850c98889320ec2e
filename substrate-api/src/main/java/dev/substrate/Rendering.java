package dev.substrate;

import dev.substrate.internal.ManifestWriter;
import dev.substrate.internal.RenderingDirectory;
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
   * every run, and lists them with their SHA-256 in {@code dir/.substrate-rendering}. Only files listed there are
   * ever replaced or removed (those a new rendering no longer has are removed), and only while they hold the bytes
   * recorded: a rendered file edited since is refused rather than overwritten, as the edit would be lost without a
   * word (keep your own kustomization one level up). Everything else in {@code dir} (files,
   * subdirectories, {@code .git}) and the directory itself, its mode included, stay as they were; {@code dir} may
   * hold other files, so a rendering can live in a folder of a GitOps repository.
   *
   * @throws ConfigException before anything is written, naming the path, when a name to write is taken by a file no
   *     earlier rendering wrote, a rendered file was edited, {@code .substrate-rendering} is malformed, or
   *     {@code dir} or an entry to read, write or remove is a symbolic link (links are never followed)
   * @throws SubstrateException when writing fails; each file is moved into place atomically and the manifest lists
   *     every file touched at every point, so nothing of the user's is lost and the next rendering carries on
   */
  public void writeTo(Path dir) {
    Map<String, String> files = ManifestWriter.files(resources);
    files.put("kustomization.yaml", ManifestWriter.kustomization(resources));
    RenderingDirectory.write(dir, files);
  }
}
