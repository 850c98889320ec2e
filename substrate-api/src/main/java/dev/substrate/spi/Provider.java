package dev.substrate.spi;

import java.util.Set;

/** What every provider has: a stable id, found through {@link java.util.ServiceLoader}. */
public interface Provider {
  /** Stable, lowercase, hyphenated id such as {@code hcloud-volumes}; never changes between releases. */
  String id();

  /** Other ids that select this provider, e.g. {@code gcpsm} for {@code gcp-secret-manager}. */
  default Set<String> aliases() {
    return Set.of();
  }
}
