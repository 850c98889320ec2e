package dev.substrate.spi;

import dev.substrate.Capability;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.spi.gpu.GpuCatalog;
import java.util.List;
import java.util.Optional;

/**
 * A named preset ({@code gke}, {@code hetzner}, {@code byo}) that chooses a provider for each facet and recognises
 * its clusters. It may also state what is true of its machines and network whichever facets config chose, such as
 * GPU servers that never scale to zero: {@link #capabilities(ProviderContext)} and {@link #checks(ProviderContext)}.
 */
public interface SubstrateProvider extends Provider {
  /** The facet providers this substrate uses unless config overrides them. */
  SubstrateDefaults defaults();

  /**
   * How well the cluster's nodes match this substrate; empty when they do not. Reads only
   * {@link ResourceKind#NODES}.
   */
  Optional<Detection> detect(ClusterSnapshot nodes);

  /**
   * Facts about this substrate's machines and network, for the facets chosen in {@code context} (its config names
   * every chosen provider id). A capability with the id of a facet's capability replaces that one wherever the
   * substrate lists capabilities; one no facet declares is listed after the facets'. None by default.
   */
  default List<Capability> capabilities(ProviderContext context) {
    return List.of();
  }

  /** Doctor checks of what is true of this substrate whichever facets were chosen; run before the facets'. */
  default List<Check> checks(ProviderContext context) {
    return List.of();
  }

  /**
   * The GPUs this substrate's nodes may carry, with what it sells them as (a server type, a GKE accelerator id) so
   * that a node without GPU feature discovery's labels is still known by its {@code node.kubernetes.io/instance-type}
   * or {@code cloud.google.com/gke-accelerator}. Every substrate's doctor sizes {@code gpu.tenancy} against it
   * ({@link dev.substrate.spi.checks.GpuTenancyChecks}). The shipped models, with no offerings, by default.
   */
  default GpuCatalog gpuCatalog() {
    return GpuCatalog.shipped();
  }
}
