package dev.substrate.spi.checks;

import dev.substrate.CheckResult;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Resources;
import dev.substrate.spi.Check;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Doctor checks of load balancing every substrate shares: each {@code LoadBalancer} Service got an address.
 *
 * <pre>{@code
 * Check addresses = LoadBalancerChecks.addresses("check the cloud-controller-manager's events on the Service");
 * }</pre>
 */
public final class LoadBalancerChecks {
  public static final String ADDRESSES = "lb.addresses";

  private LoadBalancerChecks() {}

  /**
   * {@value #ADDRESSES}: every Service of type {@code LoadBalancer} has {@code status.loadBalancer.ingress}; pending
   * ones fail with {@code remedy}. No such Service passes.
   */
  public static Check addresses(String remedy) {
    return Check.of(ADDRESSES, Set.of(ResourceKind.SERVICES), snapshot -> {
      List<String> all = new ArrayList<>();
      List<String> pending = pending(snapshot.list(ResourceKind.SERVICES, Service.class), all);
      if (all.isEmpty()) {
        return CheckResult.pass(ADDRESSES, "no LoadBalancer Services");
      }
      if (pending.isEmpty()) {
        return CheckResult.pass(ADDRESSES, Resources.count(all.size(), "LoadBalancer Service has", "LoadBalancer Services have")
            + " an address");
      }
      return CheckResult.fail(ADDRESSES, pending.size() + " of " + Resources.count(all.size(), "LoadBalancer Service",
          "LoadBalancer Services") + " have no address yet: " + Resources.names(pending), remedy);
    });
  }

  /**
   * {@value #ADDRESSES} where no load balancer provider is configured: {@code LoadBalancer} Services without an
   * address warn, since nothing will give them one.
   */
  public static Check addressesWithoutProvider() {
    return Check.of(ADDRESSES, Set.of(ResourceKind.SERVICES), snapshot -> {
      List<String> all = new ArrayList<>();
      List<String> pending = pending(snapshot.list(ResourceKind.SERVICES, Service.class), all);
      if (all.isEmpty()) {
        return CheckResult.pass(ADDRESSES, "no LoadBalancer Services");
      }
      if (pending.isEmpty()) {
        return CheckResult.pass(ADDRESSES, Resources.count(all.size(), "LoadBalancer Service has", "LoadBalancer Services have")
            + " an address from a load balancer outside Substrate");
      }
      return CheckResult.warn(ADDRESSES, Resources.count(pending.size(), "LoadBalancer Service", "LoadBalancer Services")
          + " will stay pending because no load balancer provider is configured: " + Resources.names(pending),
          "set load_balancer.provider: metallb with load_balancer.addresses, or expose them as NodePort or through an "
              + "Ingress controller on hostNetwork");
    });
  }

  /** Fills {@code all} with every LoadBalancer Service and returns those without an address, as namespace/name. */
  private static List<String> pending(List<Service> services, List<String> all) {
    List<String> pending = new ArrayList<>();
    for (Service s : services) {
      if (s.getSpec() == null || !"LoadBalancer".equals(s.getSpec().getType())) {
        continue;
      }
      String ref = Resources.ref(s);
      all.add(ref);
      boolean hasAddress = s.getStatus() != null && s.getStatus().getLoadBalancer() != null
          && s.getStatus().getLoadBalancer().getIngress() != null
          && !s.getStatus().getLoadBalancer().getIngress().isEmpty();
      if (!hasAddress) {
        pending.add(ref);
      }
    }
    all.sort(null);
    pending.sort(null);
    return pending;
  }
}
