package dev.substrate.cloudfakes.hetzner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.cloudfakes.FakeHttpServer;
import dev.substrate.cloudfakes.FakeService;
import dev.substrate.cloudfakes.Faults;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.cloudfakes.hetzner.internal.ClusterMirror;
import dev.substrate.cloudfakes.hetzner.internal.HcloudApi;
import dev.substrate.cloudfakes.hetzner.internal.HcloudObjects;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Map;

/**
 * An in-process Hetzner Cloud API v1 ({@code servers}, {@code volumes}, {@code load_balancers}, {@code networks}) that
 * real clients can be pointed at: the hcloud CLI and the CCM/CSI through {@code HCLOUD_ENDPOINT=}{@link #endpoint()},
 * the Java client through an OkHttp interceptor. Listing honours {@code page}/{@code per_page} (default 25, at most 50)
 * with {@code meta.pagination}, and {@code label_selector}; errors use Hetzner's error document; every response
 * carries {@code RateLimit-*} headers and {@link #rateLimit} makes it answer 429. Every request is journaled.
 *
 * <pre>{@code
 * try (FakeHetznerCloud hcloud = FakeHetznerCloud.start()) {
 *   hcloud.addServer(4711, "k3s-agent-1", "cpx41", "fsn1", Map.of());
 *   // HCLOUD_ENDPOINT=hcloud.endpoint() HCLOUD_TOKEN=hcloud.token() hcloud server list -o json
 * }
 * }</pre>
 */
public final class FakeHetznerCloud implements FakeService {
  private final FakeHttpServer server;
  private final HcloudApi api;
  private final String token;

  private FakeHetznerCloud(String token) {
    this.token = token;
    this.api = new HcloudApi(token);
    server = FakeHttpServer.builder("fake-hcloud").handler(api).failures(HcloudApi::failure).start();
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
    return server.url() + "/v1";
  }

  public int port() {
    return server.port();
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

  @Override
  public FakeHttpServer server() {
    return server;
  }

  @Override
  public String toString() {
    return "FakeHetznerCloud[" + endpoint() + "]";
  }
}
