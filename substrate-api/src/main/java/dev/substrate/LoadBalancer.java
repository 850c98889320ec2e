package dev.substrate;

import java.util.Map;

/** How {@code LoadBalancer} Services get an address. */
public interface LoadBalancer extends Facet {
  @Override
  default FacetType type() {
    return FacetType.LOAD_BALANCER;
  }

  /** The Service annotations that express {@code intent} on this substrate; empty when none are needed. */
  Map<String, String> serviceAnnotations(LoadBalancerIntent intent);
}
