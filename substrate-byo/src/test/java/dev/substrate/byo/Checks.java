package dev.substrate.byo;

import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.spi.Check;

/** Runs a check the way the doctor engine does: on a view that only lets it read what it declared. */
final class Checks {
  private Checks() {}

  static CheckResult run(Check check, ClusterSnapshot snapshot) {
    CheckResult result = check.run(snapshot.restrictedTo(check.reads(), check.id()));
    if (!result.id().equals(check.id())) {
      throw new AssertionError("check " + check.id() + " answered for " + result.id());
    }
    return result;
  }
}
