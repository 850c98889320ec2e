package dev.substrate.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.substrate.testkit.internal.hcloud.ClusterMirror;
import dev.substrate.testkit.internal.hcloud.HcloudApi;
import dev.substrate.testkit.internal.hcloud.HcloudObjects;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process Hetzner Cloud API v1 ({@code servers}, {@code volumes}, {@code load_balancers}, {@code networks}) that
 * real clients can be pointed at: the hcloud CLI and the CCM/CSI through {@code HCLOUD_ENDPOINT=}{@link #endpoint()},
 * the Java client through an OkHttp interceptor. Listing honours {@code page}/{@code per_page} (default 25, at most 50)
 * with {@code meta.pagination}, and {@code label_selector}; errors use Hetzner's error document; every response
 * carries {@code RateLimit-*} headers and {@link #rateLimit} makes it answer 429. Every request is journaled, and
 * {@link #maxInFlight()} tells how many it was answering at once (up to 16 are served in parallel).
 *
 * <pre>{@code
 * try (FakeHetznerCloud hcloud = FakeHetznerCloud.start()) {
 *   hcloud.addServer(4711, "k3s-agent-1", "cpx41", "fsn1", Map.of());
 *   // HCLOUD_ENDPOINT=hcloud.endpoint() HCLOUD_TOKEN=hcloud.token() hcloud server list -o json
 * }
 * }</pre>
 */
public final class FakeHetznerCloud implements AutoCloseable {
  /** One request as the fake saw it. */
  public record Request(Instant time, String method, String path, String query, int status) {
    @Override
    public String toString() {
      return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status;
    }
  }

  private record PageFault(String collection, int page, int status) {}

  private static final Pattern PAGE = Pattern.compile("(?:^|&)page=(\\d+)");
  private static final int THREADS = 16;

  static {
    // As FakeSecretManager: without TCP_NODELAY each response body waits for the client's delayed ACK (~40 ms).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final HcloudApi api;
  private final String token;
  private final List<Request> journal = new ArrayList<>();
  private final Deque<Integer> failures = new ArrayDeque<>();
  private final List<PageFault> pageFaults = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private int maxInFlight;
  private volatile Duration delay = Duration.ZERO;

  private FakeHetznerCloud(String token) {
    this.token = token;
    this.api = new HcloudApi(token);
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake Hetzner Cloud API", e);
    }
    executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "fake-hcloud");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    server.start();
  }

  /** Starts a fake with a random 64-character token. */
  public static FakeHetznerCloud start() {
    return start("fake" + "0123456789abcdef".repeat(4).substring(4));
  }

  /** Starts a fake that accepts only {@code token}. */
  public static FakeHetznerCloud start(String token) {
    return new FakeHetznerCloud(token);
  }

  /** The API base, like {@code https://api.hetzner.cloud/v1}: {@code http://127.0.0.1:PORT/v1}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The bearer token the fake accepts. */
  public String token() {
    return token;
  }

  public FakeHetznerCloud addServer(long id, String name, String type, String location, Map<String, String> labels) {
    api.put("servers", HcloudObjects.server(id, name, type, location, labels));
    return this;
  }

  /** Adds a volume; {@code serverId} null means detached. */
  public FakeHetznerCloud addVolume(long id, String name, int sizeGib, String location, Long serverId,
      Map<String, String> labels) {
    api.put("volumes", HcloudObjects.volume(id, name, sizeGib, location, serverId, labels));
    return this;
  }

  public FakeHetznerCloud addLoadBalancer(long id, String name, String type, String location, String ipv4,
      Map<String, String> labels) {
    api.put("load_balancers", HcloudObjects.loadBalancer(id, name, type, location, ipv4, labels));
    return this;
  }

  public FakeHetznerCloud addNetwork(long id, String name, String ipRange, Map<String, String> labels) {
    api.put("networks", HcloudObjects.network(id, name, ipRange, labels));
    return this;
  }

  /**
   * Adds what the hcloud CCM and CSI driver would have made for {@code cluster}: a server for each {@code hcloud://ID}
   * node, a volume for each {@code csi.hetzner.cloud} PersistentVolume (id = volume handle), and for each
   * {@code LoadBalancer} Service a load balancer labelled {@code hcloud-ccm/service-uid=<its UID>}.
   */
  public FakeHetznerCloud mirror(KubernetesClient cluster) {
    ClusterMirror.seed(api, cluster);
    return this;
  }

  /** Starts a fake whose project is what the hcloud CCM and CSI driver would have made for {@code cluster}. */
  public static FakeHetznerCloud mirroring(KubernetesClient cluster) {
    FakeHetznerCloud fake = start();
    try {
      return fake.mirror(cluster);
    } catch (RuntimeException e) {
      fake.close();
      throw e;
    }
  }

  /** Adds any object to {@code collection} ({@code servers}, {@code volumes}, {@code load_balancers}, {@code networks}). */
  public FakeHetznerCloud add(String collection, ObjectNode object) {
    if (!HcloudApi.COLLECTIONS.containsKey(collection)) {
      throw new IllegalArgumentException("unknown collection " + collection + "; known: " + HcloudApi.COLLECTIONS.keySet());
    }
    api.put(collection, object);
    return this;
  }

  /** Sets the rate limit: {@code remaining} requests are left; at 0 the API answers 429 until {@code resetAt}. */
  public void rateLimit(int limit, int remaining, Instant resetAt) {
    api.rateLimit(limit, remaining, resetAt.getEpochSecond());
  }

  /** The next {@code count} requests fail with {@code httpStatus} and Hetzner's error document. */
  public synchronized void failNext(int count, int httpStatus) {
    for (int i = 0; i < count; i++) {
      failures.add(httpStatus);
    }
  }

  /**
   * The next request for page {@code page} of {@code collection} ({@code servers}, ...; a request without
   * {@code page} asks for page 1) fails with {@code httpStatus} and Hetzner's error document.
   */
  public synchronized void failNextOn(String collection, int page, int httpStatus) {
    pageFaults.add(new PageFault(collection, page, httpStatus));
  }

  /** Every response waits {@code value} first. */
  public void delay(Duration value) {
    delay = value;
  }

  public synchronized void clearFaults() {
    failures.clear();
    pageFaults.clear();
    delay = Duration.ZERO;
    api.rateLimit(3600, 3600, 0);
  }

  public synchronized List<Request> journal() {
    return List.copyOf(journal);
  }

  public synchronized int requestCount() {
    return journal.size();
  }

  /**
   * The most requests the fake was answering at once since start or {@link #resetJournal()}: a request counts from its
   * arrival until its response is sent, so a client that waits for each answer is seen one at a time.
   */
  public synchronized int maxInFlight() {
    return maxInFlight;
  }

  public synchronized void resetJournal() {
    journal.clear();
    maxInFlight = 0;
  }

  private void serve(HttpExchange ex) throws IOException {
    synchronized (this) {
      maxInFlight = Math.max(maxInFlight, inFlight.incrementAndGet());
    }
    AtomicBoolean answered = new AtomicBoolean();
    // Journal each request before its response goes out, so a client that got an answer finds it journaled.
    HcloudApi.beforeResponse(sent -> {
      synchronized (this) {
        journal.add(new Request(Instant.now(), ex.getRequestMethod(), ex.getRequestURI().getPath(),
            ex.getRequestURI().getRawQuery(), sent));
      }
      if (answered.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    });
    try {
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis());
      }
      Integer failure;
      synchronized (this) {
        failure = failures.poll();
        if (failure == null) {
          failure = pageFault(ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery());
        }
      }
      if (failure != null) {
        HcloudApi.error(ex, failure, failure == 429 ? "rate_limit_exceeded" : failure >= 500 ? "service_error"
            : "invalid_input", "injected fault " + failure);
      } else {
        api.handle(ex);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      HcloudApi.error(ex, 503, "unavailable", "interrupted");
    } catch (RuntimeException e) {
      HcloudApi.error(ex, 500, "service_error", String.valueOf(e.getMessage()));
    } finally {
      HcloudApi.beforeResponse(null);
      if (answered.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
      ex.close();
    }
  }

  /** The status of the first page fault matching this request, removed; null when none does. */
  private Integer pageFault(String path, String query) {
    Matcher m = PAGE.matcher(query == null ? "" : query);
    int page = m.find() ? Integer.parseInt(m.group(1)) : 1;
    for (int i = 0; i < pageFaults.size(); i++) {
      PageFault f = pageFaults.get(i);
      if (path.equals("/v1/" + f.collection()) && page == f.page()) {
        pageFaults.remove(i);
        return f.status();
      }
    }
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "FakeHetznerCloud[" + endpoint() + "]";
  }
}
