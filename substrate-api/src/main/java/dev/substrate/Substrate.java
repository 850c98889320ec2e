package dev.substrate;

import dev.substrate.internal.Applier;
import dev.substrate.internal.DoctorEngine;
import dev.substrate.internal.ManifestWriter;
import dev.substrate.internal.SnapshotReader;
import dev.substrate.spi.Check;
import dev.substrate.spi.DoctorContext;
import dev.substrate.spi.Detection;
import dev.substrate.spi.checks.KueueChecks;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A substrate: one chosen implementation of each facet, with the config they were made from. Made by
 * {@link Substrates}; immutable and safe to share.
 *
 * <pre>{@code
 * Substrate substrate = Substrates.create(config);
 * substrate.capabilities().forEach(System.out::println);
 * substrate.render().writeTo(Path.of("out"));
 * System.out.print(substrate.doctor(client).toText());
 * }</pre>
 */
public final class Substrate {
  private final String id;
  private final SubstrateConfig config;
  private final GpuStack gpuStack;
  private final Storage storage;
  private final LoadBalancer loadBalancer;
  private final SecretBackend secrets;
  private final List<Check> substrateChecks;
  private final Map<String, Capability> substrateCapabilities;
  private final Detection detection;

  Substrate(String id, SubstrateConfig config, GpuStack gpuStack, Storage storage, LoadBalancer loadBalancer,
      SecretBackend secrets, List<Check> substrateChecks, Map<String, Capability> substrateCapabilities,
      Detection detection) {
    this.id = id;
    this.config = config;
    this.gpuStack = gpuStack;
    this.storage = storage;
    this.loadBalancer = loadBalancer;
    this.secrets = secrets;
    this.substrateChecks = List.copyOf(substrateChecks);
    this.substrateCapabilities = Collections.unmodifiableMap(new LinkedHashMap<>(substrateCapabilities));
    this.detection = detection;
  }

  /** The substrate id, e.g. {@code hetzner}. */
  public String id() {
    return id;
  }

  /** The effective config: what was given, with every chosen provider id filled in. */
  public SubstrateConfig config() {
    return config;
  }

  /** How the substrate was recognised, when it was detected from a cluster rather than named. */
  public Optional<Detection> detection() {
    return Optional.ofNullable(detection);
  }

  public GpuStack gpuStack() {
    return gpuStack;
  }

  public Storage storage() {
    return storage;
  }

  public LoadBalancer loadBalancer() {
    return loadBalancer;
  }

  public SecretBackend secrets() {
    return secrets;
  }

  /** The four facets in a fixed order: GPU stack, storage, load balancer, secret backend. */
  public List<Facet> facets() {
    return List.of(gpuStack, storage, loadBalancer, secrets);
  }

  /**
   * Every capability, in facet order: each facet's, where the substrate states a capability with the same id (a fact
   * about its machines, such as GPU servers that never scale to zero) the substrate's instead; then the substrate's
   * capabilities that no facet declares.
   */
  public List<Capability> capabilities() {
    List<Capability> all = new ArrayList<>();
    Set<String> declared = new HashSet<>();
    for (Facet facet : facets()) {
      facet.capabilities().forEach(c -> declared.add(c.id()));
      all.addAll(capabilities(facet.type()));
    }
    substrateCapabilities.values().stream().filter(c -> !declared.contains(c.id())).forEach(all::add);
    return all;
  }

  /** One facet's capabilities as this substrate has them: the facet's own, each refined by the substrate's. */
  public List<Capability> capabilities(FacetType type) {
    Facet facet = facets().stream().filter(f -> f.type() == type).findFirst().orElseThrow();
    return facet.capabilities().stream().map(c -> substrateCapabilities.getOrDefault(c.id(), c)).toList();
  }

  public Optional<Capability> capability(String capabilityId) {
    return capabilities().stream().filter(c -> c.id().equals(capabilityId)).findFirst();
  }

