package dev.substrate;

/**
 * A group of a cluster's nodes that run on one substrate, with the facets chosen for it. A cluster on one substrate
 * has one pool, named by its id; {@code substrate.pools} adds the others ({@link Substrate#pools()}).
 */
public final class NodePool {
  private final String name;
  private final Substrate substrate;
  private final boolean main;

  NodePool(String name, Substrate substrate, boolean main) {
    this.name = name;
    this.substrate = substrate;
    this.main = main;
  }

  /** The pool's name: the key under {@code substrate.pools}, or the cluster substrate's id for its own nodes. */
  public String name() {
    return name;
  }

  /** The pool's substrate and facets; its load balancer and secret backend are the cluster's. */
  public Substrate substrate() {
    return substrate;
  }

  /** Whether these are the nodes of the cluster's own substrate ({@code substrate.id}). */
  public boolean main() {
    return main;
  }

  @Override
  public String toString() {
    return name.equals(substrate.id()) ? name : name + " (" + substrate.id() + ")";
  }
}
