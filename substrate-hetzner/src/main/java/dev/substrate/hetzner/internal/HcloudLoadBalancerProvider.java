package dev.substrate.hetzner.internal;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Load balancing {@code hcloud}: the hcloud cloud-controller-manager creates Hetzner Load Balancers. */
public final class HcloudLoadBalancerProvider implements LoadBalancerProvider {
  static final String ID = "hcloud";
  static final String PREFIX = "load-balancer.hetzner.cloud/";

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
        Map<String, String> annotations = new LinkedHashMap<>();
        intent.location().ifPresent(l -> annotations.put(PREFIX + "location", l));
        intent.networkZone().ifPresent(z -> annotations.put(PREFIX + "network-zone", z));
        intent.lbType().ifPresent(t -> annotations.put(PREFIX + "type", t));
        if (intent.exposure() == LoadBalancerIntent.Exposure.INTERNAL) {
          annotations.put(PREFIX + "disable-public-network", "true");
          annotations.put(PREFIX + "use-private-ip", "true");
        }
        return annotations;
      }

      @Override
      public List<Capability> capabilities() {
        return List.of(
            Capability.of(CapabilityIds.LB_PROVISIONING, CapabilityState.NEEDS_ACTION,
                "the hcloud CCM creates load balancers only when a location or network zone is known",
                "set HCLOUD_LOAD_BALANCERS_LOCATION (or _NETWORK_ZONE) on the CCM, or load_balancer.location"),
            Capability.of(CapabilityIds.LB_INTERNAL, CapabilityState.NEEDS_ACTION,
                "a private load balancer needs the cluster attached to a Hetzner network",
                "set HCLOUD_NETWORK on the CCM and load_balancer.exposure: internal"));
      }

      @Override
      public List<HasMetadata> resources(RenderContext context) {
        return List.of();
      }

      @Override
      public List<Check> checks() {
        return List.of(HcloudChecks.ccm(), HcloudChecks.defaultLocation(context.config().loadBalancer().location()),
            HcloudChecks.robotSupport(),
            LoadBalancerChecks.addresses("kubectl describe service <name> shows the hcloud CCM's events; "
            + "a missing location or network zone is the usual cause"));
      }
    };
  }
}
