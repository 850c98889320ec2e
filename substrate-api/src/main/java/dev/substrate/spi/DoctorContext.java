package dev.substrate.spi;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a doctor run offers a check beyond its snapshot: the live cluster (absent when doctor runs from a dump),
 * a place to record requests made to APIs outside the cluster, values shared by the checks of one run, and progress.
 * Checks that need it implement {@link Check#run(dev.substrate.ClusterSnapshot, DoctorContext)}.
 *
 * <pre>{@code
 * Inventory inventory = context.shared("hcloud.inventory", () -> client.read());   // read once per run
 * context.countRequests("hcloud", inventory.requests());
 * }</pre>
 */
public final class DoctorContext {
  private final KubernetesClient client;
  private final Consumer<String> progress;
  private final Map<String, Object> shared = new ConcurrentHashMap<>();
  private final Map<String, Integer> requests = new TreeMap<>();

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
