package dev.substrate.spi;

import org.immutables.value.Value;

/** A substrate's claim on a cluster: how sure it is (0–100) and what it saw. */
@Value.Immutable
public abstract class Detection {
  public abstract String substrateId();

  /** 0–100; the highest score wins; a generic fallback such as {@code byo} scores low. */
  public abstract int score();

  /** What was seen, e.g. "12 nodes: 8 hcloud://, 4 hrobot://". */
  public abstract String evidence();

  @Value.Check
  protected void check() {
    if (score() < 0 || score() > 100) {
      throw new IllegalArgumentException("detection score must be 0-100, was " + score());
    }
  }

  public static Detection of(String substrateId, int score, String evidence) {
    return ImmutableDetection.builder().substrateId(substrateId).score(score).evidence(evidence).build();
  }
}
