package dev.substrate;

import java.util.Map;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * A Helm chart a facet installs ({@link Facet#charts(RenderContext)}): where it comes from, which version, and the
 * release it makes. {@link Substrate#render(RenderOptions)} writes it as an Argo CD {@code Application}, as a Flux
 * {@code HelmRepository} and {@code HelmRelease}, or as a values file for {@code helm upgrade --install}.
 *
 * <pre>{@code
 * HelmChart.builder().repoUrl("https://helm.ngc.nvidia.com/nvidia").chart("gpu-operator").version("v26.7.0")
 *     .releaseName("gpu-operator").namespace("gpu-operator").putValues("driver", Map.of("enabled", true)).build();
 * }</pre>
 */
@Value.Immutable
public abstract class HelmChart {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /**
   * The chart repository: {@code https://...} for a Helm repository with an {@code index.yaml}, {@code oci://...} for
   * charts in an OCI registry (the registry path the chart's name is appended to).
   */
  public abstract String repoUrl();

  /** The chart's name in the repository, e.g. {@code gpu-operator}. */
  public abstract String chart();

  /** The chart's version, exactly as the repository lists it, e.g. {@code v26.7.0}. */
  public abstract String version();

  /** The Helm release name; also the name of the Argo CD Application or Flux HelmRelease that installs it. */
  public abstract String releaseName();

  /** The namespace the release is installed into. */
  public abstract String namespace();

  /** The chart values, in the order they are written. */
  public abstract Map<String, Object> values();

  /** Whether the chart lives in an OCI registry ({@link #repoUrl()} starts with {@code oci://}). */
  public boolean oci() {
    return repoUrl().startsWith("oci://");
  }

  @Value.Check
  protected void check() {
    if (!repoUrl().matches("(https?|oci)://[^\\s/]+.*")) {
      throw new IllegalArgumentException("Helm chart " + chart() + ": repoUrl '" + repoUrl()
          + "' must start with https://, http:// or oci:// and name a host");
    }
    if (chart().isBlank() || chart().contains("/") || version().isBlank()) {
      throw new IllegalArgumentException("Helm chart '" + chart() + "' needs a chart name without '/' and a version");
    }
    // Helm refuses release names longer than 53 characters or not DNS-1123 labels (helm install's name validation).
    if (releaseName().length() > 53 || !DNS_LABEL.matcher(releaseName()).matches()) {
      throw new IllegalArgumentException("Helm chart " + chart() + ": release name '" + releaseName()
          + "' must be a DNS-1123 label of at most 53 characters");
    }
    if (namespace().length() > 63 || !DNS_LABEL.matcher(namespace()).matches()) {
      throw new IllegalArgumentException("Helm chart " + chart() + ": namespace '" + namespace()
          + "' must be a DNS-1123 label");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableHelmChart.Builder {}
}
