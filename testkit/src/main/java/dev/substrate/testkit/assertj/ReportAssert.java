package dev.substrate.testkit.assertj;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.Report;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a doctor {@link Report}. A failure says what was expected and shows the report as doctor prints it,
 * so the actual status of every check is in the message.
 *
 * <pre>{@code
 * assertThat(report).hasNoFailures().hasWarned("substrate.nodes").hasApiRequests(8);
 * assertThat(report).hasCheck("eso.store-ready").isFail().hasRemedyContaining("substrate apply");
 * }</pre>
 */
public final class ReportAssert extends AbstractAssert<ReportAssert, Report> {
  ReportAssert(Report actual) {
    super(actual, ReportAssert.class);
  }

  /** No check failed and none warned: the report passes even {@code --fail-on warn}. */
  public ReportAssert hasPassed() {
    isNotNull();
    List<CheckResult> bad = actual.results().stream()
        .filter(r -> r.status() == CheckStatus.FAIL || r.status() == CheckStatus.WARN).toList();
    if (!bad.isEmpty()) {
      fail("expected doctor to pass but %s", describe(bad));
    }
    return this;
  }

  /** No check failed; warnings are allowed. */
  public ReportAssert hasNoFailures() {
    return hasNone(CheckStatus.FAIL);
  }

  public ReportAssert hasNoWarnings() {
    return hasNone(CheckStatus.WARN);
  }

  /** Check {@code checkId} passed. */
  public ReportAssert hasPassed(String checkId) {
    hasCheck(checkId).hasStatus(CheckStatus.PASS);
    return this;
  }

  /** Check {@code checkId} failed. */
  public ReportAssert hasFailed(String checkId) {
    hasCheck(checkId).hasStatus(CheckStatus.FAIL);
    return this;
  }

  /** Check {@code checkId} warned. */
  public ReportAssert hasWarned(String checkId) {
    hasCheck(checkId).hasStatus(CheckStatus.WARN);
    return this;
  }

  /** Check {@code checkId} was skipped. */
  public ReportAssert hasSkipped(String checkId) {
    hasCheck(checkId).hasStatus(CheckStatus.SKIP);
    return this;
  }

  /** The result of check {@code checkId}, to assert on; fails listing the checks there are when it is absent. */
  public CheckResultAssert hasCheck(String checkId) {
    isNotNull();
    Optional<CheckResult> result = actual.results().stream().filter(r -> r.id().equals(checkId)).findFirst();
    if (result.isEmpty()) {
      fail("expected a check %s but the report has none", checkId);
    }
    CheckResultAssert nested = new CheckResultAssert(result.get());
    return info.hasDescription() ? nested.describedAs(info.description()) : nested;
  }

  /** The report holds a result for each of {@code checkIds}. */
  public ReportAssert hasChecks(String... checkIds) {
    isNotNull();
    List<String> ids = ids();
    List<String> missing = Arrays.stream(checkIds).filter(id -> !ids.contains(id)).toList();
    if (!missing.isEmpty()) {
      fail("expected checks %s but the report has no %s", String.join(", ", checkIds), String.join(", ", missing));
    }
    return this;
  }

  public ReportAssert doesNotHaveCheck(String checkId) {
    isNotNull();
    if (ids().contains(checkId)) {
      fail("expected no check %s but the report has one", checkId);
    }
    return this;
  }

  /** The one-line summary, e.g. {@code 14 passed / 1 failed / 2 warnings}. */
  public ReportAssert hasSummary(String expected) {
    isNotNull();
    if (!actual.summary().equals(expected)) {
      fail("expected the summary '%s' but it is '%s'", expected, actual.summary());
    }
    return this;
  }

  /** Doctor made exactly {@code expected} requests to the Kubernetes API server. */
  public ReportAssert hasApiRequests(int expected) {
    isNotNull();
    if (actual.apiRequests() != expected) {
      fail("expected doctor to make %d Kubernetes API requests but it made %d", expected, actual.apiRequests());
    }
    return this;
  }

  /** Doctor made exactly {@code expected} requests to the API named {@code api} outside the cluster, e.g. hcloud. */
  public ReportAssert hasApiRequests(String api, int expected) {
    isNotNull();
    int made = actual.otherApiRequests().getOrDefault(api, 0);
    if (made != expected) {
      fail("expected doctor to make %d %s API requests but it made %d", expected, api, made);
    }
    return this;
  }

  /** Doctor wrote nothing to the cluster. */
  public ReportAssert hasNoApiWrites() {
    isNotNull();
    if (!actual.apiWrites().isEmpty()) {
      fail("expected doctor to write nothing but it made %d writes: %s", actual.apiWrites().size(),
          String.join("; ", actual.apiWrites()));
    }
    return this;
  }

  private ReportAssert hasNone(CheckStatus status) {
    isNotNull();
    List<CheckResult> bad = actual.results().stream().filter(r -> r.status() == status).toList();
    if (!bad.isEmpty()) {
      fail("expected no check to %s but %s", status == CheckStatus.FAIL ? "fail" : "warn", describe(bad));
    }
    return this;
  }

  private static String describe(List<CheckResult> results) {
    return results.size() == 1 ? "1 did: " + results.get(0).id()
        : results.size() + " did: " + results.stream().map(CheckResult::id).collect(Collectors.joining(", "));
  }

  private List<String> ids() {
    return actual.results().stream().map(CheckResult::id).toList();
  }

  /** Fails with {@code what}, followed by the report as doctor prints it. */
  private void fail(String what, Object... args) {
    failWithMessage("%s; the report:\n%s", String.format(what, args), actual.toText().stripTrailing());
  }
}
