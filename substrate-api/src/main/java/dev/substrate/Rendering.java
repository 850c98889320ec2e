package dev.substrate;

import dev.substrate.internal.GitOpsForms;
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
  private final List<HelmChart> charts;
  private final GitOps gitOps;

  /** {@code resources} for Argo CD, without charts of their own. */
  public Rendering(List<HasMetadata> resources) {
    this(resources, List.of(), GitOps.ARGOCD);
  }

  Rendering(List<HasMetadata> resources, List<HelmChart> charts, GitOps gitOps) {
    this.resources = ManifestWriter.ordered(resources);
    this.charts = List.copyOf(charts);
    this.gitOps = gitOps;
  }

  /** The GitOps tool this rendering is for. */
  public GitOps gitOps() {
    return gitOps;
  }

  /** The Helm charts the substrate layer installs, in facet order, whatever form {@link #gitOps()} gives them. */
  public List<HelmChart> charts() {
    return charts;
  }

  /** The resources in apply order. */
  public List<HasMetadata> resources() {
    return resources;
  }

  /**
   * File name to content, in order, exactly as {@link #writeTo(Path)} writes them, but for {@code kustomization.yaml}:
   * one YAML file per resource, and for {@link GitOps#HELM_VALUES} one values file per chart
   * ({@code values/<release>.yaml}) and {@code NOTES.md} with the {@code helm upgrade --install} command of each.
   */
  public Map<String, String> files() {
    Map<String, String> files = new LinkedHashMap<>(ManifestWriter.files(resources));
    files.putAll(helmFiles());
    return files;
  }

  private Map<String, String> helmFiles() {
    Map<String, String> files = new LinkedHashMap<>();
    if (gitOps == GitOps.HELM_VALUES) {
      charts.forEach(c -> files.put(GitOpsForms.valuesFile(c), GitOpsForms.values(c)));
      files.put(GitOpsForms.NOTES, GitOpsForms.notes(charts));
    }
    return files;
  }

  /** Every resource as one multi-document YAML stream (values files of {@link GitOps#HELM_VALUES} are not in it). */
  public String toYaml() {
    StringBuilder yaml = new StringBuilder();
    ManifestWriter.files(resources).values().forEach(doc -> yaml.append("---\n").append(doc));
    return yaml.toString();
  }

  /**
   * Writes one YAML file per resource plus a {@code kustomization.yaml} (and, for {@link GitOps#HELM_VALUES}, the
   * values files and notes of {@link #files()}) into {@code dir}, byte for byte the same on every run, and lists them
   * with their SHA-256 in {@code dir/.substrate-rendering}. Only files listed there are
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
    files.putAll(helmFiles());
    RenderingDirectory.write(dir, files);
  }
}
