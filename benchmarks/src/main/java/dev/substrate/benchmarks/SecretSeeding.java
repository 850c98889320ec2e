package dev.substrate.benchmarks;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.substrate.SecretStore.PutResult;
import dev.substrate.SecretValue;
import dev.substrate.cloudfakes.google.FakeSecretManager;
import dev.substrate.secrets.gcp.GcpSecretStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Seeds secrets into a {@link FakeSecretManager} through {@link GcpSecretStore} (the real Java client on its REST
 * transport, over loopback HTTP), sequentially and with bounded parallelism, and prints secrets per second: first
 * seeding (each secret: access latest 404, create, add version) and re-seeding the same values (one access each).
 *
 * <pre>{@code
 * ./mvnw -B -o -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.substrate.benchmarks.SecretSeeding
 * java -cp ... dev.substrate.benchmarks.SecretSeeding 1000 1 8 32   # count, then parallelism levels
 * }</pre>
 */
public final class SecretSeeding {
  private static final int WARMUP = 300;

  private SecretSeeding() {}

  public static void main(String[] args) throws Exception {
    int count = args.length == 0 ? 1_000 : Integer.parseInt(args[0]);
    int[] levels = args.length < 2 ? new int[] {1, 8, 32}
        : Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray();
    try (FakeSecretManager fake = FakeSecretManager.start()) {
      GoogleCredentials credentials = GoogleCredentials.create(new AccessToken(fake.token(), null));
      try (GcpSecretStore warm = GcpSecretStore.builder().projectId("warmup").endpoint(fake.url())
          .credentials(credentials).parallelism(8).build()) {
        seed(warm, WARMUP, 8, "w");
        seed(warm, WARMUP, 8, "w");
      }
      System.out.printf(Locale.ROOT, "%8s %11s %8s %10s %14s %8s %12s%n",
          "secrets", "parallelism", "requests", "create ms", "created/s", "update ms", "unchanged/s");
      for (int parallelism : levels) {
        String project = "bench-" + parallelism;
        try (GcpSecretStore store = GcpSecretStore.builder().projectId(project).endpoint(fake.url())
            .credentials(credentials).parallelism(parallelism).build()) {
          fake.journal().clear();
          long created = seed(store, count, parallelism, "s");
          int requests = fake.journal().size();
          long unchanged = seed(store, count, parallelism, "s");
          if (fake.secretIds(project).size() != count) {
            throw new IllegalStateException("expected " + count + " secrets in " + project);
          }
          System.out.printf(Locale.ROOT, "%8d %11d %8d %10d %14.0f %8d %12.0f%n", count, parallelism, requests,
              created, count * 1000.0 / created, unchanged, count * 1000.0 / unchanged);
        }
      }
    }
  }

  /** Puts {@code count} secrets with {@code parallelism} workers; returns the wall-clock milliseconds. */
  private static long seed(GcpSecretStore store, int count, int parallelism, String prefix) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      long start = System.nanoTime();
      List<Future<PutResult>> results = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String name = prefix + "-" + i;
        results.add(pool.submit(() -> store.put(name, SecretValue.of("value-of-" + name))));
      }
      for (Future<PutResult> r : results) {
        r.get();
      }
      return Math.max(1, (System.nanoTime() - start) / 1_000_000);
    } finally {
      pool.shutdownNow();
    }
  }
}
