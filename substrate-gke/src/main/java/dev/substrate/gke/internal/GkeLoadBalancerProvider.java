package dev.substrate.gke.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.LoadBalancer;
import dev.substrate.LoadBalancerIntent;
import dev.substrate.RenderContext;
import dev.substrate.spi.Check;
import dev.substrate.spi.checks.LoadBalancerChecks;
import dev.substrate.spi.LoadBalancerProvider;
import dev.substrate.spi.ProviderContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/** Load balancing {@code gke}: Google Cloud load balancers managed by GKE. */
public final class GkeLoadBalancerProvider implements LoadBalancerProvider {
  static final String ID = "gke";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public LoadBalancer create(ProviderContext context) {
    return new LoadBalancer() {
      @Override
      public String id() {
        return ID;
      }

      @Override
      public Map<String, String> serviceAnnotations(LoadBalancerIntent intent) {
        return intent.exposure() == LoadBalancerIntent.Exposure.INTERNAL
            ? Map.of("networking.gke.io/load-balancer-type", "Internal")
            : Map.of();
      }

      @Override
      public List<Capability> capabilities() {
        return List.of(
            Capability.of(CapabilityIds.LB_PROVISIONING, CapabilityState.SUPPORTED,
                "GKE provisions a Google Cloud load balancer for every LoadBalancer Service", null),
            Capability.of(CapabilityIds.LB_INTERNAL, CapabilityState.SUPPORTED,
                "the annotation networking.gke.io/load-balancer-type: Internal makes an internal passthrough LB", null));
      }

      @Override
      public List<HasMetadata> resources(RenderContext context) {
        return List.of();
      }

      @Override
      public List<Check> checks() {
        return List.of(LoadBalancerChecks.addresses(
            "kubectl describe service <name> shows GKE's events; check quotas and the Service's annotations"));
      }
    };
  }
}
