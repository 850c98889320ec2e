package dev.substrate.testkit.assertj;

import static dev.substrate.testkit.assertj.CheckResultAssert.missing;
import static dev.substrate.testkit.assertj.CheckResultAssert.present;
import static dev.substrate.testkit.assertj.CheckResultAssert.quoted;

import dev.substrate.Capability;
import dev.substrate.CapabilityState;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one {@link Capability}; a failure names it and shows its state, reason and remedy. */
public final class CapabilityAssert extends AbstractAssert<CapabilityAssert, Capability> {
  CapabilityAssert(Capability actual) {
    super(actual, CapabilityAssert.class);
  }

  public CapabilityAssert hasState(CapabilityState expected) {
    isNotNull();
    if (actual.state() != expected) {
      fail("expected capability %s to be %s but it is %s", actual.id(), expected, actual.state());
    }
    return this;
  }

  public CapabilityAssert isSupported() {
    return hasState(CapabilityState.SUPPORTED);
  }

  public CapabilityAssert isUnsupported() {
    return hasState(CapabilityState.UNSUPPORTED);
  }

  public CapabilityAssert needsAction() {
    return hasState(CapabilityState.NEEDS_ACTION);
  }

  /** The reason contains every one of {@code parts}. */
  public CapabilityAssert hasReasonContaining(String... parts) {
    isNotNull();
    List<String> missing = missing(actual.reason(), parts);
    if (!missing.isEmpty()) {
      fail("expected the reason of capability %s to contain %s but it is", actual.id(), quoted(missing));
    }
    return this;
  }

  /** The reason contains none of {@code parts}. */
  public CapabilityAssert hasReasonNotContaining(String... parts) {
    isNotNull();
    List<String> present = present(actual.reason(), parts);
    if (!present.isEmpty()) {
      fail("expected the reason of capability %s not to contain %s but it is", actual.id(), quoted(present));
    }
    return this;
  }

  /** There is a remedy and it contains every one of {@code parts}. */
  public CapabilityAssert hasRemedyContaining(String... parts) {
    isNotNull();
    if (actual.remedy().isEmpty()) {
      fail("expected capability %s to have a remedy containing %s but it has none", actual.id(), quoted(List.of(parts)));
    }
    List<String> missing = missing(actual.remedy().get(), parts);
    if (!missing.isEmpty()) {
      fail("expected the remedy of capability %s to contain %s but it is", actual.id(), quoted(missing));
    }
    return this;
  }

  /** The remedy, if any, contains none of {@code parts}. */
  public CapabilityAssert hasRemedyNotContaining(String... parts) {
    isNotNull();
    List<String> present = present(actual.remedy().orElse(""), parts);
    if (!present.isEmpty()) {
      fail("expected the remedy of capability %s not to contain %s but it is", actual.id(), quoted(present));
    }
    return this;
  }

  public CapabilityAssert hasNoRemedy() {
    isNotNull();
    if (actual.remedy().isPresent()) {
      fail("expected capability %s to have no remedy but it has one", actual.id());
    }
    return this;
  }

  /** The capability carries the count {@code expected}, e.g. 0 long-lived credentials. */
  public CapabilityAssert hasCount(int expected) {
    isNotNull();
    if (actual.count().isEmpty() || actual.count().getAsInt() != expected) {
      fail("expected capability %s to carry the count %d but it carries %s", actual.id(), expected,
          actual.count().isPresent() ? String.valueOf(actual.count().getAsInt()) : "none");
    }
    return this;
  }

  private void fail(String what, Object... args) {
    failWithMessage("%s:\n  %s", String.format(what, args), Texts.line(actual));
  }
}
