package dev.substrate;

import java.util.Optional;
import org.immutables.value.Value;

/** The result of one doctor check: its id, status, a one-line finding and, unless it passed, a remedy. */
@Value.Immutable
public abstract class CheckResult {
  /** Stable dotted id such as {@code storage.default-class}. */
  public abstract String id();

  public abstract CheckStatus status();

  /** What the check found, in one line. */
  public abstract String finding();

  /** What a person can do about it. */
  public abstract Optional<String> remedy();

  public static Builder builder() {
    return new Builder();
  }

  public static CheckResult pass(String id, String finding) {
    return builder().id(id).status(CheckStatus.PASS).finding(finding).build();
  }

  public static CheckResult warn(String id, String finding, String remedy) {
    return builder().id(id).status(CheckStatus.WARN).finding(finding).remedy(remedy).build();
  }

  public static CheckResult fail(String id, String finding, String remedy) {
    return builder().id(id).status(CheckStatus.FAIL).finding(finding).remedy(remedy).build();
  }

  public static CheckResult skip(String id, String finding) {
    return builder().id(id).status(CheckStatus.SKIP).finding(finding).build();
  }

  public static final class Builder extends ImmutableCheckResult.Builder {}
}
