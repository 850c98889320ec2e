package dev.substrate.testkit;

import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.internal.SnapshotViews;
import dev.substrate.internal.UndeclaredReadException;
import dev.substrate.spi.Check;
import java.util.Set;

/**
 * Runs checks in provider tests the way doctor does: on a view of the snapshot that lets a check read only the kinds
 * it declared in {@link Check#reads()}.
 *
 * <pre>{@code
 * CheckResult result = DeclaredReads.run(check, ClusterSnapshot.builder().addObjects(ResourceKind.NODES, nodes).build());
 * }</pre>
 */
public final class DeclaredReads {
  private DeclaredReads() {}

  /**
   * A new snapshot with {@code snapshot}'s data for {@code declared}; reading any other kind throws a
   * {@link dev.substrate.SubstrateException} naming {@code readerId} and the kind (see {@link #isUndeclaredRead}).
   */
  public static ClusterSnapshot restrictedTo(ClusterSnapshot snapshot, Set<ResourceKind> declared, String readerId) {
    return SnapshotViews.restrictedTo(snapshot, declared, readerId);
  }

  /**
   * Runs {@code check} on a view restricted to its {@code reads()}.
   *
   * @throws AssertionError when the check reads a kind it did not declare, or answers for another id
   */
  public static CheckResult run(Check check, ClusterSnapshot snapshot) {
    CheckResult result;
    try {
      result = check.run(restrictedTo(snapshot, check.reads(), check.id()));
    } catch (UndeclaredReadException e) {
      throw new AssertionError(e.getMessage(), e);
    }
    if (!result.id().equals(check.id())) {
      throw new AssertionError("check " + check.id() + " answered for " + result.id());
    }
    return result;
  }

  /** Whether {@code e} says a check or a detection read a kind it did not declare. */
  public static boolean isUndeclaredRead(Throwable e) {
    return e instanceof UndeclaredReadException;
  }
}
