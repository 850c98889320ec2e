package dev.substrate;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** The provider, capability and rendered-resource differences between two substrates, from {@link Portability#diff}. */
@Value.Immutable
public abstract class PortabilityDiff {
  /** How a rendered resource differs. */
  public enum Change {
    ADDED("+"),
    REMOVED("-"),
    CHANGED("~");

    private final String sign;

    Change(String sign) {
      this.sign = sign;
    }

    public String sign() {
      return sign;
    }
  }

  /** A facet whose provider differs ({@code gpu_stack: gke-managed → operator}), or the secret store's auth. */
  @Value.Immutable
  public abstract static class ProviderChange {
    /** The config key: {@code gpu_stack}, {@code storage}, {@code load_balancer}, {@code secret_backend} or
     * {@code secret_store_auth}. */
    public abstract String key();

    /** The id before; {@code (none)} when unset. */
    public abstract String before();

    public abstract String after();

    public static ProviderChange of(String key, String before, String after) {
      return ImmutableProviderChange.builder().key(key).before(before).after(after).build();
    }
  }

  /** A capability whose state, reason or count differs, or that only one side has. */
  @Value.Immutable
  public abstract static class CapabilityChange {
    public abstract String id();

    public abstract Optional<Capability> before();

    public abstract Optional<Capability> after();

    public static CapabilityChange of(String id, Optional<Capability> from, Optional<Capability> to) {
      return ImmutableCapabilityChange.builder().id(id).before(from).after(to).build();
    }
  }

  /** A rendered resource, named {@code kind namespace/name}, that only one side has or that differs. */
  @Value.Immutable
  public abstract static class ResourceChange {
    public abstract String resource();

    public abstract Change change();

    public static ResourceChange of(String resource, Change change) {
      return ImmutableResourceChange.builder().resource(resource).change(change).build();
    }
  }

  /** The substrate compared from. */
  public abstract String fromSubstrate();

  /** The substrate compared to. */
  public abstract String toSubstrate();

  /** Facets whose provider differs, in facet order, then the secret store's auth if it differs. */
  public abstract List<ProviderChange> providers();

  public abstract List<CapabilityChange> capabilities();

  public abstract List<ResourceChange> resources();

  public boolean isEmpty() {
    return providers().isEmpty() && capabilities().isEmpty() && resources().isEmpty();
  }

  /**
   * A readable listing: the providers that differ, each changed capability with both states and the new reason,
   * then resources (+, -, ~).
   */
  public String toText() {
    String nl = System.lineSeparator();
    StringBuilder b = new StringBuilder("providers (" + fromSubstrate() + " → " + toSubstrate() + "):" + nl);
    if (providers().isEmpty()) {
      b.append("  (no differences)").append(nl);
    }
    int keyWidth = providers().stream().mapToInt(p -> p.key().length()).max().orElse(0);
    for (ProviderChange p : providers()) {
      b.append(String.format("  %-" + keyWidth + "s  %s → %s%n", p.key(), p.before(), p.after()));
    }
    b.append("capabilities (" + fromSubstrate() + " → " + toSubstrate() + "):" + nl);
    if (capabilities().isEmpty()) {
      b.append("  (no differences)").append(nl);
    }
    int width = capabilities().stream().mapToInt(c -> c.id().length()).max().orElse(0);
    for (CapabilityChange c : capabilities()) {
      String states = c.before().map(x -> x.state().name()).orElse("(none)") + " → "
          + c.after().map(x -> x.state().name()).orElse("(none)");
      b.append(String.format("  %-" + width + "s  %-29s  %s%n", c.id(), states,
          c.after().map(Capability::reason).orElse("")));
    }
    b.append("resources:").append(nl);
    if (resources().isEmpty()) {
      b.append("  (no differences)").append(nl);
    }
    for (ResourceChange r : resources()) {
      b.append("  ").append(r.change().sign()).append(' ').append(r.resource()).append(nl);
    }
    return b.toString();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutablePortabilityDiff.Builder {}
}
