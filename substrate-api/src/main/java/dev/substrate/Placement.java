package dev.substrate;

import org.immutables.value.Value;

/** Whether one node pool can run a pod, and why ({@link Substrate#placements}). */
@Value.Immutable
public abstract class Placement {
  /** The pool's name. */
  public abstract String pool();

  public abstract boolean fits();

  /** Why it fits or not, e.g. {@code no ReadWriteMany storage: hcloud volumes attach to one node}. */
  public abstract String reason();

  public static Placement of(String pool, boolean fits, String reason) {
    return ImmutablePlacement.builder().pool(pool).fits(fits).reason(reason).build();
  }
}
