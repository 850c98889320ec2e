package dev.substrate.cli;

import dev.substrate.ClusterSnapshot;
import dev.substrate.GpuCapacity;
import dev.substrate.Rendering;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code substrate gpus}: GPUs per node pool and product, and Kueue quota from them. */
@Command(name = "gpus", description = {
    "Show the cluster's GPUs per node pool and product: allocatable, requested by pods that are not finished, free; "
        + "MIG slices by profile; time-slicing/MPS replicas; whether the pool can grow.",
    "Reads nodes and pods once each (500 a page, no retries). Pools are told apart by the node-pool label "
        + "(GKE, Karpenter, EKS, AKS), else by node.kubernetes.io/instance-type.",
    "--kueue DIR writes Kueue quota for these GPUs (ResourceFlavors and a ClusterQueue, kueue.x-k8s.io/v1beta2) "
        + "with render's rules: only files listed in DIR/.substrate-rendering are ever replaced or removed."})
final class GpusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;
  @Mixin ClusterOptions cluster;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--kueue", paramLabel = "DIR",
      description = "Also write Kueue ResourceFlavors and a ClusterQueue quoting this capacity to DIR.")
  Path kueue;

  @Option(names = "--cluster-queue", paramLabel = "NAME", defaultValue = "gpus",
      description = "The ClusterQueue's name (default: ${DEFAULT-VALUE}).")
  String clusterQueue;

  @Option(names = "--max-nodes", paramLabel = "POOL=N",
      description = "The most nodes an autoscaler gives POOL (set on the cloud's side, not visible in the "
          + "cluster); the Kueue quota of an autoscaled pool is then what N nodes hold. Repeatable.")
  Map<String, Integer> maxNodes = new LinkedHashMap<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (kueue == null && !clusterQueue.equals("gpus")) {
      throw new CliException("--cluster-queue names the ClusterQueue --kueue DIR writes: pass --kueue DIR too");
    }
    try (ClusterAccess access = cluster.open(err, "gpus");
        EmbeddedExample example = EmbeddedExample.of(config, access.embedded(), cluster.embedded, err)) {
      SubstrateConfig loaded = example.config();
      Consumer<String> progress = line -> ConfigOptions.progress(err, "  " + line);
      ClusterSnapshot nodes = ClusterSnapshot.builder().build();
      if (loaded.substrate().isEmpty()) {
        ConfigOptions.progress(err, "detecting the substrate from the cluster's nodes…");
        nodes = access.nodes(progress);
        if (nodes.state(ResourceKind.NODES) != ClusterSnapshot.ReadState.READ) {
          throw new CliException("cannot count GPUs: " + nodes.problem(ResourceKind.NODES).orElse("nodes were not read"));
        }
      }
      Substrate substrate = access.substrate(loaded, nodes, err);
      ConfigOptions.progress(err, "reading nodes and pods from " + access.server() + "…");
      GpuCapacity capacity = access.gpus(substrate, nodes, progress);
      for (Map.Entry<String, Integer> max : maxNodes.entrySet()) {
        capacity = capacity.withMaxNodes(max.getKey(), max.getValue());
      }
      if (kueue != null) {
        Rendering quota = capacity.kueue(clusterQueue);
        quota.writeTo(kueue);
        int count = quota.resources().size();
        ConfigOptions.progress(err, "wrote " + count + (count == 1 ? " Kueue resource" : " Kueue resources") + " to "
            + kueue);
      }
      out.print(output == OutputFormat.text ? capacity.toText() : output.convert(capacity.toJson()));
      out.flush();
    }
    return 0;
  }
}