  /** The resources the substrate layer adds, in apply order; identical objects rendered by two facets appear once. */
  public Rendering render() {
    RenderContext context = RenderContext.of(id, config);
    Map<String, HasMetadata> byKey = new LinkedHashMap<>();
    for (Facet facet : facets()) {
      for (HasMetadata r : facet.resources(context)) {
        String key = r.getApiVersion() + "/" + r.getKind() + "/" + r.getMetadata().getNamespace() + "/"
            + r.getMetadata().getName();
        HasMetadata earlier = byKey.putIfAbsent(key, r);
        if (earlier != null && !ManifestWriter.toYaml(earlier).equals(ManifestWriter.toYaml(r))) {
          throw new SubstrateException("two facets render different " + r.getKind() + " " + r.getMetadata().getName()
              + "; the " + facet.type().displayName() + " '" + facet.id() + "' conflicts with an earlier facet");
        }
      }
    }
    return new Rendering(new ArrayList<>(byKey.values()));
  }

  /**
   * Every doctor check: the substrate's own (whether the nodes match it, then its provider's), then each facet's, then
   * Kueue's quota against the nodes ({@link KueueChecks}; they skip where Kueue is not installed).
   */
  public List<Check> checks() {
    List<Check> all = new ArrayList<>(substrateChecks);
    facets().forEach(f -> all.addAll(f.checks()));
    boolean fixedNodes = capability(CapabilityIds.GPU_SCALE_TO_ZERO)
        .map(c -> c.state() == CapabilityState.UNSUPPORTED).orElse(false);
    all.addAll(KueueChecks.all(fixedNodes));
    return all;
  }

  /** The kinds doctor lists, each once. */
  public Set<ResourceKind> reads() {
    return DoctorEngine.reads(checks());
  }

  /**
   * Reads the cluster once (one paginated LIST per kind) and runs every check. Each request is sent once, without the
   * client's retries; the report counts them all.
   */
  public Report doctor(KubernetesClient client) {
    return doctor(client, line -> {});
  }

  /** As {@link #doctor(KubernetesClient)}, reporting each read to {@code progress}. */
  public Report doctor(KubernetesClient client, Consumer<String> progress) {
    return doctor(client, ClusterSnapshot.builder().build(), progress);
  }

  /**
   * As {@link #doctor(KubernetesClient, Consumer)}, reusing the kinds {@code alreadyRead} holds, such as the nodes the
   * substrate was detected from ({@link Substrates.Builder#nodes(ClusterSnapshot)}), and listing only the others; the
   * report counts {@code alreadyRead}'s requests too.
   */
  public Report doctor(KubernetesClient client, ClusterSnapshot alreadyRead, Consumer<String> progress) {
    Set<ResourceKind> missing = new TreeSet<>(reads());
    missing.removeAll(alreadyRead.kinds());
    ClusterSnapshot read = ClusterSnapshot.read(client, missing, progress);
    ClusterSnapshot all = ClusterSnapshot.builder().source(read.source()).addAll(alreadyRead).addAll(read)
        .apiRequests(alreadyRead.apiRequests() + read.apiRequests()).build();
    return doctor(all, DoctorContext.live(SnapshotReader.withoutRetries(client), progress));
  }

  /** Runs every check against a snapshot, for example one loaded from a dump; checks that need the cluster skip. */
  public Report doctor(ClusterSnapshot snapshot) {
    return doctor(snapshot, DoctorContext.offline(line -> {}));
  }

  /** Runs every check against a snapshot, with {@code context} for checks that reach beyond it. */
  public Report doctor(ClusterSnapshot snapshot, DoctorContext context) {
    return DoctorEngine.run(id, checks(), snapshot, context);
  }

  /** Server-side applies {@link #render()} to the cluster. */
  public ApplyResult apply(KubernetesClient client, ApplyOptions options) {
    return new Applier(client, options).apply(render().resources());
  }

  @Override
  public String toString() {
    return "Substrate[" + id + ": gpu_stack=" + gpuStack.id() + ", storage=" + storage.id() + ", load_balancer="
        + loadBalancer.id() + ", secret_backend=" + secrets.id() + "]";
  }
}
