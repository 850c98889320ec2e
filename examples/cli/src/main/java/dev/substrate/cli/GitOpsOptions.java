package dev.substrate.cli;

import dev.substrate.ConfigException;
import dev.substrate.GitOps;
import dev.substrate.RenderOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --gitops-path} and {@code --flux-source}: where the Flux Kustomization finds the rendering. */
final class GitOpsOptions {
  @Option(names = "--gitops-path", paramLabel = "PATH", converter = PathConverter.class,
      description = "With --gitops flux: the directory, relative to the Git repository's root, that the rendering is "
          + "committed to and the Flux Kustomization reconciles (default: ./substrate).")
  String path;

  @Option(names = "--flux-source", paramLabel = "NAME", converter = SourceConverter.class,
      description = "With --gitops flux: the GitRepository in namespace flux-system that holds the rendering "
          + "(default: flux-system, the one flux bootstrap creates).")
  String source;

  /** The render options for {@code gitOps}; {@code --gitops-path} and {@code --flux-source} only go with flux. */
  RenderOptions options(GitOps gitOps) {
    if (gitOps != GitOps.FLUX && (path != null || source != null)) {
      throw new CliException((path != null ? "--gitops-path" : "--flux-source") + " says where Flux finds the "
          + "rendering: pass --gitops flux too");
    }
    RenderOptions.Builder options = RenderOptions.builder().gitOps(gitOps);
    if (path != null) {
      options.gitopsPath(path);
    }
    if (source != null) {
      options.fluxSource(source);
    }
    return options.build();
  }

  /** {@code --gitops} of render: any target. */
  static final class TargetConverter implements ITypeConverter<GitOps> {
    @Override
    public GitOps convert(String value) {
      for (GitOps g : GitOps.values()) {
        if (g.id().equals(value)) {
          return g;
        }
      }
      throw new TypeConversionException("expected one of " + GitOps.ids() + " but was '" + value + "'");
    }
  }

  /** {@code --gitops} of apply: what a GitOps tool reconciles, so not helm-values. */
  static final class ApplyTargetConverter implements ITypeConverter<GitOps> {
    @Override
    public GitOps convert(String value) {
      if (value.equals(GitOps.HELM_VALUES.id())) {
        throw new TypeConversionException("expected argocd or flux but was 'helm-values', which leaves the charts "
            + "to helm: run render --gitops helm-values and the helm commands it writes");
      }
      return new TargetConverter().convert(value);
    }
  }

  static final class PathConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        return RenderOptions.builder().gitopsPath(value).build().gitopsPath();
      } catch (ConfigException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class SourceConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        return RenderOptions.builder().fluxSource(value).build().fluxSource();
      } catch (ConfigException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
