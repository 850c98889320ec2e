package dev.substrate.spi;

import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import java.util.Optional;

/**
 * A named preset ({@code gke}, {@code hetzner}, {@code byo}) that chooses a provider for each facet and recognises
 * its clusters.
 */
public interface SubstrateProvider extends Provider {
  /** The facet providers this substrate uses unless config overrides them. */
  SubstrateDefaults defaults();

  /**
   * How well the cluster's nodes match this substrate; empty when they do not. Reads only
   * {@link ResourceKind#NODES}.
   */
  Optional<Detection> detect(ClusterSnapshot nodes);
}
