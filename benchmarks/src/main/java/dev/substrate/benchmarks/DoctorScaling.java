package dev.substrate.benchmarks;

import dev.substrate.Report;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import java.util.Arrays;
import java.util.Locale;

/**
 * Prints doctor's API requests and time against embedded clusters of growing size, to show that requests grow with
 * pages (500 items each), not with nodes or checks.
 *
 * <pre>{@code
 * ./mvnw -B -o -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.substrate.benchmarks.DoctorScaling
 * java -cp ... dev.substrate.benchmarks.DoctorScaling 100 1000 10000 50000
 * }</pre>
 */
public final class DoctorScaling {
  private static final int WARMUP_RUNS = 2;
  private static final int MEASURED_RUNS = 5;

  private DoctorScaling() {}

  public static void main(String[] args) {
    int[] sizes = args.length == 0 ? new int[] {100, 1_000, 10_000}
        : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    System.out.printf(Locale.ROOT, "%8s %6s %9s %10s %10s %10s%n",
        "nodes", "kinds", "requests", "seed ms", "doctor ms", "min ms");
    for (int nodes : sizes) {
      long seedStart = System.nanoTime();
      try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER).nodes(nodes).start()) {
        long seedMs = (System.nanoTime() - seedStart) / 1_000_000;
        Substrate substrate = Substrates.builder().config(SubstrateConfig.parse("substrate: {id: byo}"))
            .client(cluster.client()).build();
        Report report = null;
        for (int i = 0; i < WARMUP_RUNS; i++) {
          report = substrate.doctor(cluster.client());
        }
        long total = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < MEASURED_RUNS; i++) {
          long start = System.nanoTime();
          report = substrate.doctor(cluster.client());
          long ms = (System.nanoTime() - start) / 1_000_000;
          total += ms;
          min = Math.min(min, ms);
        }
        System.out.printf(Locale.ROOT, "%8d %6d %9d %10d %10d %10d%n",
            nodes, substrate.reads().size(), report.apiRequests(), seedMs, total / MEASURED_RUNS, min);
      }
    }
  }
}
