package dev.substrate;

import dev.substrate.internal.DidYouMean;
import java.util.Collection;
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

  /**
   * The problem line for {@code section.key} when {@code key} is not one of {@code known}: {@code <section>.<key> is
   * not a known key (known: ...)}, and the closest known key as a did-you-mean.
   */
  public static String unknownKey(String section, String key, Collection<String> known) {
    String hint = DidYouMean.closest(key, known).map(s -> "; did you mean '" + s + "'?").orElse("");
    return section + "." + key + " is not a known key (known: " + String.join(", ", known) + ")" + hint;
  }

  private static String summary(List<String> problems) {
    if (problems.size() == 1) {
      return problems.get(0);
    }
    return problems.size() + " config problems: " + String.join("; ", problems);
  }
}
