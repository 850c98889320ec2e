package dev.substrate.hetzner;

import dev.substrate.BackendException;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ConfigException;
import dev.substrate.ResourceKind;
import dev.substrate.SubstrateConfig;
import dev.substrate.hetzner.internal.HcloudHttp;
import dev.substrate.spi.Resources;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import me.tomsdevsn.hetznercloud.HetznerCloudAPI;
import me.tomsdevsn.hetznercloud.exception.APIRequestException;
import me.tomsdevsn.hetznercloud.objects.general.Meta;
import me.tomsdevsn.hetznercloud.objects.pagination.PaginationParameters;

/**
 * What the Hetzner Cloud project holds, read through {@code me.tomsdevsn:hetznercloud-api}: servers, volumes and load
 * balancers, every page (50 a page, following {@code meta.pagination.next_page}), and how it lines up with the
 * cluster: which {@code LoadBalancer} Service has which hcloud load balancer (label {@code hcloud-ccm/service-uid}),
 * which volumes no PersistentVolume uses. The project's rate limit (3,600 requests an hour, shared with the CCM and
 * CSI driver) is respected: on 429 it waits for {@code RateLimit-Reset} up to a bound, and {@link #requests()} says
 * what the reading cost.
 *
 * <pre>{@code
 * HetznerInventory inventory = HetznerInventory.fromConfig(config);   // hetzner: {token_env: HCLOUD_TOKEN}
 * HetznerInventory.Project project = inventory.read();
 * inventory.volumesWithoutPv(project, snapshot);                        // reads PersistentVolumes
 * }</pre>
 */
public final class HetznerInventory {
  /** The hcloud label the CCM puts on each load balancer it creates. */
  public static final String SERVICE_UID_LABEL = "hcloud-ccm/service-uid";
  static final String PROVIDER = "hetzner";
  static final int PER_PAGE = 50;

  /** A server, volume or load balancer: its id, name and labels; {@code server} is a volume's attachment. */
  public record Item(long id, String name, Map<String, String> labels, Optional<Long> server) {}

  /** Everything read, and what it cost. */
  public record Project(List<Item> servers, List<Item> volumes, List<Item> loadBalancers, int requests) {}

  private final HetznerCloudAPI api;
  private final HcloudHttp http;

  private HetznerInventory(String token, String endpoint, Duration maxWait, Clock clock, HcloudHttp.Sleeper sleeper) {
    this.http = new HcloudHttp(endpoint, maxWait, clock, sleeper);
    this.api = new HetznerCloudAPI(token, http.client());
  }

  /**
   * From the {@code hetzner:} section: {@code token_env} (default {@code HCLOUD_TOKEN}) or {@code token_file} names
   * where the token is; {@code endpoint} overrides the API base; {@code max_rate_limit_wait} (seconds, default 60).
   */
  public static HetznerInventory fromConfig(SubstrateConfig config) {
    return fromConfig(config, System::getenv);
  }

