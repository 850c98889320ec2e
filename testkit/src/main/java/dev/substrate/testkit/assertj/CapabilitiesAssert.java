package dev.substrate.testkit.assertj;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a list of capabilities, a facet's or a substrate's. A failure lists every capability with its state,
 * reason and remedy.
 */
public final class CapabilitiesAssert extends AbstractAssert<CapabilitiesAssert, Collection<? extends Capability>> {
  private final String owner;

  CapabilitiesAssert(Collection<? extends Capability> actual, String owner) {
    super(actual, CapabilitiesAssert.class);
    this.owner = owner == null ? "" : " of " + owner;
  }

  /** The capability {@code id}, to assert on; fails listing the capabilities there are when it is absent. */
  public CapabilityAssert hasCapability(String id) {
    isNotNull();
    Optional<? extends Capability> found = actual.stream().filter(c -> c.id().equals(id)).findFirst();
    if (found.isEmpty()) {
      fail("expected a capability %s%s but there is none", id, owner);
    }
    CapabilityAssert nested = new CapabilityAssert(found.get());
    return info.hasDescription() ? nested.describedAs(info.description()) : nested;
  }

  /** Every one of {@code ids} is among the capabilities. */
  public CapabilitiesAssert hasCapabilities(String... ids) {
    isNotNull();
    Set<String> present = ids();
    List<String> missing = Arrays.stream(ids).filter(id -> !present.contains(id)).toList();
    if (!missing.isEmpty()) {
      fail("expected capabilities %s%s but there is no %s", String.join(", ", ids), owner, String.join(", ", missing));
    }
    return this;
  }

  public CapabilitiesAssert doesNotHaveCapability(String id) {
    isNotNull();
    if (ids().contains(id)) {
      fail("expected no capability %s%s but there is one", id, owner);
    }
    return this;
  }

  /**
   * Each capability has a well-formed id, a state, a reason and, unless it is {@code SUPPORTED}, a remedy: what the
   * compatibility kits ask of every provider. A failure lists every capability that falls short.
   */
  public CapabilitiesAssert areWellFormed() {
    isNotNull();
    List<String> problems = new ArrayList<>();
    for (Capability c : actual) {
      String name = "capability " + c.id() + owner;
      if (c.id() == null || !CapabilityIds.isWellFormed(c.id())) {
        problems.add("capability id '" + c.id() + "'" + owner + " must be lowercase dotted words such as storage.rwx");
      }
      if (c.state() == null) {
        problems.add(name + " has no state");
      }
      if (c.reason() == null || c.reason().isBlank()) {
        problems.add(name + " has no reason");
      }
      if (c.state() != null && c.state() != CapabilityState.SUPPORTED
          && (c.remedy() == null || c.remedy().filter(r -> !r.isBlank()).isEmpty())) {
        problems.add(name + " is " + c.state() + " but has no remedy: say what a person can do about it");
      }
    }
    if (!problems.isEmpty()) {
      failWithMessage("%s", String.join("\n", problems));
    }
    return this;
  }

  /** No id is declared twice. */
  public CapabilitiesAssert hasNoDuplicateIds() {
    isNotNull();
    Set<String> seen = new HashSet<>();
    Set<String> twice = new LinkedHashSet<>();
    actual.forEach(c -> {
      if (!seen.add(c.id())) {
        twice.add(c.id());
      }
    });
    if (!twice.isEmpty()) {
      fail("capability %s is declared more than once%s", String.join(", ", twice), owner);
    }
    return this;
  }

  private Set<String> ids() {
    Set<String> ids = new LinkedHashSet<>();
    actual.forEach(c -> ids.add(c.id()));
    return ids;
  }

  private void fail(String what, Object... args) {
    failWithMessage("%s; the capabilities:\n%s", String.format(what, args), Texts.lines(actual));
  }
}
