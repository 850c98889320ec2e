package dev.substrate.cli;

import dev.substrate.ApplyOptions;
import dev.substrate.ApplyResult;
import dev.substrate.GitOps;
import dev.substrate.RenderOptions;
import dev.substrate.Substrate;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code substrate apply}: server-side apply of the substrate layer, for bootstrap. */
@Command(name = "apply", description = {
    "Server-side apply the substrate layer (field manager \"substrate\"): CRDs first and established before their "
        + "objects; a second apply changes nothing."})
final class ApplyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;
  @Mixin ClusterOptions cluster;
  @Mixin GitOpsOptions gitops;

  @Option(names = "--gitops", paramLabel = "TARGET", converter = GitOpsOptions.ApplyTargetConverter.class,
      description = "argocd (default) or flux: apply the Helm charts as Argo CD Applications, or as Flux "
          + "HelmRepositories and HelmReleases with a Flux Kustomization.")
  GitOps gitOps = GitOps.ARGOCD;

  @Option(names = "--dry-run", description = "Ask the API server what would change; store nothing.")
  boolean dryRun;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RenderOptions rendering = gitops.options(gitOps);
    try (ClusterAccess access = cluster.open(err, "apply");
        EmbeddedExample example = EmbeddedExample.of(config, access.embedded(), cluster.embedded, err)) {
      Substrate substrate = access.substrate(example.config(), err);
      ConfigOptions.progress(err, (dryRun ? "dry-run applying " : "applying ")
          + substrate.render(rendering).resources().size()
          + " resources of substrate " + substrate.id() + " to " + access.server() + "…");
      // In text mode each outcome is the data, printed as it happens; otherwise outcomes are progress on stderr.
      Consumer<String> progress = output == OutputFormat.text
          ? line -> ConfigOptions.progress(out, line)
          : line -> ConfigOptions.progress(err, "  " + line);
      ApplyOptions options = ApplyOptions.builder().dryRun(dryRun).rendering(rendering).progress(progress)
          .build();
      ApplyResult result = access.apply(substrate, options);
      out.print(output == OutputFormat.text ? result.summary() + System.lineSeparator() : output.write(Documents.apply(result)));
      out.flush();
    }
    return 0;
  }
}
