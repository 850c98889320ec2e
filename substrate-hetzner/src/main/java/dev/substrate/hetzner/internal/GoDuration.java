package dev.substrate.hetzner.internal;

import java.time.Duration;

/**
 * Go's {@code time.Duration.String()}, which {@code time.ParseDuration} (how the hcloud CCM reads its duration
 * annotations) reads back: {@code 15s}, {@code 1m30s}, {@code 1h0m0s}, {@code 1.5s}, {@code 500ms}, {@code 0s}.
 */
final class GoDuration {
  private GoDuration() {}

  static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    boolean negative = nanos < 0;
    // Long.MIN_VALUE has no positive counterpart; as in Go, its magnitude is taken unsigned.
    long u = negative ? -nanos : nanos;
    String out;
    if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
      if (u < 1_000L) {
        out = u + "ns";
      } else if (u < 1_000_000L) {
        out = withFraction(u, 3) + "µs";
      } else {
        out = withFraction(u, 6) + "ms";
      }
    } else {
      long seconds = Long.divideUnsigned(u, 1_000_000_000L);
      long fraction = Long.remainderUnsigned(u, 1_000_000_000L);
      StringBuilder b = new StringBuilder();
      long minutes = seconds / 60;
      if (minutes > 0) {
        long hours = minutes / 60;
        if (hours > 0) {
          b.append(hours).append('h');
        }
        b.append(minutes % 60).append('m');
      }
      b.append(seconds % 60).append(fraction(fraction, 9)).append('s');
      out = b.toString();
    }
    return negative ? "-" + out : out;
  }

  /** {@code v / 10^precision} with the fraction's trailing zeros, and a bare point, left out. */
  private static String withFraction(long v, int precision) {
    long scale = (long) Math.pow(10, precision);
    return (v / scale) + fraction(v % scale, precision);
  }

  private static String fraction(long digits, int precision) {
    if (digits == 0) {
      return "";
    }
    String s = String.format("%0" + precision + "d", digits);
    int end = s.length();
    while (s.charAt(end - 1) == '0') {
      end--;
    }
    return "." + s.substring(0, end);
  }
}
