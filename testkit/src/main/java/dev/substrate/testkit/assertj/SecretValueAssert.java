package dev.substrate.testkit.assertj;

import dev.substrate.SecretValue;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link SecretValue} whose failure messages never hold the value, expected or actual. */
public final class SecretValueAssert extends AbstractAssert<SecretValueAssert, SecretValue> {
  SecretValueAssert(SecretValue actual) {
    super(actual, SecretValueAssert.class);
  }

  /** The value is {@code expected}; on failure neither is printed. */
  public SecretValueAssert reveals(String expected) {
    isNotNull();
    if (!actual.equals(SecretValue.of(expected))) {
      failWithMessage("expected the secret value to be the one given, but it differs (neither is printed)");
    }
    return this;
  }

  /**
   * The value appears in the {@code toString} of none of {@code holders}, such as a store, an exception or a report. A
   * failure names each holder that shows it and quotes its text with the value replaced by {@code <VALUE>}.
   */
  public SecretValueAssert isNotShownBy(Object... holders) {
    isNotNull();
    String value = actual.reveal();
    List<String> leaks = new ArrayList<>();
    for (Object holder : holders) {
      String text = String.valueOf(holder);
      if (!value.isEmpty() && text.contains(value)) {
        leaks.add((holder == null ? "null" : holder.getClass().getName()) + ": " + Texts.masked(text, value));
      }
    }
    if (!leaks.isEmpty()) {
      failWithMessage("expected the secret value not to show, but the toString of %d shows it:\n  %s", leaks.size(),
          String.join("\n  ", leaks));
    }
    return this;
  }
}
