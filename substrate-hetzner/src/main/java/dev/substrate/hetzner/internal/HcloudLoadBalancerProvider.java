package dev.substrate.hetzner.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.ConfigException;
import dev.substrate.LoadBalancer;
import dev.substrate.LoadBalancerConfig;
import dev.substrate.LoadBalancerIntent;
import dev.substrate.LoadBalancerIntent.HealthCheck;
import dev.substrate.RenderContext;
import dev.substrate.spi.Check;
import dev.substrate.spi.LoadBalancerProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.checks.LoadBalancerChecks;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Load balancing {@code hcloud}: the hcloud cloud-controller-manager creates Hetzner Load Balancers, configured by
 * {@code load-balancer.hetzner.cloud/*} Service annotations. Health-check durations are written as Go durations
 * ({@code 15s}, {@code 1m30s}), which the CCM parses with {@code time.ParseDuration}, in whole seconds, which is what
 * the Hetzner API keeps.
 */
public final class HcloudLoadBalancerProvider implements LoadBalancerProvider {
  static final String ID = "hcloud";
  static final String PREFIX = "load-balancer.hetzner.cloud/";

  @Override
  public String id() {
    return ID;
  }

  /**
   * {@code lb.provisioning}: the CCM creates a load balancer only where it knows a location or network zone; with
   * {@code load_balancer.location} (or {@code network_zone}) the facet's Service annotations name it.
   */
  static Capability provisioning(LoadBalancerConfig lb) {
    Optional<String> where = lb.location().map(l -> "load_balancer.location " + l)
        .or(() -> lb.networkZone().map(z -> "load_balancer.network_zone " + z));
    if (where.isPresent()) {
      return Capability.of(CapabilityIds.LB_PROVISIONING, CapabilityState.SUPPORTED, "the hcloud CCM creates a load "
          + "balancer for every LoadBalancer Service, in " + where.get() + " (a Service annotation Substrate adds)",
          null);
    }
    return Capability.of(CapabilityIds.LB_PROVISIONING, CapabilityState.NEEDS_ACTION,
        "the hcloud CCM creates load balancers only when a location or network zone is known",
        "set load_balancer.location (e.g. fsn1), or HCLOUD_LOAD_BALANCERS_LOCATION (or _NETWORK_ZONE) on the CCM");
  }

  @Override
  public LoadBalancer create(ProviderContext context) {
    HcloudSettings settings = HcloudSettings.from(context.config());
    context.config().loadBalancer().healthCheck().ifPresent(hc -> {
      List<String> problems = wholeSeconds("load_balancer.health_check", hc);
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
    });
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
        intent.healthCheck().ifPresent(hc -> annotations.putAll(healthCheck(hc)));
        return annotations;
      }

      @Override
      public List<Capability> capabilities() {
        return List.of(
            provisioning(context.config().loadBalancer()),
            Capability.of(CapabilityIds.LB_INTERNAL, CapabilityState.NEEDS_ACTION,
                "a private load balancer needs the cluster attached to a Hetzner network",
                "set HCLOUD_NETWORK on the CCM and load_balancer.exposure: internal"),
            Capability.of(CapabilityIds.LB_HEALTH_CHECK, CapabilityState.SUPPORTED,
                "a Service's health check (tcp or http, port, interval, timeout, retries, http path) becomes the "
                    + "CCM's " + PREFIX + "health-check-* annotations", null));
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
                + "a missing location or network zone is the usual cause"),
            HcloudInventoryChecks.loadBalancers(settings, System::getenv));
      }
    };
  }

  /**
   * The CCM's health-check annotations for {@code hc}: protocol, port, interval and timeout as Go durations, retries
   * and HTTP path; what {@code hc} leaves empty is left to the CCM's defaults (10s, 15s, 3 retries).
   *
   * @throws IllegalArgumentException when a duration is not whole seconds
   */
  static Map<String, String> healthCheck(HealthCheck hc) {
    List<String> problems = wholeSeconds("healthCheck", hc);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    Map<String, String> a = new LinkedHashMap<>();
    a.put(PREFIX + "health-check-protocol", hc.protocol().id());
    hc.port().ifPresent(p -> a.put(PREFIX + "health-check-port", String.valueOf(p)));
    hc.interval().ifPresent(d -> a.put(PREFIX + "health-check-interval", GoDuration.format(d)));
    hc.timeout().ifPresent(d -> a.put(PREFIX + "health-check-timeout", GoDuration.format(d)));
    hc.retries().ifPresent(r -> a.put(PREFIX + "health-check-retries", String.valueOf(r)));
    hc.httpPath().ifPresent(p -> a.put(PREFIX + "health-check-http-path", p));
    return a;
  }

  /** The Hetzner API keeps health-check intervals and timeouts in seconds; a fraction would be cut off. */
  private static List<String> wholeSeconds(String prefix, HealthCheck hc) {
    List<String> problems = new ArrayList<>();
    check(problems, prefix + ".interval", hc.interval());
    check(problems, prefix + ".timeout", hc.timeout());
    return problems;
  }

  private static void check(List<String> problems, String key, Optional<Duration> d) {
    if (d.isPresent() && d.get().toNanosPart() != 0) {
      problems.add(key + " was '" + GoDuration.format(d.get()) + "' but must be whole seconds on hcloud (the Hetzner "
          + "API keeps health-check times in seconds)");
    }
  }
}
