package dev.substrate;

import java.util.Arrays;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * How {@link Substrate#render(RenderOptions)} writes the substrate layer: for which GitOps tool, and for Flux, where
 * the rendering lives in the Git repository Flux reads.
 *
 * <pre>{@code
 * substrate.render(RenderOptions.builder().gitOps(GitOps.FLUX).gitopsPath("./clusters/prod/substrate").build())
 *     .writeTo(Path.of("clusters/prod/substrate"));
 * }</pre>
 */
@Value.Immutable
public abstract class RenderOptions {
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  @Value.Default
  public GitOps gitOps() {
    return GitOps.ARGOCD;
  }

  /**
   * For {@link GitOps#FLUX}: the directory, relative to the Git repository's root, that the rendering is committed to
   * and the rendered Flux {@code Kustomization} reconciles ({@code spec.path}).
   */
  @Value.Default
  public String gitopsPath() {
    return "./substrate";
  }

  /**
   * For {@link GitOps#FLUX}: the {@code GitRepository} in namespace {@code flux-system} that holds the rendering;
   * {@code flux-system} is the one {@code flux bootstrap} creates for the repository it bootstraps.
   */
  @Value.Default
  public String fluxSource() {
    return "flux-system";
  }

  @Value.Check
  protected void check() {
    String path = gitopsPath();
    if (path.isBlank() || path.startsWith("/") || path.contains("\\") || path.chars().anyMatch(Character::isWhitespace)
        || Arrays.asList(path.split("/")).contains("..")) {
      throw new ConfigException("gitops path was '" + path + "' but must be a directory relative to the Git "
          + "repository's root, without '..' or spaces, such as ./substrate");
    }
    if (fluxSource().length() > 253 || !DNS_SUBDOMAIN.matcher(fluxSource()).matches()) {
      throw new ConfigException("flux source was '" + fluxSource() + "' but must be the name of a GitRepository "
          + "(lowercase letters, digits, '-' and '.'), such as flux-system");
    }
  }

  /** Argo CD, as {@link Substrate#render()} renders. */
  public static RenderOptions defaults() {
    return builder().build();
  }

  /** {@code gitOps} with the default path and source. */
  public static RenderOptions of(GitOps gitOps) {
    return builder().gitOps(gitOps).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableRenderOptions.Builder {}
}
