package dev.substrate;

import dev.substrate.internal.Applier;
import dev.substrate.internal.DoctorEngine;
import dev.substrate.internal.GitOpsForms;
import dev.substrate.internal.ManifestWriter;
import dev.substrate.internal.NodePools;
import dev.substrate.internal.SnapshotReader;
import dev.substrate.internal.SubstrateDetector;
import dev.substrate.spi.Check;
import dev.substrate.spi.DoctorContext;
import dev.substrate.spi.Detection;
import dev.substrate.spi.SubstrateProvider;
import dev.substrate.spi.checks.KueueChecks;
import dev.substrate.spi.checks.StorageChecks;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

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
  private final Map<String, Substrate> pools;
  private volatile Assigned lastAssigned;
  private final List<SubstrateProvider> substrateProviders;

  Substrate(String id, SubstrateConfig config, GpuStack gpuStack, Storage storage, LoadBalancer loadBalancer,
      SecretBackend secrets, List<Check> substrateChecks, Map<String, Capability> substrateCapabilities,
      Detection detection, Map<String, Substrate> pools, List<SubstrateProvider> substrateProviders) {
    this.id = id;
    this.config = config;
    this.gpuStack = gpuStack;
    this.storage = storage;
    this.loadBalancer = loadBalancer;
    this.secrets = secrets;
    this.substrateChecks = List.copyOf(substrateChecks);
    this.substrateCapabilities = Collections.unmodifiableMap(new LinkedHashMap<>(substrateCapabilities));
    this.detection = detection;
    this.pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    this.substrateProviders = List.copyOf(substrateProviders);
  }

  /** The substrate id, e.g. {@code hetzner}. */
  public String id() {
    return id;
  }

  /** The effective config: what was given, with every chosen provider id filled in. */
  public SubstrateConfig config() {
    return config;
  }

  /**
   * The cluster's node pools: its own substrate's nodes first (named by {@link #id()}), then each of
   * {@code substrate.pools} (or, when the substrate was detected, each other substrate whose nodes the cluster has).
   * One pool for a cluster on one substrate.
   */
  public List<NodePool> pools() {
    List<NodePool> all = new ArrayList<>();
    all.add(new NodePool(id, this, true));
    pools.forEach((name, pool) -> all.add(new NodePool(name, pool, false)));
    return all;
  }

  /** The pool named {@code name}, or empty. */
  public Optional<NodePool> pool(String name) {
    return pools().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * Sorts the nodes in {@code snapshot} into {@link #pools()}: nodes are grouped by providerID scheme and each group
   * goes to the pool whose substrate recognises it best. Nodes another substrate recognises better, when no pool runs
   * on it, are {@link PoolAssignment#unpooled()}; nodes no substrate recognises are in the cluster's own pool.
   */
  public PoolAssignment assign(ClusterSnapshot snapshot) {
    List<Node> nodes = snapshot.list(ResourceKind.NODES, Node.class);
    Assigned last = lastAssigned;
    if (last != null && last.nodes() == nodes) {
      return last.assignment();
    }
    PoolAssignment assignment = assign(nodes);
    lastAssigned = new Assigned(nodes, assignment);
    return assignment;
  }

  /**
   * The last nodes sorted into pools, as the snapshot (and every view of it a check gets) holds them: each pool's
   * checks sort the same nodes, which is done once.
   */
  private record Assigned(List<Node> nodes, PoolAssignment assignment) {}

  private PoolAssignment assign(List<Node> nodes) {
    Map<String, String> poolOfSubstrate = new LinkedHashMap<>();
    pools().forEach(p -> poolOfSubstrate.put(p.substrate().id(), p.name()));
    Map<String, List<Node>> assigned = new LinkedHashMap<>();
    Map<String, List<Node>> unpooled = new LinkedHashMap<>();
    Set<Node> recognised = Collections.newSetFromMap(new IdentityHashMap<>());
    for (NodePools.Group group : NodePools.bySubstrate(nodes, substrateProviders)) {
      recognised.addAll(group.nodes());
      String pool = poolOfSubstrate.get(group.substrateId());
      if (pool == null) {
        unpooled.put(group.substrateId(), group.nodes());
      } else {
        assigned.put(pool, new ArrayList<>(group.nodes()));
      }
    }
    List<Node> unrecognised = nodes.stream().filter(n -> !recognised.contains(n)).toList();
    if (!unrecognised.isEmpty()) {
      assigned.computeIfAbsent(pools().get(0).name(), k -> new ArrayList<>()).addAll(unrecognised);
    }
    Map<String, String> evidence = new LinkedHashMap<>();
    assigned.replaceAll((pool, poolNodes) -> List.copyOf(poolNodes));
    assigned.forEach((pool, poolNodes) -> evidence.put(pool, NodePools.describe(poolNodes)));
    return new PoolAssignment(assigned, unpooled, evidence);
  }

  /**
   * What the cluster is made of: {@code hetzner}, or with pools {@code hetzner + proxmox}, a pool whose name is not its
   * substrate's id named after it ({@code hetzner + proxmox (home)}).
   */
  public String describe() {
    return pools().stream().map(p -> p.name().equals(p.substrate().id) ? p.name() : p.substrate().id + " (" + p.name() + ")")
        .collect(Collectors.joining(" + "));
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

  /**
   * The resources the substrate layer adds, in apply order, with Helm charts as Argo CD Applications; identical
   * objects rendered by two facets appear once. With pools, each other pool's GPU stack and storage follow the
   * cluster's facets; the cluster keeps one default StorageClass, its own substrate's, so another pool's classes are
   * rendered without the default-class annotation.
   */
  public Rendering render() {
    return render(RenderOptions.defaults());
  }

  /**
   * As {@link #render()}, with the facets' Helm charts ({@link Facet#charts(RenderContext)}) in the form
   * {@code options.gitOps()} asks for: Argo CD Applications; or Flux HelmRepositories and HelmReleases plus one Flux
   * Kustomization of the whole layer; or, for {@code helm-values}, no object but a values file each
   * ({@link Rendering#files()}).
   *
   * @throws SubstrateException when a facet declares a chart its resources do not render as the Argo CD Application
   *     {@link dev.substrate.spi.Resources#application(HelmChart)} makes, or two facets render different objects or
   *     charts of the same name
   */
  public Rendering render(RenderOptions options) {
    Map<String, HasMetadata> byKey = new LinkedHashMap<>();
    Map<String, HelmChart> charts = new LinkedHashMap<>();
    RenderContext context = RenderContext.of(id, config);
    for (Facet facet : facets()) {
      add(byKey, charts, facet, facet.resources(context), facet.charts(context), options, "");
    }
    pools.forEach((name, pool) -> {
      RenderContext poolContext = RenderContext.of(pool.id, pool.config);
      add(byKey, charts, pool.gpuStack, pool.gpuStack.resources(poolContext), pool.gpuStack.charts(poolContext),
          options, " of pool " + name);
      add(byKey, charts, pool.storage, pool.storage.resources(poolContext).stream().map(Substrate::notDefault).toList(),
          pool.storage.charts(poolContext), options, " of pool " + name);
    });
    if (options.gitOps() == GitOps.FLUX) {
      HasMetadata kustomization = GitOpsForms.fluxKustomization(options);
      byKey.put(key(kustomization), kustomization);
    }
    return new Rendering(new ArrayList<>(byKey.values()), new ArrayList<>(charts.values()), options.gitOps());
  }

  private static void add(Map<String, HasMetadata> byKey, Map<String, HelmChart> charts, Facet facet,
      List<HasMetadata> resources, List<HelmChart> facetCharts, RenderOptions options, String where) {
    String who = "the " + facet.type().displayName() + " '" + facet.id() + "'" + where;
    for (HasMetadata r : GitOpsForms.swap(resources, facetCharts, options.gitOps(), who)) {
      HasMetadata earlier = byKey.putIfAbsent(key(r), r);
      if (earlier != null && !ManifestWriter.toYaml(earlier).equals(ManifestWriter.toYaml(r))) {
        throw conflict(r.getKind() + " " + r.getMetadata().getName(), who);
      }
    }
    for (HelmChart chart : facetCharts) {
      HelmChart earlier = charts.putIfAbsent(chart.releaseName(), chart);
      if (earlier != null && !earlier.equals(chart)) {
        throw conflict("Helm releases " + chart.releaseName(), who);
      }
    }
  }

  private static SubstrateException conflict(String what, String who) {
    return new SubstrateException("two facets render different " + what + "; " + who
        + " conflicts with an earlier facet");
  }

  private static String key(HasMetadata r) {
    return r.getApiVersion() + "/" + r.getKind() + "/" + r.getMetadata().getNamespace() + "/"
        + r.getMetadata().getName();
  }

  private static HasMetadata notDefault(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    if (!"StorageClass".equals(resource.getKind()) || annotations == null
        || !annotations.containsKey(StorageChecks.DEFAULT_CLASS_ANNOTATION)) {
      return resource;
    }
    HasMetadata copy = ClusterSnapshot.SERIALIZATION.clone(resource);
    copy.getMetadata().getAnnotations().remove(StorageChecks.DEFAULT_CLASS_ANNOTATION);
    return copy;
  }

  /**
   * Every doctor check: the substrate's own (whether the nodes match it, then its provider's), then each facet's, then
   * Kueue's quota against the nodes ({@link KueueChecks}; they skip where Kueue is not installed). With pools,
   * {@code substrate.pools} checks that every node is in a pool; each pool's substrate, GPU stack and storage checks
   * then run on that pool's nodes alone, their ids prefixed with the pool's name ({@code home/gpu.nodes}); the load
   * balancer, secrets and Kueue checks follow, for the whole cluster.
   */
  public List<Check> checks() {
    List<Check> all = new ArrayList<>();
    if (pools.isEmpty()) {
      all.addAll(substrateChecks);
      facets().forEach(f -> all.addAll(f.checks()));
    } else {
      all.add(PoolChecks.assignment(this));
      for (NodePool pool : pools()) {
        all.addAll(PoolChecks.of(this, pool));
      }
      all.addAll(loadBalancer.checks());
      all.addAll(secrets.checks());
    }
    boolean fixedNodes = capability(CapabilityIds.GPU_SCALE_TO_ZERO)
        .map(c -> c.state() == CapabilityState.UNSUPPORTED).orElse(false);
    all.addAll(KueueChecks.all(fixedNodes));
    return all;
  }

  /** The substrate's own checks, without the one that the nodes match it (pools check that for all of them). */
  List<Check> ownChecks() {
    return substrateChecks.stream().filter(c -> !c.id().equals(SubstrateDetector.CHECK_ID)).toList();
  }

  /**
   * Which pools can run {@code pod}: a pod that requests a GPU resource ({@code nvidia.com/...}) needs a node in the
   * pool that has it allocatable, or a pool that can add GPU nodes; a pod that mounts a ReadWriteMany claim (one of
   * {@code claims}, or an ephemeral volume) needs a pool whose storage serves ReadWriteMany.
   */
  public List<Placement> placements(Pod pod, Collection<PersistentVolumeClaim> claims, ClusterSnapshot nodes) {
    return Placements.of(this, pod, claims, assign(nodes));
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
    return DoctorEngine.run(describe(), checks(), snapshot, context);
  }

  /**
   * Server-side applies {@link #render(RenderOptions)} with {@code options.rendering()} to the cluster.
   *
   * @throws ConfigException for {@link GitOps#HELM_VALUES}, which leaves the charts to {@code helm}
   */
  public ApplyResult apply(KubernetesClient client, ApplyOptions options) {
    if (options.rendering().gitOps() == GitOps.HELM_VALUES) {
      throw new ConfigException("gitops was 'helm-values' but apply installs only what Argo CD or Flux reconcile: "
          + "apply with argocd or flux, or render with helm-values and run the helm commands in " + GitOpsForms.NOTES);
    }
    return new Applier(client, options).apply(render(options.rendering()).resources());
  }

  @Override
  public String toString() {
    return "Substrate[" + id + ": gpu_stack=" + gpuStack.id() + ", storage=" + storage.id() + ", load_balancer="
        + loadBalancer.id() + ", secret_backend=" + secrets.id()
        + (pools.isEmpty() ? "" : ", pools=" + pools) + "]";
  }
}
