package dev.substrate;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The GPU nodes of one node pool and their {@link GpuResource}s. Pools are told apart by the substrate's pool label
 * ({@code cloud.google.com/gke-nodepool} on GKE, Karpenter's, EKS's and AKS's where present), else by
 * {@code node.kubernetes.io/instance-type} (Hetzner's Robot servers carry no pool label: a GEX44 pool, a GEX130 pool).
 */
@Value.Immutable
public abstract class GpuPool {
  /** Whether the pool can grow beyond the nodes it has now. */
  public enum Growth {
    /** An autoscaler adds nodes on demand (and may remove them all). */
    AUTOSCALED,
    /** The nodes are what they are, such as bare-metal servers. */
    FIXED,
    /** The substrate cannot tell: it depends on the node provisioner. */
    UNKNOWN
  }

  /** The pool's name: the value of {@link #groupedBy()} on its nodes. */
  public abstract String name();

  /** The node label the pool is named by, e.g. {@code cloud.google.com/gke-nodepool}. */
  public abstract String groupedBy();

  /** The pool's GPU nodes. */
  public abstract int nodes();

  public abstract Growth growth();

  /** Why, from the substrate's {@code gpu.scale-to-zero} capability. */
  public abstract String growthReason();

  /** The most nodes an autoscaler may give the pool, when known ({@link GpuCapacity#withMaxNodes}). */
  public abstract Optional<Integer> maxNodes();

  public abstract List<GpuResource> resources();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableGpuPool.Builder {}
}
