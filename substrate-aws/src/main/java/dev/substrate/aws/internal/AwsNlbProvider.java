package dev.substrate.aws.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.ConfigException;
import dev.substrate.LoadBalancer;
import dev.substrate.LoadBalancerIntent;
import dev.substrate.LoadBalancerIntent.HealthCheck;
import dev.substrate.RenderContext;
import dev.substrate.SubstrateConfig;
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
 * Load balancing {@code aws-nlb}: Network Load Balancers made by the AWS Load Balancer Controller from
 * {@code service.beta.kubernetes.io/aws-load-balancer-*} annotations (kubernetes-sigs/aws-load-balancer-controller
 * docs/guide/service/annotations.md and nlb.md). {@code aws-load-balancer-type: external} hands the Service to the
 * controller, which the in-tree AWS cloud provider then ignores; the scheme is always written, since the controller
 * makes an internal NLB when none is given.
 */
public final class AwsNlbProvider implements LoadBalancerProvider {
  static final String ID = "aws-nlb";
  static final String PREFIX = "service.beta.kubernetes.io/aws-load-balancer-";
  /** NLB target-group health checks: interval 5 to 300 s, thresholds 2 to 10 (ELB API, TargetGroup). */
  static final int MIN_INTERVAL = 5;
  static final int MAX_INTERVAL = 300;
  static final int MIN_THRESHOLD = 2;
  static final int MAX_THRESHOLD = 10;

  @Override
  public String id() {
    return ID;
  }

  @Override
  public LoadBalancer create(ProviderContext context) {
    SubstrateConfig config = context.config();
    AwsSettings settings = AwsSettings.from(config);
    config.loadBalancer().healthCheck().ifPresent(hc -> {
      List<String> problems = problems("load_balancer.health_check", hc);
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
        Map<String, String> a = new LinkedHashMap<>();
        a.put(PREFIX + "type", "external");
        a.put(PREFIX + "nlb-target-type", settings.lbTargetType());
        a.put(PREFIX + "scheme", intent.exposure() == LoadBalancerIntent.Exposure.INTERNAL ? "internal"
            : "internet-facing");
        intent.healthCheck().ifPresent(hc -> a.putAll(healthCheck(hc)));
        return a;
      }

      @Override
      public List<Capability> capabilities() {
        return List.of(
            Capability.of(CapabilityIds.LB_PROVISIONING, CapabilityState.NEEDS_ACTION,
                "the AWS Load Balancer Controller makes an NLB (" + settings.lbTargetType() + " targets) for every "
                    + "LoadBalancer Service annotated " + PREFIX + "type: external, as Substrate annotates them; the "
                    + "in-tree AWS cloud provider ignores such Services, and without the controller they get no "
                    + "address (unannotated Services fall back to the in-tree provider's Classic Load Balancer)",
                "install the controller: helm install aws-load-balancer-controller eks/aws-load-balancer-controller "
                    + "-n kube-system --set clusterName=" + config.cluster().name().orElse("CLUSTER")
                    + " with an IRSA role carrying its IAM policy"
                    + settings.lbControllerRoleArn().map(r -> " (" + r + ")").orElse("")
                    + ", and tag the subnets kubernetes.io/role/elb=1 (public) or kubernetes.io/role/internal-elb=1"),
            Capability.of(CapabilityIds.LB_INTERNAL, CapabilityState.SUPPORTED,
                "an internal exposure becomes " + PREFIX + "scheme: internal (a public one internet-facing)", null),
            Capability.of(CapabilityIds.LB_HEALTH_CHECK, CapabilityState.SUPPORTED,
                "a Service's health check becomes the controller's " + PREFIX + "healthcheck-* annotations "
                    + "(protocol, port, path, interval in whole seconds from 5 to 300, retries as the unhealthy "
                    + "threshold from 2 to 10); the controller ignores a timeout on NLBs", null));
      }

      @Override
      public List<HasMetadata> resources(RenderContext context) {
        return List.of();
      }

      @Override
      public List<Check> checks() {
        return List.of(AwsLbChecks.controller(config, settings),
            LoadBalancerChecks.addresses("kubectl describe service <name> shows the AWS Load Balancer Controller's "
                + "events; a Service without " + PREFIX + "type: external, or subnets without the "
                + "kubernetes.io/role/elb tag, are the usual causes"));
      }
    };
  }

  /**
   * The controller's health-check annotations for {@code hc}: protocol, port, path, interval and unhealthy threshold;
   * what {@code hc} leaves empty is the controller's default (TCP, traffic-port, 10 s, 3).
   *
   * @throws IllegalArgumentException when a value is outside what an NLB target group takes
   */
  static Map<String, String> healthCheck(HealthCheck hc) {
    List<String> problems = problems("healthCheck", hc);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    Map<String, String> a = new LinkedHashMap<>();
    a.put(PREFIX + "healthcheck-protocol", hc.protocol().id());
    hc.port().ifPresent(p -> a.put(PREFIX + "healthcheck-port", String.valueOf(p)));
    hc.httpPath().ifPresent(p -> a.put(PREFIX + "healthcheck-path", p));
    hc.interval().ifPresent(d -> a.put(PREFIX + "healthcheck-interval", String.valueOf(d.getSeconds())));
    hc.retries().ifPresent(r -> a.put(PREFIX + "healthcheck-unhealthy-threshold", String.valueOf(r)));
    return a;
  }

  private static List<String> problems(String prefix, HealthCheck hc) {
    List<String> problems = new ArrayList<>();
    interval(problems, prefix + ".interval", hc.interval());
    hc.retries().ifPresent(r -> {
      if (r < MIN_THRESHOLD || r > MAX_THRESHOLD) {
        problems.add(prefix + ".retries was '" + r + "' but must be from " + MIN_THRESHOLD + " to " + MAX_THRESHOLD
            + " on aws (an NLB target group's unhealthy threshold)");
      }
    });
    return problems;
  }

  private static void interval(List<String> problems, String key, Optional<Duration> d) {
    if (d.isEmpty()) {
      return;
    }
    Duration v = d.get();
    if (v.toNanosPart() != 0 || v.getSeconds() < MIN_INTERVAL || v.getSeconds() > MAX_INTERVAL) {
      problems.add(key + " was '" + v.toString().substring(2).toLowerCase(java.util.Locale.ROOT) + "' but must be "
          + "whole seconds from " + MIN_INTERVAL + " to " + MAX_INTERVAL + " on aws (an NLB target group's health-check "
          + "interval)");
    }
  }
}
