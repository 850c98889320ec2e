package dev.substrate.hetzner.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The expected strings are what Go's {@code time.Duration.String()} prints for the same durations. */
class GoDurationTest {
  @Test
  void formatsAsGoPrintsDurations() {
    assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoDuration.format(Duration.ofSeconds(15))).isEqualTo("15s");
    assertThat(GoDuration.format(Duration.ofSeconds(60))).isEqualTo("1m0s");
    assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(GoDuration.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
    assertThat(GoDuration.format(Duration.ofSeconds(26 * 3600 + 3 * 60 + 4))).isEqualTo("26h3m4s");
    assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(GoDuration.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(GoDuration.format(Duration.ofNanos(1_500_000))).isEqualTo("1.5ms");
    assertThat(GoDuration.format(Duration.ofNanos(2_500))).isEqualTo("2.5µs");
    assertThat(GoDuration.format(Duration.ofNanos(7))).isEqualTo("7ns");
    assertThat(GoDuration.format(Duration.ofSeconds(-90))).isEqualTo("-1m30s");
    assertThat(GoDuration.format(Duration.ofSeconds(3600 + 1, 100))).isEqualTo("1h0m1.0000001s");
  }
}
