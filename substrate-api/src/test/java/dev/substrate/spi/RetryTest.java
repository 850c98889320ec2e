package dev.substrate.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryTest {
  private final List<Duration> slept = new ArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  /** Fails with {@code IOException("failure N")} the first {@code failures} times, then answers "ok". */
  private Retry.Attempt<String, IOException> failing(int failures) {
    return () -> {
      int n = calls.incrementAndGet();
      if (n <= failures) {
        throw new IOException("failure " + n);
      }
      return "ok";
    };
  }

  private Retry retry(int attempts) {
    return Retry.of(attempts, e -> e instanceof IOException).sleeper(slept::add);
  }

  @Test
  void retriesTransientFailuresWithExponentialBackoffUntilOneSucceeds() throws IOException {
    String result = retry(4).backoff(Duration.ofMillis(100), 2, Duration.ofSeconds(10)).call(failing(3));
    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(4);
    assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void theBackoffStopsGrowingAtItsMaximum() throws IOException {
    retry(6).backoff(Duration.ofSeconds(1), 3, Duration.ofSeconds(10)).call(failing(5));
    assertThat(slept).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(9),
        Duration.ofSeconds(10), Duration.ofSeconds(10));
  }

  @Test
  void withoutABackoffItRetriesAtOnce() throws IOException {
    assertThat(retry(3).call(failing(2))).isEqualTo("ok");
    assertThat(calls).hasValue(3);
    assertThat(slept).isEmpty();
  }

  @Test
  void theLastFailureIsThrownAloneWhenTheAttemptsAreSpent() {
    assertThatThrownBy(() -> retry(3).backoff(Duration.ofMillis(10), 2, Duration.ofMillis(10)).call(failing(9)))
        .isInstanceOf(IOException.class).hasMessage("failure 3").hasNoCause()
        .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
    assertThat(calls).hasValue(3);
    assertThat(slept).containsExactly(Duration.ofMillis(10), Duration.ofMillis(10));
  }

  @Test
  void aFailureThatIsNotTransientIsThrownAtOnce() {
    IllegalStateException bug = new IllegalStateException("bug");
    Retry.Attempt<String, IOException> attempt = () -> {
      if (calls.incrementAndGet() == 1) {
        throw new IOException("transient");
      }
      throw bug;
    };
    assertThatThrownBy(() -> retry(5).backoff(Duration.ofMillis(1), 1, Duration.ofMillis(1)).call(attempt))
        .isSameAs(bug);
    assertThat(calls).hasValue(2);
    assertThat(bug.getSuppressed()).isEmpty();
  }

  @Test
  void oneAttemptNeverRetries() {
    assertThatThrownBy(() -> retry(1).backoff(Duration.ofMillis(1), 2, Duration.ofMillis(8)).call(failing(1)))
        .hasMessage("failure 1");
    assertThat(calls).hasValue(1);
    assertThat(slept).isEmpty();
  }

  @Test
  void aServerGivenWaitReplacesTheBackoffForThatFailure() throws IOException {
    String result = retry(4).backoff(Duration.ofMillis(100), 2, Duration.ofSeconds(10))
        .serverWait(e -> e.getMessage().equals("failure 2") ? Optional.of(Duration.ofSeconds(12)) : Optional.empty())
        .call(failing(3));
    assertThat(result).isEqualTo("ok");
    assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofSeconds(12), Duration.ofMillis(400));
  }

  @Test
  void anInterruptWhileWaitingStopsAtOnceAndKeepsTheInterruptStatus() {
    Retry retry = Retry.of(5, e -> true).backoff(Duration.ofMillis(100), 2, Duration.ofSeconds(1)).sleeper(d -> {
      slept.add(d);
      throw new InterruptedException("stop");
    });
    assertThatThrownBy(() -> retry.call(failing(9)))
        .isInstanceOf(IOException.class).hasMessage("failure 1")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class));
    assertThat(calls).hasValue(1);
    assertThat(slept).hasSize(1);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void theRealSleeperWaits() throws IOException {
    long start = System.nanoTime();
    Retry.of(2, e -> true).backoff(Duration.ofMillis(30), 1, Duration.ofMillis(30)).call(failing(1));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(30));
  }

  @Test
  void badSettingsAreRejected() {
    assertThatThrownBy(() -> Retry.of(0, e -> true)).hasMessage("attempts must be at least 1: 0");
    Retry retry = Retry.of(2, e -> true);
    assertThatThrownBy(() -> retry.backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1)))
        .hasMessageContaining("initial <= max");
    assertThatThrownBy(() -> retry.backoff(Duration.ofMillis(-1), 2, Duration.ofSeconds(1)))
        .hasMessageContaining("initial <= max");
    assertThatThrownBy(() -> retry.backoff(Duration.ZERO, 0.5, Duration.ofSeconds(1)))
        .hasMessage("backoff multiplier must be at least 1: 0.5");
  }

  @Test
  void theSettingsAreImmutable() throws IOException {
    Retry base = retry(3);
    base.backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(4));
    base.call(failing(2));
    assertThat(slept).isEmpty();
  }
}
