package dev.substrate.testkit.kit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.substrate.CapabilityIds;
import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.DeclaredReads;
import dev.substrate.ResourceKind;
import dev.substrate.UndeclaredReadException;
import dev.substrate.spi.Check;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The promises the kits share, as assertions whose messages say what is wrong. */
final class KitAssertions {
  private KitAssertions() {}

  static void assertCheckIds(List<Check> checks, String who) {
    Set<String> seen = new HashSet<>();
    for (Check check : checks) {
      assertTrue(check.id() != null && CapabilityIds.isWellFormed(check.id()), "check id '" + check.id() + "' of "
          + who + " must be lowercase dotted words such as storage.default-class");
      assertTrue(seen.add(check.id()), "check " + check.id() + " is declared twice by " + who);
      assertNotNull(check.reads(), "check " + check.id() + " of " + who + " declares null reads()");
    }
  }

  /** Runs each check against an empty snapshot of exactly its declared kinds, restricted to them. */
  static void assertChecksReadOnlyWhatTheyDeclare(List<Check> checks, String who) {
    for (Check check : checks) {
      ClusterSnapshot.Builder builder = ClusterSnapshot.builder().source("compatibility-kit");
      for (ResourceKind kind : check.reads()) {
        builder.add(kind, List.of());
      }
      ClusterSnapshot snapshot = DeclaredReads.restrictedTo(builder.build(), check.reads(), check.id());
      CheckResult result = null;
      try {
        result = check.run(snapshot);
      } catch (RuntimeException e) {
        if (e instanceof UndeclaredReadException) {
          fail("check " + check.id() + " of " + who + " reads a kind it does not declare: " + e.getMessage(), e);
        }
        fail("check " + check.id() + " of " + who + " throws on an empty cluster instead of reporting: " + e, e);
      }
      assertNotNull(result, "check " + check.id() + " of " + who + " returns no result");
    }
  }
}
