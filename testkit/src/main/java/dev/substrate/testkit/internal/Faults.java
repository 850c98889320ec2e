package dev.substrate.testkit.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Faults injected into the embedded API server: forbidden resources and a response delay. */
public final class Faults {

  /** The user a forbidden response names, as a service account would appear. */
  public static final String USER = "system:serviceaccount:default:substrate";

  private final Set<String> forbidden = ConcurrentHashMap.newKeySet();
  private volatile Duration delay = Duration.ZERO;

  /** Makes every request for a resource fail with 403 Forbidden. */
  public void forbid(String group, String plural) {
    forbidden.add(key(group, plural));
  }

  /** Whether requests for a resource are forbidden. */
  public boolean isForbidden(String group, String plural) {
    return !forbidden.isEmpty() && forbidden.contains(key(group, plural));
  }

  /** Delays every response body by the given duration; zero for none. */
  public void delay(Duration value) {
    Objects.requireNonNull(value, "delay");
    if (value.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + value);
    }
    delay = value;
  }

  /** The current response delay. */
  public Duration delay() {
    return delay;
  }

  /** Removes every fault. */
  public void clear() {
    forbidden.clear();
    delay = Duration.ZERO;
  }

  private static String key(String group, String plural) {
    return (group == null ? "" : group) + "/" + Objects.requireNonNull(plural, "plural");
  }
}
