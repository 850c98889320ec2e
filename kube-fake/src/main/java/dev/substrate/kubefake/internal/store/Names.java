package dev.substrate.kubefake.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deterministic, unique-looking name parts, so presets are the same on every run. */
public final class Names {

  private static final int SPACE = 36 * 36 * 36 * 36;

  private Names() {
  }

  /** Four base-36 characters, distinct for every {@code i} below 1,679,616. */
  public static String suffix4(int i) {
    long v = (i * 7919L + 104_729L) % SPACE;
    StringBuilder sb = new StringBuilder(Long.toString(v, 36));
    while (sb.length() < 4) {
      sb.insert(0, '0');
    }
    return sb.toString();
  }

  /** Eight hex characters derived from a seed. */
  public static String hex8(String seed) {
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
  }

  /** An IPv4 address in a /16 for host number {@code i} (skipping .0 and .1). */
  public static String ip(String prefix16, int i) {
    return prefix16 + "." + (i / 250) + "." + (i % 250 + 2);
  }
}
