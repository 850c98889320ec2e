package dev.substrate.kubefake.internal.http;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Faults injected into the embedded API server: forbidden resources, server errors and a response delay. */
public final class Faults {

  /** The user a forbidden response names, as a service account would appear. */
  public static final String USER = "system:serviceaccount:default:substrate";

  private final Set<String> forbidden = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> failing = new ConcurrentHashMap<>();
  private volatile int failingAll;
  private volatile Duration delay = Duration.ZERO;

  /** Makes every request for a resource fail with 403 Forbidden. */
  public void forbid(String group, String plural) {
    forbidden.add(key(group, plural));
  }

  /** Whether requests for a resource are forbidden. */
  public boolean isForbidden(String group, String plural) {
    return !forbidden.isEmpty() && forbidden.contains(key(group, plural));
  }

  /** Makes every request for a resource answer a 5xx {@code status}. */
  public void fail(String group, String plural, int status) {
    failing.put(key(group, plural), serverError(status));
  }

  /** Makes every request, whatever its path, answer a 5xx {@code status}. */
  public void failAll(int status) {
    failingAll = serverError(status);
  }

  /** The 5xx status every request answers, or 0. */
  public int failingAll() {
    return failingAll;
  }

  /** The 5xx status requests for a resource answer, or 0. */
  public int failing(String group, String plural) {
    return failing.isEmpty() ? 0 : failing.getOrDefault(key(group, plural), 0);
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
    failing.clear();
    failingAll = 0;
    delay = Duration.ZERO;
  }

  private static int serverError(int status) {
    if (status < 500 || status > 599) {
      throw new IllegalArgumentException("status must be a server error (500-599), was " + status);
    }
    return status;
  }

  private static String key(String group, String plural) {
    return (group == null ? "" : group) + "/" + Objects.requireNonNull(plural, "plural");
  }
}
