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

/**
 * Load balancing {@code gke}: Google Cloud load balancers managed by GKE. A Service's health check
 * ({@code LoadBalancerIntent.healthCheck}) is not rendered: GKE makes the L4 load balancer's health check itself and
 * takes no Service annotation for it; {@code lb.health-check} says so.
 */
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

      /** The exposure only; a health check is not expressible on a GKE L4 Service and is left out. */
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
                "the annotation networking.gke.io/load-balancer-type: Internal makes an internal passthrough LB", null),
            Capability.of(CapabilityIds.LB_HEALTH_CHECK, CapabilityState.UNSUPPORTED,
                "GKE makes an L4 load balancer's health check itself, probing the nodes (kube-proxy, or the "
                    + "Service's healthCheckNodePort with externalTrafficPolicy: Local); no Service annotation sets "
                    + "its protocol, path or timing, so a requested health check is not rendered",
                "rely on the pods' readiness probes, which decide the endpoints that get traffic; for an HTTP health "
                    + "check of your own, route through a GKE Gateway with a HealthCheckPolicy or an Ingress with a "
                    + "BackendConfig"));
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
