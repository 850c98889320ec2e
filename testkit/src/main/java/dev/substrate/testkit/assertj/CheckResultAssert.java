package dev.substrate.testkit.assertj;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one doctor {@link CheckResult}; a failure names the check and shows its status, finding and remedy. */
public final class CheckResultAssert extends AbstractAssert<CheckResultAssert, CheckResult> {
  CheckResultAssert(CheckResult actual) {
    super(actual, CheckResultAssert.class);
  }

  public CheckResultAssert hasStatus(CheckStatus expected) {
    isNotNull();
    if (actual.status() != expected) {
      fail("expected check %s to be %s but it is %s", actual.id(), expected, actual.status());
    }
    return this;
  }

  public CheckResultAssert isPass() {
    return hasStatus(CheckStatus.PASS);
  }

  public CheckResultAssert isWarn() {
    return hasStatus(CheckStatus.WARN);
  }

  public CheckResultAssert isFail() {
    return hasStatus(CheckStatus.FAIL);
  }

  public CheckResultAssert isSkip() {
    return hasStatus(CheckStatus.SKIP);
  }

  public CheckResultAssert hasFinding(String expected) {
    isNotNull();
    if (!actual.finding().equals(expected)) {
      fail("expected the finding of check %s to be\n  %s\nbut it is", actual.id(), expected);
    }
    return this;
  }

  public CheckResultAssert hasFindingStartingWith(String prefix) {
    isNotNull();
    if (!actual.finding().startsWith(prefix)) {
      fail("expected the finding of check %s to start with\n  %s\nbut it is", actual.id(), prefix);
    }
    return this;
  }

  /** The finding contains every one of {@code parts}. */
  public CheckResultAssert hasFindingContaining(String... parts) {
    isNotNull();
    List<String> missing = missing(actual.finding(), parts);
    if (!missing.isEmpty()) {
      fail("expected the finding of check %s to contain %s but it is", actual.id(), quoted(missing));
    }
    return this;
  }

  /** The finding contains none of {@code parts}. */
  public CheckResultAssert hasFindingNotContaining(String... parts) {
    isNotNull();
    List<String> present = present(actual.finding(), parts);
    if (!present.isEmpty()) {
      fail("expected the finding of check %s not to contain %s but it is", actual.id(), quoted(present));
    }
    return this;
  }

  public CheckResultAssert hasRemedy(String expected) {
    isNotNull();
    if (!actual.remedy().map(expected::equals).orElse(false)) {
      fail("expected the remedy of check %s to be\n  %s\nbut it is", actual.id(), expected);
    }
    return this;
  }

  /** There is a remedy and it contains every one of {@code parts}. */
  public CheckResultAssert hasRemedyContaining(String... parts) {
    isNotNull();
    if (actual.remedy().isEmpty()) {
      fail("expected check %s to have a remedy containing %s but it has none", actual.id(), quoted(List.of(parts)));
    }
    List<String> missing = missing(actual.remedy().get(), parts);
    if (!missing.isEmpty()) {
      fail("expected the remedy of check %s to contain %s but it is", actual.id(), quoted(missing));
    }
    return this;
  }

  public CheckResultAssert hasNoRemedy() {
    isNotNull();
    if (actual.remedy().isPresent()) {
      fail("expected check %s to have no remedy but it has one", actual.id());
    }
    return this;
  }

  /** Fails with {@code what}, followed by the result as doctor prints it. */
  private void fail(String what, Object... args) {
    failWithMessage("%s:\n  %s", String.format(what, args), Texts.line(actual));
  }

  static List<String> missing(String text, String... parts) {
    return Arrays.stream(parts).filter(p -> !text.contains(p)).toList();
  }

  static List<String> present(String text, String... parts) {
    return Arrays.stream(parts).filter(text::contains).toList();
  }

  static String quoted(List<String> parts) {
    return String.join(", ", parts.stream().map(p -> "\"" + p + "\"").toList());
  }
}
