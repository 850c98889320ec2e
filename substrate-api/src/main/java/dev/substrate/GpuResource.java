package dev.substrate;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * One GPU resource of a node pool: an extended resource ({@code nvidia.com/gpu}, {@code nvidia.com/gpu.shared} or a
 * MIG slice {@code nvidia.com/mig-<profile>}) of one product, with what the pool's nodes can allocate, what running
 * pods request, and what is free.
 *
 * <pre>{@code
 * GpuResource l4 = capacity.pools().get(0).resources().get(0);
 * l4.resource();   // nvidia.com/gpu
 * l4.free();       // allocatable minus requested, never below 0
 * }</pre>
 */
@Value.Immutable
public abstract class GpuResource {
  /** The extended resource pods request, e.g. {@code nvidia.com/mig-1g.18gb}. */
  public abstract String resource();

  /**
   * The product as the nodes name it: GPU feature discovery's {@code nvidia.com/gpu.product} (for a MIG slice of the
   * mixed strategy its own {@code <resource>.product}), else GKE's {@code cloud.google.com/gke-accelerator}, else
   * {@code unknown}.
   */
  public abstract String product();

  /** The GPU catalog's name of the product, e.g. {@code L4}, when the catalog knows it. */
  public abstract Optional<String> model();

  /** The MIG profile of a slice, e.g. {@code 1g.18gb}; empty for a whole GPU. */
  public abstract Optional<String> migProfile();

  /** How a device is shared: {@code none}, {@code time-slicing} or {@code mps}. */
  @Value.Default
  public String sharing() {
    return "none";
  }

  /** How many pods share one device (GFD's {@code <resource>.replicas}); 1 when not shared. */
  @Value.Default
  public int replicas() {
    return 1;
  }

  /** The nodes that advertise this resource. */
  public abstract int nodes();

  /** Physical GPUs or MIG slices: {@link #allocatable()} divided by {@link #replicas()}. */
  public long devices() {
    return allocatable() / Math.max(1, replicas());
  }

  /** The nodes' {@code status.allocatable} of the resource, summed. */
  public abstract long allocatable();

  /** What pods bound to those nodes and not finished ({@code Succeeded}/{@code Failed}) request, summed. */
  public abstract long requested();

  /** {@link #allocatable()} minus {@link #requested()}, never below 0. */
  public long free() {
    return Math.max(0, allocatable() - requested());
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableGpuResource.Builder {}
}
