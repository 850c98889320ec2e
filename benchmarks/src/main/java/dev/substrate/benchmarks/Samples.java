package dev.substrate.benchmarks;

import java.util.Arrays;
import java.util.List;

/** Minimum, median and maximum of a series of measurements. */
record Samples(double min, double median, double max) {
  static Samples of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Samples(sorted[0], median, sorted[n - 1]);
  }
}
