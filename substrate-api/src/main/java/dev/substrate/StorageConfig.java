package dev.substrate;

import java.util.Optional;
import org.immutables.value.Value;

/** The {@code storage:} section. */
@Value.Immutable
public abstract class StorageConfig {
  /** Overrides the substrate's storage provider id ({@code storage.provider}). */
  public abstract Optional<String> provider();

  /** The expected default StorageClass ({@code storage.default_class}). */
  public abstract Optional<String> defaultClass();

  /** Whether model weights are shared between pods and so need an RWX class ({@code storage.shared_weights}). */
  @Value.Default
  public boolean sharedWeights() {
    return false;
  }

  /** The RWX StorageClass to use for shared weights ({@code storage.rwx_class}). */
  public abstract Optional<String> rwxClass();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableStorageConfig.Builder {}
}
