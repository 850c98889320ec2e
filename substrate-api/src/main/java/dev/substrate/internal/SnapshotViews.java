package dev.substrate.internal;

import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import java.util.Set;

/**
 * Restricted views of a {@link ClusterSnapshot}: new snapshots that let a check read only the kinds it declared.
 * {@code ClusterSnapshot} alone can build one, and hands this class that ability when it is loaded.
 */
public final class SnapshotViews {
  /** Builds a restricted view; implemented by {@code ClusterSnapshot}. */
  public interface Restrictor {
    ClusterSnapshot restrict(ClusterSnapshot snapshot, Set<ResourceKind> declared, String readerId);
  }

  private static volatile Restrictor restrictor;

  private SnapshotViews() {}

  /** Called once, by {@code ClusterSnapshot}'s static initialiser. */
  public static synchronized void install(Restrictor r) {
    if (restrictor != null) {
      throw new IllegalStateException("a restrictor is already installed");
    }
    restrictor = r;
  }

  /**
   * A new snapshot with {@code snapshot}'s data for {@code declared}; reading any other kind throws
   * {@link dev.substrate.UndeclaredReadException} naming {@code readerId}.
   */
  public static ClusterSnapshot restrictedTo(ClusterSnapshot snapshot, Set<ResourceKind> declared, String readerId) {
    // snapshot exists, so ClusterSnapshot is initialised and has installed its restrictor.
    return restrictor.restrict(snapshot, declared, readerId);
  }
}
