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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import me.tomsdevsn.hetznercloud.HetznerCloudAPI;
import me.tomsdevsn.hetznercloud.exception.APIRequestException;
import me.tomsdevsn.hetznercloud.objects.general.Meta;
import me.tomsdevsn.hetznercloud.objects.pagination.PaginationParameters;

/**
 * What the Hetzner Cloud project holds, read through {@code me.tomsdevsn:hetznercloud-api}: servers, volumes and load
 * balancers, every page (50 a page), and how it lines up with the cluster: which {@code LoadBalancer} Service has which
 * hcloud load balancer (label {@code hcloud-ccm/service-uid}), which volumes no PersistentVolume uses. Page 1 of a list
 * says how many pages there are ({@code meta.pagination.last_page}); the others are read several at once (8 unless
 * {@code hetzner.parallelism} says otherwise), never more at once than the rate limit has left. The project's rate
 * limit (3,600 requests an hour, shared with the CCM and CSI driver) is respected: on 429 it waits for
 * {@code RateLimit-Reset} up to a bound, and {@link #requests()} says what the reading cost.
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

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final HetznerCloudAPI api;
  private final HcloudHttp http;
  private final int parallelism;

  private HetznerInventory(String token, String endpoint, Duration maxWait, int parallelism, Clock clock,
      Retry.Sleeper sleeper) {
    if (parallelism < 1 || parallelism > HcloudSettings.MAX_PARALLELISM) {
      throw new IllegalArgumentException("parallelism must be 1 to " + HcloudSettings.MAX_PARALLELISM + ": "
          + parallelism);
    }
    this.http = new HcloudHttp(endpoint, maxWait, clock, sleeper);
    this.api = new HetznerCloudAPI(token, http.client());
    this.parallelism = parallelism;
  }

  /**
   * From the {@code hetzner:} section: {@code token_env} (default {@code HCLOUD_TOKEN}) or {@code token_file} names
   * where the token is; {@code endpoint} overrides the API base (else {@code HCLOUD_ENDPOINT}); {@code
   * max_rate_limit_wait} (seconds, default 60) bounds the time spent waiting for the rate limit to reset; {@code
   * parallelism} (default 8, at most 32) is how many pages are read at once.
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
    return of(token, settings.endpoint(env), settings.maxRateLimitWait(), settings.parallelism());
  }

  /** A reader with the token at hand, e.g. for tests against {@code FakeHetznerCloud}; 8 pages at once. */
  public static HetznerInventory of(String token, String endpoint, Duration maxRateLimitWait) {
    return of(token, endpoint, maxRateLimitWait, HcloudSettings.DEFAULT_PARALLELISM);
  }

  /**
   * A reader that reads at most {@code parallelism} pages at once (1 to 32; 1 reads one page after another).
   *
   * @throws IllegalArgumentException when {@code parallelism} is out of range
   */
  public static HetznerInventory of(String token, String endpoint, Duration maxRateLimitWait, int parallelism) {
    return new HetznerInventory(token, endpoint, maxRateLimitWait, parallelism, Clock.systemUTC(),
        d -> Thread.sleep(d.toMillis()));
  }

  static HetznerInventory of(String token, String endpoint, Duration maxWait, Clock clock, Retry.Sleeper sleeper) {
    return new HetznerInventory(token, endpoint, maxWait, HcloudSettings.DEFAULT_PARALLELISM, clock, sleeper);
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

  /**
   * As {@link #read()}, reporting each page requested to {@code progress}, e.g. {@code hcloud: servers, page 2 of 200};
   * {@code progress} is called on the calling thread only.
   */
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

  /** A page read on a worker, with what its response said of the rate limit. */
  private record Fetched(int page, List<Item> items, int remaining, boolean afterReset) {}

  /**
   * Every item of {@code collection}, in page order. Page 1 is read here; it says how many pages there are
   * ({@code last_page}), and the rest are read by {@link #concurrently}. Where the API leaves {@code last_page} null
   * (Hetzner's reference, "Pagination": it may be null when unknown), the pages are read one after another, following
   * {@code next_page}.
   */
  private List<Item> all(String collection, Consumer<String> progress, Function<PaginationParameters, Page> fetch) {
    String operation = "list " + collection;
    progress.accept("hcloud: " + collection + ", page 1");
    Page first = page(operation, fetch, 1, "");
    List<Item> out = new ArrayList<>(first.items());
    Meta.Pagination pagination = first.meta() == null ? null : first.meta().getPagination();
    if (pagination != null && pagination.getLastPage() != null) {
      int last = Math.toIntExact(pagination.getLastPage());
      if (last > 1) {
        concurrently(collection, operation, last, progress, fetch).forEach(out::addAll);
      }
      return out;
    }
    Long next = pagination == null ? null : pagination.getNextPage();
    while (next != null) {
      int page = Math.toIntExact(next);
      progress.accept("hcloud: " + collection + ", page " + page);
      Page p = page(operation, fetch, page, "");
      out.addAll(p.items());
      next = p.meta() == null || p.meta().getPagination() == null ? null : p.meta().getPagination().getNextPage();
    }
    return out;
  }

  /**
   * Pages 2 to {@code last}, in order, read on a pool of {@link #parallelism} daemon threads that is shut down before
   * this returns.
   *
   * <p>Hetzner's reference ("Rate Limiting", in the API description at docs.hetzner.cloud) says every response
   * carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset} (a UNIX time when the
   * limit is full again), that bursts are allowed, and that the default limit is 3600 requests an hour per project,
   * refilled by one a second. So no more requests are in flight than the lowest {@code RateLimit-Remaining} seen since
   * page 1 (the one second refill is not counted on), until a response after a wait for the reset says more are left.
   * With none left, one request at a time is sent: its 429 waits for {@code RateLimit-Reset} within the bound.
   *
   * <p>A page that fails fails the whole read: no further page is sent, the ones in flight are awaited (so
   * {@link #requests()} stays exact), then the first failure is thrown.
   */
  private List<List<Item>> concurrently(String collection, String operation, int last, Consumer<String> progress,
      Function<PaginationParameters, Page> fetch) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, last - 1), r -> {
      Thread t = new Thread(r, "hcloud-pages-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    CompletionService<Fetched> done = new ExecutorCompletionService<>(pool);
    List<List<Item>> pages = new ArrayList<>(Collections.nCopies(last - 1, List.of()));
    int remaining = http.last().remaining();
    int next = 2;
    int inFlight = 0;
    BackendException failure = null;
    try {
      while (inFlight > 0 || (failure == null && next <= last)) {
        while (failure == null && next <= last && (inFlight == 0 || inFlight < Math.min(parallelism,
            remaining < 0 ? parallelism : remaining))) {
          int page = next++;
          progress.accept("hcloud: " + collection + ", page " + page + " of " + last);
          done.submit(() -> {
            Page p = page(operation, fetch, page, " on page " + page + " of " + last);
            HcloudHttp.Last answer = http.last();
            return new Fetched(page, p.items(), answer.remaining(), answer.afterReset());
          });
          inFlight++;
        }
        Future<Fetched> f = done.take();
        inFlight--;
        try {
          Fetched page = f.get();
          pages.set(page.page() - 2, page.items());
          if (page.remaining() >= 0) {
            remaining = remaining < 0 || page.afterReset() ? page.remaining() : Math.min(remaining, page.remaining());
          }
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof BackendException b ? b : new BackendException(PROVIDER, operation, null,
                0, false, SubstrateException.describe(e.getCause()), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(PROVIDER, operation, null, 0, true, "interrupted while reading pages 2 to " + last, e);
    } finally {
      stop(pool);
    }
    if (failure != null) {
      throw failure;
    }
    return pages;
  }

  /** Stops the pool's threads; its tasks are done, unless this thread was interrupted. */
  private static void stop(ExecutorService pool) {
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Page {@code page}, or the failure as a {@link BackendException} whose message tells {@code where}. */
  private Page page(String operation, Function<PaginationParameters, Page> fetch, int page, String where) {
    try {
      return fetch.apply(new PaginationParameters(page, PER_PAGE));
    } catch (RuntimeException e) {
      throw failure(operation, e, where);
    }
  }

  /**
   * Why a request failed: the status and Hetzner's error code when the API answered (the client cannot parse every
   * code, so the code is taken from the response itself), else why it could not be reached.
   */
  private BackendException failure(String operation, RuntimeException e, String where) {
    HcloudHttp.Last last = http.last();
    int status = last.status();
    if (status < 400) {
      return new BackendException(PROVIDER, operation, null, 0, true, "cannot reach the Hetzner Cloud API" + where
          + ": " + SubstrateException.describe(e), e);
    }
    String code = last.errorCode();
    if (code.isEmpty() && e instanceof APIRequestException && ((APIRequestException) e).getApiErrorResponse() != null
        && ((APIRequestException) e).getApiErrorResponse().getError() != null) {
      code = String.valueOf(((APIRequestException) e).getApiErrorResponse().getError().getCode())
          .toLowerCase(Locale.ROOT);
    }
    boolean limited = status == 429;
    return new BackendException(PROVIDER, operation, null, status, limited || status >= 500,
        "the Hetzner Cloud API answered " + (code.isEmpty() ? "HTTP " + status : code) + where + (limited
            ? " (the project's 3,600 requests an hour are spent, shared with the CCM and CSI driver; waited "
            + http.waited().toSeconds() + "s)" : ""), e);
  }

  private static Item item(Long id, String name, Map<String, String> labels, Long server) {
    return new Item(id == null ? 0 : id, name, labels == null ? Map.of() : Map.copyOf(labels), Optional.ofNullable(server));
  }

  @Override
  public String toString() {
    return "HetznerInventory[token=<redacted>, requests=" + http.requests() + "]";
  }
}
