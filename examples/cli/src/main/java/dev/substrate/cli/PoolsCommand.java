package dev.substrate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.substrate.ClusterSnapshot;
import dev.substrate.Placement;
import dev.substrate.PoolAssignment;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code substrate pools}: the cluster's node pools, the substrate each runs on, and which can run a pod. */
@Command(name = "pools", description = {
    "Show the cluster's node pools: the substrate each pool's nodes run on (told apart by providerID scheme), "
        + "its GPU stack and storage, its GPUs, and whether it serves ReadWriteMany and adds GPU nodes on demand.",
    "--pod FILE matches a pod (and the PersistentVolumeClaims in the same file) to the pools that can run it."})
final class PoolsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;
  @Mixin ClusterOptions cluster;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--pod", paramLabel = "FILE",
      description = "A Pod manifest (YAML or JSON), with the PersistentVolumeClaims it mounts, to place.")
  Path pod;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PodFile placed = pod == null ? null : PodFile.read(pod);
    try (ClusterAccess access = cluster.open(err, "pools");
        EmbeddedExample example = EmbeddedExample.of(config, access.embedded(), cluster.embedded, err)) {
      ConfigOptions.progress(err, "reading nodes from " + access.server() + "…");
      ClusterSnapshot nodes = access.nodes(line -> ConfigOptions.progress(err, "  " + line));
      if (nodes.state(ResourceKind.NODES) != ClusterSnapshot.ReadState.READ) {
        throw new CliException("cannot sort nodes into pools: "
            + nodes.problem(ResourceKind.NODES).orElse("nodes were not read"));
      }
      Substrate substrate = access.substrate(example.config(), nodes, err);
      PoolAssignment assignment = substrate.assign(nodes);
      List<Placement> placements = placed == null ? List.of()
          : substrate.placements(placed.pod(), placed.claims(), nodes);
      out.print(PoolsReport.print(output, substrate, assignment, placements, placed));
      out.flush();
    }
    return 0;
  }

  /** A pod and the claims beside it in one file. */
  record PodFile(Pod pod, List<PersistentVolumeClaim> claims) {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static PodFile read(Path file) {
      Pod pod = null;
      List<PersistentVolumeClaim> claims = new ArrayList<>();
      for (JsonNode document : YamlInput.readAll(file, "pod file")) {
        String kind = document.path("kind").asText();
        if (kind.equals("Pod")) {
          if (pod != null) {
            throw new CliException("pod file " + file + " holds more than one Pod; --pod places one");
          }
          pod = SERIALIZATION.convertValue(document, Pod.class);
        } else if (kind.equals("PersistentVolumeClaim")) {
          claims.add(SERIALIZATION.convertValue(document, PersistentVolumeClaim.class));
        } else {
          throw new CliException("pod file " + file + " holds a " + (kind.isEmpty() ? "document without kind" : kind)
              + " but must hold one Pod and the PersistentVolumeClaims it mounts");
        }
      }
      if (pod == null || pod.getMetadata() == null || pod.getSpec() == null) {
        throw new CliException("pod file " + file + " holds no Pod with metadata and spec; --pod FILE must hold one");
      }
      return new PodFile(pod, claims);
    }
  }
}
