package dev.substrate.hetzner;

import dev.substrate.BackendException;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ConfigException;
import dev.substrate.ResourceKind;
import dev.substrate.SubstrateConfig;
import dev.substrate.SubstrateException;
import dev.substrate.hetzner.internal.HcloudHttp;
import dev.substrate.hetzner.internal.HcloudSettings;
import dev.substrate.spi.Resources;
import dev.substrate.spi.Retry;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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
 * HetznerInventory inventory = HetznerInventory.fromConfig(config);   // hetzner: {token_file: /run/secrets/hcloud}
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

  private HetznerInventory(String token, String endpoint, Duration maxWait, Clock clock, Retry.Sleeper sleeper) {
    this.http = new HcloudHttp(endpoint, maxWait, clock, sleeper);
    this.api = new HetznerCloudAPI(token, http.client());
  }

  /**
   * From the {@code hetzner:} section: {@code token_env} (default {@code HCLOUD_TOKEN}) or {@code token_file} names
   * where the token is; {@code endpoint} overrides the API base (else {@code HCLOUD_ENDPOINT}); {@code
   * max_rate_limit_wait} (seconds, default 60) bounds the time spent waiting for the rate limit to reset.
   *
   * @throws ConfigException when the section is invalid or names no token that is there
   */
  public static HetznerInventory fromConfig(SubstrateConfig config) {
    return fromConfig(config, System::getenv);
  }

  static HetznerInventory fromConfig(SubstrateConfig config, Function<String, String> env) {
    HcloudSettings settings = HcloudSettings.from(config);
    String token = settings.token(env).orElseThrow(() -> new ConfigException("hetzner.token_env was '"
        + settings.tokenEnvName() + "' but that environment variable is not set; set it to a Hetzner Cloud API token, "
        + "or name a file with hetzner.token_file"));
    return new HetznerInventory(token, settings.endpoint(env), settings.maxRateLimitWait(), Clock.systemUTC(),
        d -> Thread.sleep(d.toMillis()));
  }

  /** A reader with the token at hand, e.g. for tests against {@code FakeHetznerCloud}. */
  public static HetznerInventory of(String token, String endpoint, Duration maxRateLimitWait) {
    return new HetznerInventory(token, endpoint, maxRateLimitWait, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
  }

  static HetznerInventory of(String token, String endpoint, Duration maxWait, Clock clock, Retry.Sleeper sleeper) {
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
    return read(line -> {});
  }

  /** As {@link #read()}, reporting each page requested to {@code progress}, e.g. {@code hcloud: servers, page 2}. */
  public Project read(Consumer<String> progress) {
    int before = http.requests();
    List<Item> servers = all("servers", progress, p -> {
      var r = api.getServers(null, p);
      return new Page(r.getServers().stream().map(s -> item(s.getId(), s.getName(), s.getLabels(), null)).toList(),
          r.getMeta());
    });
    List<Item> volumes = all("volumes", progress, p -> {
      var r = api.getVolumes(p);
      return new Page(r.getVolumes().stream().map(v -> item(v.getId(), v.getName(), v.getLabels(), v.getServer()))
          .toList(), r.getMeta());
    });
    List<Item> lbs = all("load balancers", progress, p -> {
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

  private List<Item> all(String collection, Consumer<String> progress, Function<PaginationParameters, Page> fetch) {
    String operation = "list " + collection;
    List<Item> out = new ArrayList<>();
    Integer page = 1;
    while (page != null) {
      Page p;
      progress.accept("hcloud: " + collection + ", page " + page);
      try {
        p = fetch.apply(new PaginationParameters(page, PER_PAGE));
      } catch (RuntimeException e) {
        throw failure(operation, e);
      }
      out.addAll(p.items());
      Long next = p.meta() == null || p.meta().getPagination() == null ? null : p.meta().getPagination().getNextPage();
      page = next == null ? null : Math.toIntExact(next);
    }
    return out;
  }

  /**
   * Why a request failed: the status and Hetzner's error code when the API answered (the client cannot parse every
   * code, so the code is taken from the response itself), else why it could not be reached.
   */
  private BackendException failure(String operation, RuntimeException e) {
    int status = http.lastStatus();
    if (status < 400) {
      return new BackendException(PROVIDER, operation, null, 0, true, "cannot reach the Hetzner Cloud API: "
          + SubstrateException.describe(e), e);
    }
    String code = http.lastErrorCode();
    if (code.isEmpty() && e instanceof APIRequestException && ((APIRequestException) e).getApiErrorResponse() != null
        && ((APIRequestException) e).getApiErrorResponse().getError() != null) {
      code = String.valueOf(((APIRequestException) e).getApiErrorResponse().getError().getCode())
          .toLowerCase(Locale.ROOT);
    }
    boolean limited = status == 429;
    return new BackendException(PROVIDER, operation, null, status, limited || status >= 500,
        "the Hetzner Cloud API answered " + (code.isEmpty() ? "HTTP " + status : code) + (limited ? " (the project's "
            + "3,600 requests an hour are spent, shared with the CCM and CSI driver; waited " + http.waited().toSeconds()
            + "s)" : ""), e);
  }

  private static Item item(Long id, String name, Map<String, String> labels, Long server) {
    return new Item(id == null ? 0 : id, name, labels == null ? Map.of() : Map.copyOf(labels), Optional.ofNullable(server));
  }

  @Override
  public String toString() {
    return "HetznerInventory[token=<redacted>, requests=" + http.requests() + "]";
  }
}
