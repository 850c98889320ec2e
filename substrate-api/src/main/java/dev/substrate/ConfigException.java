package dev.substrate;

import java.util.List;

/**
 * The configuration is invalid; {@link #problems()} lists every problem found, each naming the key, the value
 * and what it must be.
 */
public class ConfigException extends SubstrateException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  /** Every problem, in the order found; never empty. */
  public List<String> problems() {
    return problems;
  }

  private static String summary(List<String> problems) {
    if (problems.size() == 1) {
      return problems.get(0);
    }
    return problems.size() + " config problems: " + String.join("; ", problems);
  }
}
