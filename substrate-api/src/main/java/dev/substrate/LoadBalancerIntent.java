package dev.substrate;

import java.util.Optional;
import org.immutables.value.Value;

/** What a Service wants from a load balancer, independent of the substrate. */
@Value.Immutable
public abstract class LoadBalancerIntent {
  /** Who can reach the address. */
  public enum Exposure {
    PUBLIC,
    INTERNAL
  }

  @Value.Default
  public Exposure exposure() {
    return Exposure.PUBLIC;
  }

  /** A location such as {@code fsn1}, where the substrate has locations. */
  public abstract Optional<String> location();

  /** A network zone such as {@code eu-central}, where the substrate has zones. */
  public abstract Optional<String> networkZone();

  /** A load balancer type such as {@code lb11}, where the substrate has types. */
  public abstract Optional<String> lbType();

  public static Builder builder() {
    return new Builder();
  }

  public static LoadBalancerIntent of(Exposure exposure) {
    return builder().exposure(exposure).build();
  }

  public static final class Builder extends ImmutableLoadBalancerIntent.Builder {}
}
