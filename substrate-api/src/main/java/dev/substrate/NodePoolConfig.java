package dev.substrate;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * A node pool that runs on another substrate than the cluster's ({@code substrate.pools.<name>}): its nodes are the
 * ones that substrate recognises, and it may choose its own GPU stack and storage.
 *
 * <pre>{@code
 * substrate:
 *   id: hetzner                 # the cluster's substrate: control plane, load balancer, secrets
 *   pools:
 *     home: {substrate: proxmox, storage: proxmox-csi}
 * }</pre>
 */
@Value.Immutable
public abstract class NodePoolConfig {
  /** The pool's substrate id ({@code substrate.pools.<name>.substrate}). */
  public abstract String substrate();

  /** The pool's GPU stack; else the top-level {@code gpu_stack}; else its substrate's default. */
  public abstract Optional<String> gpuStack();

  /** The pool's storage provider; else its substrate's default. */
  public abstract Optional<String> storage();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableNodePoolConfig.Builder {}
}
