package dev.substrate.cloudfakes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Faults a {@link FakeService} injects: error statuses the next requests fail with (in the service's own error format),
 * optionally only on a path, and a delay before every answer.
 */
public final class Faults {
  private final ConcurrentLinkedQueue<Integer> failures = new ConcurrentLinkedQueue<>();
  private final List<Targeted> targeted = new ArrayList<>();
  private volatile Duration delay = Duration.ZERO;

  Faults() {}

  /** Makes the next request fail with {@code httpStatus}. */
  public void failNext(int httpStatus) {
    failNext(1, httpStatus);
  }

  /** Makes the next {@code count} requests fail with {@code httpStatus}, after any already queued. */
  public void failNext(int count, int httpStatus) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + count);
    }
    checkStatus(httpStatus);
    for (int i = 0; i < count; i++) {
      failures.add(httpStatus);
    }
  }

  /** Makes the next request whose path ends with {@code pathSuffix} fail with {@code httpStatus}. */
  public void failNextOn(String pathSuffix, int httpStatus) {
    failNextOn(pathSuffix, null, httpStatus);
  }

  /**
   * Makes the next request whose path ends with {@code pathSuffix} and whose query has the parameter
   * {@code queryParameter} (as sent, e.g. {@code "page=3"}) fail with {@code httpStatus}.
   */
  public void failNextOn(String pathSuffix, String queryParameter, int httpStatus) {
    Objects.requireNonNull(pathSuffix, "pathSuffix");
    checkStatus(httpStatus);
    synchronized (targeted) {
      targeted.add(new Targeted(pathSuffix, queryParameter, httpStatus));
    }
  }

  /**
   * The status the request for {@code path} must fail with, or 0 for none; each injected failure is used once,
   * failures aimed at a path before the others.
   */
  int nextFailure(String path, String query) {
    synchronized (targeted) {
      for (Iterator<Targeted> it = targeted.iterator(); it.hasNext(); ) {
        Targeted t = it.next();
        if (path.endsWith(t.pathSuffix)
            && (t.queryParameter == null || Arrays.asList(query.split("&")).contains(t.queryParameter))) {
          it.remove();
          return t.httpStatus;
        }
      }
    }
    Integer status = failures.poll();
    return status == null ? 0 : status;
  }

  /** How many injected failures are still queued. */
  public int pendingFailures() {
    synchronized (targeted) {
      return failures.size() + targeted.size();
    }
  }

  private static void checkStatus(int httpStatus) {
    if (httpStatus < 400 || httpStatus > 599) {
      throw new IllegalArgumentException("httpStatus must be an error status (400-599): " + httpStatus);
    }
  }

  private record Targeted(String pathSuffix, String queryParameter, int httpStatus) {}

  /** Delays every answer by {@code value}; zero for none. */
  public void delay(Duration value) {
    Objects.requireNonNull(value, "delay");
    if (value.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + value);
    }
    delay = value;
  }

  /** The current delay before every answer. */
  public Duration delay() {
    return delay;
  }

  /** Removes every queued failure and the delay. */
  public void clear() {
    failures.clear();
    synchronized (targeted) {
      targeted.clear();
    }
    delay = Duration.ZERO;
  }
}
