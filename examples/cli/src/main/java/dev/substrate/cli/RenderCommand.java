package dev.substrate.cli;

import dev.substrate.GitOps;
import dev.substrate.RenderOptions;
import dev.substrate.Rendering;
import dev.substrate.Substrate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code substrate render -o DIR}: the substrate layer as one YAML file per resource plus a kustomization. */
@Command(name = "render", description = {
    "Write the resources the substrate layer adds, in apply order: one YAML file per resource plus a "
        + "kustomization.yaml. Helm charts are Argo CD Applications, or with --gitops flux Flux HelmRepositories and "
        + "HelmReleases plus a Flux Kustomization of DIR, or with --gitops helm-values values/<release>.yaml files and "
        + "NOTES.md with the helm command of each.",
    "DIR may hold other files: render lists what it writes in DIR/.substrate-rendering and only ever replaces or "
        + "removes files listed there, refusing one edited since, a name taken by a file it did not write, and "
        + "symbolic links. Everything else in DIR, and DIR's mode, stay as they were."})
final class RenderCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;
  @Mixin ClusterOptions cluster;
  @Mixin GitOpsOptions gitops;

  @Option(names = "--gitops", paramLabel = "TARGET", converter = GitOpsOptions.TargetConverter.class,
      description = "argocd (default), flux or helm-values: the form of the Helm charts the layer installs.")
  GitOps gitOps = GitOps.ARGOCD;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", required = true,
        description = "The directory to write.")
    Path dir;

    @Option(names = "--stdout", required = true, description = "Print one multi-document YAML stream instead.")
    boolean stdout;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RenderOptions options = gitops.options(gitOps);
    if (target.stdout && gitOps == GitOps.HELM_VALUES) {
      throw new CliException("--stdout prints one YAML stream of resources, without the values files --gitops "
          + "helm-values writes: pass -o DIR instead");
    }
    Substrate substrate = config.substrate(cluster, err);
    Rendering rendering = substrate.render(options);
    if (target.stdout) {
      out.print(rendering.toYaml());
      out.flush();
    } else {
      rendering.writeTo(target.dir);
      int count = rendering.resources().size();
      int charts = rendering.charts().size();
      ConfigOptions.progress(err, "wrote " + count + (count == 1 ? " resource" : " resources")
          + (gitOps == GitOps.HELM_VALUES ? " and " + charts + (charts == 1 ? " values file" : " values files") : "")
          + " to " + target.dir);
    }
    return 0;
  }
}
