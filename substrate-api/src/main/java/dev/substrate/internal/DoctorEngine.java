package dev.substrate.internal;

import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.Report;
import dev.substrate.ResourceKind;
import dev.substrate.UndeclaredReadException;
import dev.substrate.spi.Check;
import dev.substrate.spi.DoctorContext;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs checks against one snapshot; a kind that could not be read becomes a finding of the checks that need it: a
 * warning when the caller may not list it, a failure when the server failed (5xx, timeout, broken connection), as
 * such a check cannot vouch for anything.
 */
public final class DoctorEngine {
  private DoctorEngine() {}

  /** The union of every kind the checks read, each once. */
  public static Set<ResourceKind> reads(Collection<Check> checks) {
    Set<ResourceKind> kinds = new TreeSet<>();
    checks.forEach(c -> kinds.addAll(c.reads()));
    return kinds;
  }

  public static Report run(String substrateId, List<Check> checks, ClusterSnapshot snapshot, DoctorContext context) {
    Report.Builder report = Report.builder().substrateId(substrateId).source(snapshot.source());
    for (Check check : checks) {
      report.addResults(runOne(check, snapshot, context));
    }
    return report.apiRequests(snapshot.apiRequests() + context.clusterRequests())
        .addAllApiWrites(context.clusterWrites())
        .putAllOtherApiRequests(context.requests()).build();
  }

  private static CheckResult runOne(Check check, ClusterSnapshot snapshot, DoctorContext context) {
    for (ResourceKind kind : new TreeSet<>(check.reads())) {
      ClusterSnapshot.ReadState state = snapshot.state(kind);
      String problem = snapshot.problem(kind).orElse(kind.qualifiedName() + " was not read");
      switch (state) {
        case FORBIDDEN:
          return CheckResult.warn(check.id(), "could not check: " + problem,
              "let the caller list " + kind.qualifiedName() + " (kubectl auth can-i list " + kind.qualifiedName() + ")");
        case FAILED:
          // readyz?verbose: https://kubernetes.io/docs/reference/using-api/health-checks/
          return CheckResult.fail(check.id(), "could not check: " + problem, "retry; if it persists, check the API "
              + "server's health (kubectl get --raw='/readyz?verbose') and its logs");
        case NOT_CAPTURED:
          return CheckResult.skip(check.id(), "not checked: " + problem);
        default:
          break;
      }
    }
    try {
      CheckResult result = check.run(SnapshotViews.restrictedTo(snapshot, check.reads(), check.id()), context);
      if (!result.id().equals(check.id())) {
        return CheckResult.fail(check.id(), "check returned a result for '" + result.id() + "'",
            "report this bug to the provider's authors");
      }
      return result;
    } catch (UndeclaredReadException e) {
      return CheckResult.fail(check.id(), e.getMessage(), "report this bug to the provider's authors");
    } catch (RuntimeException e) {
      return CheckResult.fail(check.id(), "check crashed: " + e, "report this bug to the provider's authors");
    }
  }
}
