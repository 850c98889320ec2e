package dev.substrate;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How {@link Substrate#render(RenderOptions)} writes the Helm charts facets install ({@link HelmChart}). */
public enum GitOps {
  /** Each chart as an Argo CD {@code Application} (the default, and what {@link Substrate#render()} writes). */
  ARGOCD("argocd"),
  /** Each chart as a Flux {@code HelmRepository} and {@code HelmRelease}, plus one Flux {@code Kustomization}. */
  FLUX("flux"),
  /** Each chart as a values file {@code values/<release>.yaml}, with the {@code helm} commands in {@code NOTES.md}. */
  HELM_VALUES("helm-values");

  private final String id;

  GitOps(String id) {
    this.id = id;
  }

  /** {@code argocd}, {@code flux} or {@code helm-values}. */
  public String id() {
    return id;
  }

  /** The target with {@link #id()} {@code id}. */
  public static GitOps of(String id) {
    for (GitOps g : values()) {
      if (g.id.equals(id)) {
        return g;
      }
    }
    throw new ConfigException("gitops was '" + id + "' but must be one of " + ids());
  }

  /** Every id, comma-separated: {@code argocd, flux, helm-values}. */
  public static String ids() {
    return Arrays.stream(values()).map(GitOps::id).collect(Collectors.joining(", "));
  }
}
