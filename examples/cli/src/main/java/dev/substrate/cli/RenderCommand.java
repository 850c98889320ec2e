package dev.substrate.cli;

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
        + "kustomization.yaml, ready for Argo CD or Flux.",
    "DIR may hold other files: render lists what it writes in DIR/.substrate-rendering and only ever replaces or "
        + "removes files listed there, refusing one edited since, a name taken by a file it did not write, and "
        + "symbolic links. Everything else in DIR, and DIR's mode, stay as they were."})
final class RenderCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;
  @Mixin ClusterOptions cluster;

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
    Substrate substrate = config.substrate(cluster, err);
    Rendering rendering = substrate.render();
    if (target.stdout) {
      out.print(rendering.toYaml());
      out.flush();
    } else {
      rendering.writeTo(target.dir);
      int count = rendering.resources().size();
      ConfigOptions.progress(err, "wrote " + count + (count == 1 ? " resource" : " resources") + " to " + target.dir);
    }
    return 0;
  }
}
