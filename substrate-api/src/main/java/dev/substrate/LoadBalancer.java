package dev.substrate;

import java.util.Map;

/** How {@code LoadBalancer} Services get an address. */
public interface LoadBalancer extends Facet {
  @Override
  default FacetType type() {
    return FacetType.LOAD_BALANCER;
  }

  /**
   * The Service annotations that express {@code intent} on this substrate; empty when none are needed. What the
   * substrate cannot express through annotations is left out, and its capabilities say so (for example
   * {@link CapabilityIds#LB_HEALTH_CHECK}).
   */
  Map<String, String> serviceAnnotations(LoadBalancerIntent intent);
}
