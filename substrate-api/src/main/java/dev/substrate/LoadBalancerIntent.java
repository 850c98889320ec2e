package dev.substrate;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/** What a Service wants from a load balancer, independent of the substrate. */
@Value.Immutable
public abstract class LoadBalancerIntent {
  /** Who can reach the address. */
  public enum Exposure {
    PUBLIC,
    INTERNAL
  }

  /**
   * How the load balancer probes its targets; what is left empty is the substrate's default. Where a substrate cannot
   * set a health check per Service, its {@link CapabilityIds#LB_HEALTH_CHECK} capability says so.
   *
   * <pre>{@code
   * HealthCheck.builder().protocol(HealthCheck.Protocol.HTTP).port(10254).httpPath("/healthz")
   *     .interval(Duration.ofSeconds(15)).timeout(Duration.ofSeconds(10)).retries(3).build();
   * }</pre>
   */
  @Value.Immutable
  public abstract static class HealthCheck {
    /** What a probe does: open a TCP connection, or also expect a successful HTTP answer. */
    public enum Protocol {
      TCP,
      HTTP;

      /** The lowercase name, as in config: {@code tcp}, {@code http}. */
      public String id() {
        return name().toLowerCase(Locale.ROOT);
      }
    }

    @Value.Default
    public Protocol protocol() {
      return Protocol.TCP;
    }

    /** The target port probed; empty means the port the traffic goes to. */
    public abstract OptionalInt port();

    /** Time between two probes; positive. */
    public abstract Optional<Duration> interval();

    /** How long one probe may take; positive. */
    public abstract Optional<Duration> timeout();

    /** Failed probes in a row before a target counts as unhealthy; at least 1. */
    public abstract OptionalInt retries();

    /** The path an HTTP probe requests, such as {@code /healthz}; only with {@link Protocol#HTTP}. */
    public abstract Optional<String> httpPath();

    @Value.Check
    protected void check() {
      port().ifPresent(p -> require(p >= 1 && p <= 65535, "port", String.valueOf(p), "from 1 to 65535"));
      interval().ifPresent(d -> require(!d.isNegative() && !d.isZero(), "interval", d.toString(), "positive"));
      timeout().ifPresent(d -> require(!d.isNegative() && !d.isZero(), "timeout", d.toString(), "positive"));
      retries().ifPresent(r -> require(r >= 1, "retries", String.valueOf(r), "at least 1"));
      httpPath().ifPresent(p -> {
        require(p.startsWith("/"), "httpPath", p, "a path starting with /");
        require(protocol() == Protocol.HTTP, "httpPath", p, "empty unless protocol is http");
      });
    }

    private static void require(boolean ok, String field, String value, String mustBe) {
      if (!ok) {
        throw new IllegalArgumentException("healthCheck." + field + " was '" + value + "' but must be " + mustBe);
      }
    }

    public static Builder builder() {
      return new Builder();
    }

    public static final class Builder extends ImmutableHealthCheck.Builder {}
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

  /** How targets are probed; empty means the substrate's default health check. */
  public abstract Optional<HealthCheck> healthCheck();

  public static Builder builder() {
    return new Builder();
  }

  public static LoadBalancerIntent of(Exposure exposure) {
    return builder().exposure(exposure).build();
  }

  public static final class Builder extends ImmutableLoadBalancerIntent.Builder {}
}
