package dev.substrate.benchmarks;

import dev.substrate.cloudfakes.hetzner.FakeHetznerCloud;
import dev.substrate.hetzner.HetznerInventory;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a Hetzner Cloud project of many servers from the cloud fakes' {@link FakeHetznerCloud} through
 * {@link HetznerInventory} (the real Java client, over loopback HTTP) with each response delayed, one page at a time
 * and with more pages at once, and prints the requests and the time taken (mean and minimum of 5 reads after 2
 * warm-up reads).
 *
 * <pre>{@code
 * ./mvnw -q -pl benchmarks exec:java@hcloud-paging -Dexec.args="10000 20 1 8"   # servers, delay ms, parallelism...
 * }</pre>
 */
public final class HcloudPaging {
  private static final int WARMUP_RUNS = 2;
  private static final int MEASURED_RUNS = 5;

  private HcloudPaging() {}

  public static void main(String[] args) {
    int servers = args.length < 1 ? 10_000 : Integer.parseInt(args[0]);
    int delayMs = args.length < 2 ? 20 : Integer.parseInt(args[1]);
    int[] levels = args.length < 3 ? new int[] {1, 4, 8, 16}
        : Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray();
    try (FakeHetznerCloud hcloud = FakeHetznerCloud.start()) {
      for (int i = 1; i <= servers; i++) {
        hcloud.addServer(i, "node-" + i, "cpx41", "fsn1", Map.of("cluster", "bench"));
      }
      // a budget that the runs below never spend, so no read waits for a reset
      hcloud.rateLimit(Integer.MAX_VALUE, Integer.MAX_VALUE, Instant.EPOCH);
      hcloud.faults().delay(Duration.ofMillis(delayMs));
      System.out.printf(Locale.ROOT, "%8s %8s %11s %8s %11s %8s %8s%n",
          "servers", "delay ms", "parallelism", "requests", "max at once", "mean ms", "min ms");
      for (int parallelism : levels) {
        HetznerInventory inventory = HetznerInventory.of(hcloud.token(), hcloud.endpoint(), Duration.ZERO,
            parallelism);
        for (int i = 0; i < WARMUP_RUNS; i++) {
          inventory.read();
        }
        hcloud.journal().clear();
        long total = 0;
        long min = Long.MAX_VALUE;
        int requests = 0;
        for (int i = 0; i < MEASURED_RUNS; i++) {
          long start = System.nanoTime();
          HetznerInventory.Project project = inventory.read();
          long ms = (System.nanoTime() - start) / 1_000_000;
          if (project.servers().size() != servers) {
            throw new IllegalStateException("read " + project.servers().size() + " servers, expected " + servers);
          }
          total += ms;
          min = Math.min(min, ms);
          requests = project.requests();
        }
        System.out.printf(Locale.ROOT, "%8d %8d %11d %8d %11d %8d %8d%n", servers, delayMs, parallelism, requests,
            hcloud.journal().maxInFlight(), total / MEASURED_RUNS, min);
      }
    }
  }
}
