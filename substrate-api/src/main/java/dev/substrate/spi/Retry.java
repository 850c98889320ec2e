package dev.substrate.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs an action again while it fails transiently: up to a number of attempts, waiting between them with exponential
 * backoff, or as long as the failure asks (a rate limit's reset). Immutable; each method returns a new {@code Retry}.
 *
 * <pre>{@code
 * Retry retry = Retry.of(4, e -> e instanceof HttpStatusException h && h.status() >= 500)
 *     .backoff(Duration.ofMillis(100), 2, Duration.ofSeconds(5));   // waits 100, 200, 400 ms
 * String body = retry.call(() -> fetch(url));
 * }</pre>
 *
 * <p>A failure that is not transient, or the last attempt's, is thrown as it is; the earlier attempts' failures are not
 * attached to it, as they may carry what the caller scrubs from the last (a token, a secret value). If the thread is
 * interrupted while waiting, the last failure is thrown at once, the {@link InterruptedException} added to it as
 * suppressed and the thread's interrupt status set.
 */
public final class Retry {
  /** Waits between attempts; tests inject one that records the waits instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** One attempt of the action. */
  @FunctionalInterface
  public interface Attempt<T, E extends Exception> {
    T run() throws E;
  }

  private static final Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis());

  private final int attempts;
  private final Predicate<? super Exception> transientFailure;
  private final Duration initial;
  private final double multiplier;
  private final Duration max;
  private final Function<? super Exception, Optional<Duration>> serverWait;
  private final Sleeper sleeper;

  private Retry(int attempts, Predicate<? super Exception> transientFailure, Duration initial, double multiplier,
      Duration max, Function<? super Exception, Optional<Duration>> serverWait, Sleeper sleeper) {
    this.attempts = attempts;
    this.transientFailure = transientFailure;
    this.initial = initial;
    this.multiplier = multiplier;
    this.max = max;
    this.serverWait = serverWait;
    this.sleeper = sleeper;
  }

  /**
   * At most {@code attempts} attempts (at least 1), retrying the failures {@code transientFailure} accepts, without
   * waiting in between until {@link #backoff} says how long.
   */
  public static Retry of(int attempts, Predicate<? super Exception> transientFailure) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
    }
    return new Retry(attempts, Objects.requireNonNull(transientFailure, "transientFailure"), Duration.ZERO, 1,
        Duration.ZERO, e -> Optional.empty(), THREAD_SLEEP);
  }

  /**
   * Waits {@code initial} before the second attempt, then {@code multiplier} (at least 1) times longer each time, at
   * most {@code max}.
   */
  public Retry backoff(Duration initial, double multiplier, Duration max) {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff must be 0 <= initial <= max: " + initial + ", " + max);
    }
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("backoff multiplier must be at least 1: " + multiplier);
    }
    return new Retry(attempts, transientFailure, initial, multiplier, max, serverWait, sleeper);
  }

  /**
   * How long a transient failure asks to be waited, such as a rate limit's reset or {@code Retry-After}; when present,
   * it replaces the backoff's wait for that failure (the backoff still advances).
   */
  public Retry serverWait(Function<? super Exception, Optional<Duration>> wait) {
    return new Retry(attempts, transientFailure, initial, multiplier, max, Objects.requireNonNull(wait, "wait"),
        sleeper);
  }

  /** How to wait between attempts (default {@link Thread#sleep}). */
  public Retry sleeper(Sleeper value) {
    return new Retry(attempts, transientFailure, initial, multiplier, max, serverWait,
        Objects.requireNonNull(value, "sleeper"));
  }

  /** The result of the first attempt of {@code attempt} that succeeds; see the class comment for failures. */
  public <T, E extends Exception> T call(Attempt<T, E> attempt) throws E {
    double backoff = nanos(initial);
    for (int n = 1; ; n++) {
      try {
        return attempt.run();
      } catch (Exception e) {
        if (n >= attempts || !transientFailure.test(e)) {
          throw Retry.<E>rethrow(e);
        }
        Duration next = backoff >= nanos(max) ? max : Duration.ofNanos((long) backoff);
        Duration wait = serverWait.apply(e).orElse(next);
        backoff *= multiplier;
        if (wait.compareTo(Duration.ZERO) > 0) {
          try {
            sleeper.sleep(wait);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            e.addSuppressed(ie);
            throw Retry.<E>rethrow(e);
          }
        }
      }
    }
  }

  private static double nanos(Duration d) {
    return d.getSeconds() * 1e9 + d.getNano();
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E rethrow(Exception failure) {
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    // the attempt declares E: any checked exception it threw is one
    return (E) failure;
  }
}
