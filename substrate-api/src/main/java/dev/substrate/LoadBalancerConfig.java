package dev.substrate;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** The {@code load_balancer:} section. */
@Value.Immutable
public abstract class LoadBalancerConfig {
  /** Overrides the substrate's load-balancer provider id ({@code load_balancer.provider}). */
  public abstract Optional<String> provider();

  @Value.Default
  public LoadBalancerIntent.Exposure exposure() {
    return LoadBalancerIntent.Exposure.PUBLIC;
  }

  /** Address ranges for MetalLB, e.g. {@code 192.0.2.10-192.0.2.20} or a CIDR ({@code load_balancer.addresses}). */
  public abstract List<String> addresses();

  public abstract Optional<String> location();

  public abstract Optional<String> networkZone();

  public abstract Optional<String> lbType();

  /** How targets are probed ({@code load_balancer.health_check}). */
  public abstract Optional<LoadBalancerIntent.HealthCheck> healthCheck();

  /** The portable intent these settings describe. */
  public LoadBalancerIntent intent() {
    return LoadBalancerIntent.builder().exposure(exposure()).location(location()).networkZone(networkZone())
        .lbType(lbType()).healthCheck(healthCheck()).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableLoadBalancerConfig.Builder {}
}
