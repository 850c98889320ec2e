package dev.substrate.benchmarks;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses what one measured run leaves behind: GNU time's resource line and the report's request count. */
final class RunOutput {
  /** The format {@link CliBenchmark} passes to {@code /usr/bin/time -f}: elapsed s, user s, system s, max RSS KiB. */
  static final String TIME_FORMAT = "%e %U %S %M";

  private static final Pattern TIME_LINE = Pattern.compile("^(\\d+\\.\\d+) (\\d+\\.\\d+) (\\d+\\.\\d+) (\\d+)$",
      Pattern.MULTILINE);
  private static final Pattern REQUESTS = Pattern.compile("^Kubernetes API: (\\d+) requests?\\b",
      Pattern.MULTILINE);

  private RunOutput() {}

  /** CPU time (user + system, seconds) and maximum resident set size (KiB) of a process. */
  record Usage(double cpuSeconds, long maxRssKib) {}

  /**
   * The last {@link #TIME_FORMAT} line of GNU time's output; it may be preceded by "Command exited with non-zero
   * status N" or "Command terminated by signal N".
   */
  static Optional<Usage> usage(String timeOutput) {
    Matcher m = TIME_LINE.matcher(timeOutput);
    Usage last = null;
    while (m.find()) {
      last = new Usage(Double.parseDouble(m.group(2)) + Double.parseDouble(m.group(3)), Long.parseLong(m.group(4)));
    }
    return Optional.ofNullable(last);
  }

  /** The count of the report's {@code Kubernetes API: N requests} line, if the output has one. */
  static OptionalInt requests(String stdout) {
    Matcher m = REQUESTS.matcher(stdout);
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }
}
