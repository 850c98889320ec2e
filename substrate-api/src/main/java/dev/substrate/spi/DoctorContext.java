package dev.substrate.spi;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a doctor run offers a check beyond its snapshot: the live cluster (absent when doctor runs from a dump),
 * places to record the requests a check makes (to the cluster or to APIs outside it), values shared by the checks of
 * one run, and progress.
 * Checks that need it implement {@link Check#run(dev.substrate.ClusterSnapshot, DoctorContext)}.
 *
 * <pre>{@code
 * Inventory inventory = context.shared("hcloud.inventory", () -> client.read());   // read once per run
 * context.countRequests("hcloud", inventory.requests());
 * context.countClusterWrite("secrets.wif.token created a TokenRequest for NS/NAME");   // sent through client()
 * }</pre>
 */
public final class DoctorContext {
  private final KubernetesClient client;
  private final Consumer<String> progress;
  private final Map<String, Object> shared = new ConcurrentHashMap<>();
  private final Map<String, Integer> requests = new TreeMap<>();
  private final List<String> clusterWrites = new ArrayList<>();
  private int clusterRequests;

  private DoctorContext(KubernetesClient client, Consumer<String> progress) {
    this.client = client;
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** A run against a live cluster. */
  public static DoctorContext live(KubernetesClient client, Consumer<String> progress) {
    return new DoctorContext(Objects.requireNonNull(client, "client"), progress);
  }

  /** A run without a cluster connection, for example over a dump. */
  public static DoctorContext offline(Consumer<String> progress) {
    return new DoctorContext(null, progress);
  }

  /** The cluster doctor reads; empty when it runs from a dump. */
  public Optional<KubernetesClient> client() {
    return Optional.ofNullable(client);
  }

  /** Records {@code count} requests made to the API named {@code api}, such as {@code hcloud}; the report shows them. */
  public void countRequests(String api, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count was " + count + " but must be 0 or more");
    }
    synchronized (requests) {
      requests.merge(api, count, Integer::sum);
    }
  }

  /**
   * Records {@code count} reads a check made to the Kubernetes API through {@link #client()}; the report adds them to
   * the snapshot's LISTs.
   */
  public void countClusterRequests(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count was " + count + " but must be 0 or more");
    }
    synchronized (requests) {
      clusterRequests += count;
    }
  }

  /**
   * Records one write a check made to the Kubernetes API through {@link #client()}, saying what it did, such as
   * {@code created a TokenRequest for NS/NAME}; it counts as a request, and the report lists it.
   */
  public void countClusterWrite(String what) {
    Objects.requireNonNull(what, "what");
    synchronized (requests) {
      clusterRequests++;
      clusterWrites.add(what);
    }
  }

  /** Requests checks made to the Kubernetes API through {@link #client()}, writes included. */
  public int clusterRequests() {
    synchronized (requests) {
      return clusterRequests;
    }
  }

  /** The writes checks made to the Kubernetes API, in order. */
  public List<String> clusterWrites() {
    synchronized (requests) {
      return List.copyOf(clusterWrites);
    }
  }

  /** Requests per API outside the cluster, by API name. */
  public Map<String, Integer> requests() {
    synchronized (requests) {
      return Map.copyOf(requests);
    }
  }

  /**
   * The value under {@code key}, computed by the first check that asks and shared with the others in this run, so
   * checks that need the same external read make it once. A failed computation is not kept.
   */
  @SuppressWarnings("unchecked")
  public <T> T shared(String key, Supplier<T> compute) {
    Object value = shared.get(key);
    if (value == null) {
      value = compute.get();
      Object earlier = shared.putIfAbsent(key, value);
      if (earlier != null) {
        value = earlier;
      }
    }
    return (T) value;
  }

  /** Reports a step of a long operation, such as {@code listing hcloud servers (page 3)}. */
  public void progress(String line) {
    progress.accept(line);
  }
}