  static HetznerInventory fromConfig(SubstrateConfig config, Function<String, String> env) {
    Map<String, Object> section = config.section("hetzner").orElse(Map.of());
    String token;
    if (section.get("token_file") != null) {
      Path file = Path.of(String.valueOf(section.get("token_file")));
      try {
        token = Files.readString(file, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new ConfigException("hetzner.token_file was '" + file + "' but must be a readable file holding the "
            + "Hetzner Cloud API token (" + e.getClass().getSimpleName() + ")");
      }
    } else {
      String name = String.valueOf(section.getOrDefault("token_env", "HCLOUD_TOKEN"));
      token = env.apply(name);
      if (token == null || token.isBlank()) {
        throw new ConfigException("hetzner.token_env was '" + name + "' but that environment variable is not set; "
            + "set it to a Hetzner Cloud API token, or name a file with hetzner.token_file");
      }
      token = token.trim();
    }
    String endpoint = String.valueOf(section.getOrDefault("endpoint",
        Optional.ofNullable(env.apply("HCLOUD_ENDPOINT")).orElse(HcloudHttp.DEFAULT_ENDPOINT)));
    long maxWait = Long.parseLong(String.valueOf(section.getOrDefault("max_rate_limit_wait", "60")));
    return new HetznerInventory(token, endpoint, Duration.ofSeconds(maxWait), Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
  }

  /** A reader with the token at hand, e.g. for tests against {@code FakeHetznerCloud}. */
  public static HetznerInventory of(String token, String endpoint, Duration maxRateLimitWait) {
    return new HetznerInventory(token, endpoint, maxRateLimitWait, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
  }

  static HetznerInventory of(String token, String endpoint, Duration maxWait, Clock clock, HcloudHttp.Sleeper sleeper) {
    return new HetznerInventory(token, endpoint, maxWait, clock, sleeper);
  }

  /** Requests sent so far, retries after 429 included. */
  public int requests() {
    return http.requests();
  }

  /** Time spent waiting for the rate limit to reset. */
  public Duration rateLimitWait() {
    return http.waited();
  }

  /** Reads every server, volume and load balancer of the project. */
  public Project read() {
    int before = http.requests();
    List<Item> servers = all("list servers", p -> {
      var r = api.getServers(null, p);
      return new Page(r.getServers().stream().map(s -> item(s.getId(), s.getName(), s.getLabels(), null)).toList(),
          r.getMeta());
    });
    List<Item> volumes = all("list volumes", p -> {
      var r = api.getVolumes(p);
      return new Page(r.getVolumes().stream().map(v -> item(v.getId(), v.getName(), v.getLabels(), v.getServer()))
          .toList(), r.getMeta());
    });
    List<Item> lbs = all("list load balancers", p -> {
      var r = api.getLoadBalancers(null, p);
      return new Page(r.getLoadBalancers().stream().map(l -> item(l.getId(), l.getName(), l.getLabels(), null))
          .toList(), r.getMeta());
    });
    return new Project(servers, volumes, lbs, http.requests() - before);
  }

  /**
   * Each {@code LoadBalancer} Service ({@code namespace/name}) with the hcloud load balancer whose
   * {@code hcloud-ccm/service-uid} label is the Service's UID; empty when it has none.
   */
  public Map<String, Optional<Item>> loadBalancersByService(Project project, ClusterSnapshot snapshot) {
    Map<String, Optional<Item>> out = new LinkedHashMap<>();
    for (Service s : snapshot.list(ResourceKind.SERVICES, Service.class)) {
      if (s.getSpec() == null || !"LoadBalancer".equals(s.getSpec().getType())) {
        continue;
      }
      String uid = s.getMetadata().getUid();
      out.put(Resources.ref(s), project.loadBalancers().stream()
          .filter(lb -> uid != null && uid.equals(lb.labels().get(SERVICE_UID_LABEL))).findFirst());
    }
    return out;
  }

  /** Volumes that no PersistentVolume of {@code csi.hetzner.cloud} names as its volume handle. */
  public List<Item> volumesWithoutPv(Project project, ClusterSnapshot snapshot) {
    List<String> handles = new ArrayList<>();
    for (PersistentVolume pv : snapshot.list(ResourceKind.PERSISTENT_VOLUMES, PersistentVolume.class)) {
      if (pv.getSpec() != null && pv.getSpec().getCsi() != null
          && "csi.hetzner.cloud".equals(pv.getSpec().getCsi().getDriver())) {
        handles.add(pv.getSpec().getCsi().getVolumeHandle());
      }
    }
    return project.volumes().stream().filter(v -> !handles.contains(String.valueOf(v.id()))).toList();
  }

  private record Page(List<Item> items, Meta meta) {}

  private List<Item> all(String operation, Function<PaginationParameters, Page> fetch) {
    List<Item> out = new ArrayList<>();
    Integer page = 1;
    while (page != null) {
      Page p;
      try {
        p = fetch.apply(new PaginationParameters(page, PER_PAGE));
      } catch (APIRequestException e) {
        String code = e.getApiErrorResponse() == null || e.getApiErrorResponse().getError() == null ? "unknown"
            : String.valueOf(e.getApiErrorResponse().getError().getCode()).toLowerCase(java.util.Locale.ROOT);
        boolean limited = "rate_limit_exceeded".equals(code);
        throw new BackendException(PROVIDER, operation, null, limited ? 429 : 0, limited,
            "the Hetzner Cloud API answered " + code + (limited ? " (the project's 3,600 requests an hour are spent, "
                + "shared with the CCM and CSI driver; waited " + http.waited().toSeconds() + "s)" : ""), e);
      } catch (RuntimeException e) {
        throw new BackendException(PROVIDER, operation, null, 0, true, "cannot reach the Hetzner Cloud API: "
            + e.getMessage(), e);
      }
      out.addAll(p.items());
      Long next = p.meta() == null || p.meta().getPagination() == null ? null : p.meta().getPagination().getNextPage();
      page = next == null ? null : Math.toIntExact(next);
    }
    return out;
  }

  private static Item item(Long id, String name, Map<String, String> labels, Long server) {
    return new Item(id == null ? 0 : id, name, labels == null ? Map.of() : Map.copyOf(labels), Optional.ofNullable(server));
  }

  @Override
  public String toString() {
    return "HetznerInventory[token=<redacted>, requests=" + http.requests() + "]";
  }
}
