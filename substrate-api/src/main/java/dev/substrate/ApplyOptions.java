package dev.substrate;

import java.time.Duration;
import java.util.function.Consumer;
import org.immutables.value.Value;

/** How {@link Substrate#apply} applies: server-side, as field manager {@code substrate}, optionally as a dry run. */
@Value.Immutable
public abstract class ApplyOptions {
  /** Ask the API server what would change, storing nothing ({@code dryRun=All}). */
  @Value.Default
  public boolean dryRun() {
    return false;
  }

  @Value.Default
  public String fieldManager() {
    return "substrate";
  }

  /** How the layer is rendered for apply: Argo CD Applications (the default) or Flux objects for the charts. */
  @Value.Default
  public RenderOptions rendering() {
    return RenderOptions.defaults();
  }

  /** How long to wait for a CRD to become Established before applying objects of it. */
  @Value.Default
  public Duration crdTimeout() {
    return Duration.ofSeconds(60);
  }

  /** Receives one line per applied resource, for progress output. */
  @Value.Default
  @Value.Auxiliary
  public Consumer<String> progress() {
    return line -> {};
  }

  public static ApplyOptions defaults() {
    return builder().build();
  }

  public static ApplyOptions dryRunOnly() {
    return builder().dryRun(true).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableApplyOptions.Builder {}
}
