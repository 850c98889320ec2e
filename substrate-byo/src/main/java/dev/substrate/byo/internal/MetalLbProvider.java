package dev.substrate.byo.internal;

import dev.substrate.spi.Resources;
import static dev.substrate.spi.Resources.map;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ConfigException;
import dev.substrate.LoadBalancer;
import dev.substrate.LoadBalancerIntent;
import dev.substrate.RenderContext;
import dev.substrate.ResourceKind;
import dev.substrate.spi.checks.LoadBalancerChecks;
import dev.substrate.spi.Check;
import dev.substrate.spi.LoadBalancerProvider;
import dev.substrate.spi.ProviderContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Load balancing {@code metallb}: MetalLB assigns addresses from one pool in L2 mode. MetalLB probes no backends, so a
 * Service's health check ({@code LoadBalancerIntent.healthCheck}) is not rendered; {@code lb.health-check} says so.
 */
public final class MetalLbProvider implements LoadBalancerProvider {
  public static final String ID = "metallb";
  static final String NAMESPACE = "metallb-system";
  static final String POOL = "substrate-pool";
  static final String API_VERSION = "metallb.io/v1beta1";
  static final String POOL_ANNOTATION = "metallb.io/address-pool";
  static final String INSTALLED_CHECK = "lb.metallb.installed";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public LoadBalancer create(ProviderContext context) {
    List<String> addresses = context.config().loadBalancer().addresses();
    if (addresses.isEmpty()) {
      throw new ConfigException(
          "load_balancer.addresses was '' but must list at least one range for load_balancer provider metallb");
    }
    return new MetalLb(List.copyOf(addresses));
  }

  private static final class MetalLb implements LoadBalancer {
    private final List<String> addresses;

    MetalLb(List<String> addresses) {
      this.addresses = addresses;
    }

    @Override
    public String id() {
      return ID;
    }

    /** None: the one pool auto-assigns, whatever the intent, and there is no health check to set. */
    @Override
    public Map<String, String> serviceAnnotations(LoadBalancerIntent intent) {
      return Map.of();
    }

    @Override
    public List<Capability> capabilities() {
      return List.of(
          Capability.of(CapabilityIds.LB_PROVISIONING, CapabilityState.SUPPORTED,
              "MetalLB assigns LoadBalancer addresses from the pool " + POOL + " (" + String.join(", ", addresses)
                  + ")", null),
          Capability.of(CapabilityIds.LB_INTERNAL, CapabilityState.NEEDS_ACTION,
              "MetalLB hands out whatever addresses the pool holds, so a Service is internal only if those addresses "
                  + "are private",
              "list private ranges in load_balancer.addresses for internal Services, or add a second pool and select "
                  + "it with the " + POOL_ANNOTATION + " annotation"),
          Capability.of(CapabilityIds.LB_HEALTH_CHECK, CapabilityState.UNSUPPORTED,
              "MetalLB only announces addresses and probes no backends: kube-proxy forwards to the Service's ready "
                  + "endpoints, so a requested health check is not rendered",
              "give the pods readiness probes; they decide which endpoints get traffic"));
    }

    @Override
    public List<HasMetadata> resources(RenderContext context) {
      return List.of(
          Resources.custom(API_VERSION, "IPAddressPool", NAMESPACE, POOL, map("addresses", addresses)),
          Resources.custom(API_VERSION, "L2Advertisement", NAMESPACE, POOL, map("ipAddressPools", List.of(POOL))));
    }

    @Override
    public List<Check> checks() {
      return List.of(installed(), LoadBalancerChecks.addresses("check that the pool " + POOL + " has free addresses "
          + "and that MetalLB's speaker runs on the nodes (kubectl -n " + NAMESPACE + " get pods)"));
    }
  }

  /** {@value #INSTALLED_CHECK}: MetalLB's CRDs are served, and the pool exists once applied. */
  private static Check installed() {
    return Check.of(INSTALLED_CHECK, Set.of(ResourceKind.IP_ADDRESS_POOLS), snapshot -> {
      if (snapshot.state(ResourceKind.IP_ADDRESS_POOLS) == ClusterSnapshot.ReadState.ABSENT) {
        return CheckResult.fail(INSTALLED_CHECK, "MetalLB is not installed: "
            + ResourceKind.IP_ADDRESS_POOLS.qualifiedName() + " is not served",
            "install MetalLB into " + NAMESPACE + " (helm repo add metallb https://metallb.github.io/metallb && "
                + "helm install metallb metallb/metallb -n " + NAMESPACE + " --create-namespace)");
      }
      boolean pool = snapshot.list(ResourceKind.IP_ADDRESS_POOLS).stream()
          .anyMatch(p -> POOL.equals(p.getMetadata().getName()) && NAMESPACE.equals(p.getMetadata().getNamespace()));
      if (!pool) {
        return CheckResult.warn(INSTALLED_CHECK, "MetalLB is installed but the pool " + NAMESPACE + "/" + POOL
            + " does not exist", "render and apply it (substrate render, or substrate apply)");
      }
      return CheckResult.pass(INSTALLED_CHECK, "MetalLB is installed and serves the pool " + NAMESPACE + "/" + POOL);
    });
  }
}
