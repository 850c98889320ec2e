package dev.substrate.spi;

import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One doctor check. It declares the kinds it {@link #reads()}; the engine lists each kind once for all checks and
 * hands the check a snapshot restricted to what it declared. A check never calls the API itself.
 *
 * <pre>{@code
 * Check.of("storage.default-class", Set.of(ResourceKind.STORAGE_CLASSES), snapshot -> ...);
 * }</pre>
 */
public interface Check {
  /** Stable dotted id such as {@code storage.default-class}. */
  String id();

  /** The kinds {@link #run} reads. */
  Set<ResourceKind> reads();

  /** Judges the snapshot. If a declared kind could not be read, the engine reports that instead of calling this. */
  CheckResult run(ClusterSnapshot snapshot);

  /** What the engine calls; checks that need the live cluster or an outside API override this. */
  default CheckResult run(ClusterSnapshot snapshot, DoctorContext context) {
    return run(snapshot);
  }

  static Check of(String id, Set<ResourceKind> reads, Function<ClusterSnapshot, CheckResult> run) {
    return of(id, reads, (snapshot, context) -> run.apply(snapshot));
  }

  /**
   * A check that also uses the {@link DoctorContext}; run without one (a plain {@link #run(ClusterSnapshot)}), it gets
   * an offline context.
   */
  static Check of(String id, Set<ResourceKind> reads, BiFunction<ClusterSnapshot, DoctorContext, CheckResult> run) {
    Set<ResourceKind> declared = Set.copyOf(reads);
    return new Check() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public Set<ResourceKind> reads() {
        return declared;
      }

      @Override
      public CheckResult run(ClusterSnapshot snapshot) {
        return run(snapshot, DoctorContext.offline(line -> {}));
      }

      @Override
      public CheckResult run(ClusterSnapshot snapshot, DoctorContext context) {
        return run.apply(snapshot, context);
      }

      @Override
      public String toString() {
        return "Check[" + id + "]";
      }
    };
  }
}
