package dev.substrate;

import java.util.List;
import org.immutables.value.Value;

/** What {@link Substrate#apply} did to each resource. */
@Value.Immutable
public abstract class ApplyResult {
  /** What happened to one resource. */
  public enum Action {
    CREATED,
    CONFIGURED,
    UNCHANGED
  }

  /** One resource's outcome. */
  @Value.Immutable
  public abstract static class Outcome {
    public abstract String kind();

    public abstract String namespace();

    public abstract String name();

    public abstract Action action();

    @Override
    public String toString() {
      String ns = namespace().isEmpty() ? "" : namespace() + "/";
      return kind().toLowerCase(java.util.Locale.ROOT) + " " + ns + name() + " " + action().name().toLowerCase(
          java.util.Locale.ROOT);
    }

    public static Outcome of(String kind, String namespace, String name, Action action) {
      return ImmutableOutcome.builder().kind(kind).namespace(namespace == null ? "" : namespace)
          .name(name).action(action).build();
    }
  }

  public abstract boolean dryRun();

  public abstract List<Outcome> outcomes();

  public long count(Action action) {
    return outcomes().stream().filter(o -> o.action() == action).count();
  }

  /** E.g. {@code 3 created, 1 configured, 7 unchanged (dry run)}. */
  public String summary() {
    return count(Action.CREATED) + " created, " + count(Action.CONFIGURED) + " configured, " + count(Action.UNCHANGED)
        + " unchanged" + (dryRun() ? " (dry run: nothing was stored)" : "");
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableApplyResult.Builder {}
}
