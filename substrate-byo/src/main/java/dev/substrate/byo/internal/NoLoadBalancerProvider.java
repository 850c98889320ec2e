package dev.substrate.byo.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.LoadBalancer;
import dev.substrate.LoadBalancerIntent;
import dev.substrate.RenderContext;
import dev.substrate.spi.checks.LoadBalancerChecks;
import dev.substrate.spi.Check;
import dev.substrate.spi.LoadBalancerProvider;
import dev.substrate.spi.ProviderContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/** Load balancing {@code none}: nothing gives {@code LoadBalancer} Services an address. */
public final class NoLoadBalancerProvider implements LoadBalancerProvider {
  public static final String ID = "none";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public LoadBalancer create(ProviderContext context) {
    return new None();
  }

  private static final class None implements LoadBalancer {
    @Override
    public String id() {
      return ID;
    }

    @Override
    public Map<String, String> serviceAnnotations(LoadBalancerIntent intent) {
      return Map.of();
    }

    @Override
    public List<Capability> capabilities() {
      String remedy = "set load_balancer.provider: metallb with load_balancer.addresses, or use a cloud load balancer;"
          + " meanwhile expose Services as NodePort or through an Ingress controller on hostNetwork";
      return List.of(
          Capability.of(CapabilityIds.LB_PROVISIONING, CapabilityState.UNSUPPORTED,
              "no load balancer provider is configured, so LoadBalancer Services stay pending", remedy),
          Capability.of(CapabilityIds.LB_INTERNAL, CapabilityState.UNSUPPORTED,
              "no load balancer provider is configured, so there are no internal load balancers either", remedy),
          Capability.of(CapabilityIds.LB_HEALTH_CHECK, CapabilityState.UNSUPPORTED,
              "no load balancer provider is configured, so there is no load balancer to probe targets", remedy));
    }

    @Override
    public List<HasMetadata> resources(RenderContext context) {
      return List.of();
    }

    @Override
    public List<Check> checks() {
      return List.of(LoadBalancerChecks.addressesWithoutProvider());
    }
  }
}
