package dev.substrate;

import dev.substrate.internal.SnapshotViews;
import dev.substrate.spi.Check;
import java.util.Set;

/**
 * Runs a check the way doctor does: on a view of the snapshot that lets it read only the kinds it declared in
 * {@link Check#reads()}. For provider tests, and for tools that run checks outside {@link Substrate#doctor}.
 *
 * <pre>{@code
 * CheckResult result = DeclaredReads.run(check, ClusterSnapshot.builder().addObjects(ResourceKind.NODES, nodes).build());
 * }</pre>
 */
public final class DeclaredReads {
  private DeclaredReads() {}

  /**
   * A new snapshot with {@code snapshot}'s data for {@code declared}; reading any other kind throws
   * {@link UndeclaredReadException} naming {@code readerId} and the kind.
   */
  public static ClusterSnapshot restrictedTo(ClusterSnapshot snapshot, Set<ResourceKind> declared, String readerId) {
    return SnapshotViews.restrictedTo(snapshot, declared, readerId);
  }

  /**
   * Runs {@code check} on a view restricted to its {@code reads()}.
   *
   * @throws UndeclaredReadException when the check reads a kind it did not declare
   * @throws IllegalStateException when the check answers for another id
   */
  public static CheckResult run(Check check, ClusterSnapshot snapshot) {
    CheckResult result = check.run(restrictedTo(snapshot, check.reads(), check.id()));
    if (!result.id().equals(check.id())) {
      throw new IllegalStateException("check " + check.id() + " answered for " + result.id());
    }
    return result;
  }
}
