package dev.substrate;

import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * One fact about what a substrate gives, lacks, or needs you to do, with the reason and what to do about it.
 *
 * <pre>{@code
 * Capability.builder().id("storage.rwx").state(CapabilityState.UNSUPPORTED)
 *     .reason("volumes attach to one node").remedy("an NFS provisioner, Longhorn or LINSTOR").build();
 * }</pre>
 */
@Value.Immutable
public abstract class Capability {
  /** Stable dotted id such as {@code storage.snapshots}; see {@link CapabilityIds}. */
  public abstract String id();

  public abstract CapabilityState state();

  /** Why the state is what it is, in one sentence. */
  public abstract String reason();

  /** What a person can do about it; empty when nothing needs doing. */
  public abstract Optional<String> remedy();

  /** A count where the capability is one, e.g. the long-lived credentials a secret backend needs. */
  public abstract OptionalInt count();

  @Value.Check
  protected void check() {
    if (!CapabilityIds.isWellFormed(id())) {
      throw new IllegalArgumentException("capability id '" + id() + "' must be lowercase dotted words, e.g. gpu.mig");
    }
    if (reason().isBlank()) {
      throw new IllegalArgumentException("capability " + id() + " needs a reason");
    }
    if (state() != CapabilityState.SUPPORTED && remedy().map(String::isBlank).orElse(true)) {
      throw new IllegalArgumentException("capability " + id() + " is " + state() + " and needs a remedy");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Shorthand for a capability in the given state. */
  public static Capability of(String id, CapabilityState state, String reason, String remedy) {
    Builder b = builder().id(id).state(state).reason(reason);
    if (remedy != null && !remedy.isBlank()) {
      b.remedy(remedy);
    }
    return b.build();
  }

  public static final class Builder extends ImmutableCapability.Builder {}
}
