package dev.substrate.internal;

import dev.substrate.Capability;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ConfigException;
import dev.substrate.FacetType;
import dev.substrate.GpuStack;
import dev.substrate.LoadBalancer;
import dev.substrate.LoadBalancerConfig;
import dev.substrate.NodePoolConfig;
import dev.substrate.ProviderLoader;
import dev.substrate.ResourceKind;
import dev.substrate.SecretBackend;
import dev.substrate.Storage;
import dev.substrate.StorageConfig;
import dev.substrate.SubstrateConfig;
import dev.substrate.SubstrateException;
import dev.substrate.spi.Check;
import dev.substrate.spi.Detection;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.LoadBalancerProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import dev.substrate.spi.StorageProvider;
import dev.substrate.spi.SubstrateDefaults;
import dev.substrate.spi.SubstrateProvider;
import dev.substrate.spi.checks.GpuTenancyChecks;
import dev.substrate.spi.gpu.GpuCatalog;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Chooses a substrate and its facets. The substrate: an explicit instance, else {@code substrate.id} from config, else
 * detected from the nodes (given, or listed through the client). Each facet: an explicit instance, else the id from
 * config, else the substrate's default. Unknown and duplicate ids fail in {@link ProviderRegistry}.
 */
public final class ProviderSelection {
  /** What was chosen: everything a {@code Substrate} is made of. */
  public record Chosen(String substrateId, SubstrateConfig config, GpuStack gpuStack, Storage storage,
      LoadBalancer loadBalancer, SecretBackend secretBackend, List<Check> substrateChecks,
      Map<String, Capability> substrateCapabilities, Detection detection, Map<String, Chosen> pools,
      List<SubstrateProvider> substrates) {}

  private SubstrateConfig config = SubstrateConfig.defaults();
  private ProviderLoader loader = ProviderLoader.serviceLoader();
  private KubernetesClient client;
  private ClusterSnapshot nodes;
  private SubstrateProvider substrate;
  private GpuStack gpuStack;
  private Storage storage;
  private LoadBalancer loadBalancer;
  private SecretBackend secretBackend;

  public void config(SubstrateConfig config) {
    this.config = config;
  }

  public void loader(ProviderLoader loader) {
    this.loader = loader;
  }

  public void client(KubernetesClient client) {
    this.client = client;
  }

  public void nodes(ClusterSnapshot nodes) {
    this.nodes = nodes;
  }

  public void substrate(SubstrateProvider substrate) {
    this.substrate = substrate;
  }

  public void gpuStack(GpuStack gpuStack) {
    this.gpuStack = gpuStack;
  }

  public void storage(Storage storage) {
    this.storage = storage;
  }

  public void loadBalancer(LoadBalancer loadBalancer) {
    this.loadBalancer = loadBalancer;
  }

  public void secretBackend(SecretBackend secretBackend) {
    this.secretBackend = secretBackend;
  }

  /** Every provider id {@code loader} finds, by facet key. */
  public static Map<String, List<String>> availableIds(ProviderLoader loader) {
    Registries r = new Registries(loader);
    Map<String, List<String>> ids = new TreeMap<>();
    ids.put("substrate", r.substrates.ids());
    ids.put(FacetType.GPU_STACK.configKey(), r.gpuStacks.ids());
    ids.put(FacetType.STORAGE.configKey(), r.storages.ids());
    ids.put(FacetType.LOAD_BALANCER.configKey(), r.loadBalancers.ids());
    ids.put(FacetType.SECRET_BACKEND.configKey(), r.secretBackends.ids());
    return ids;
  }

  public Chosen select() {
    Registries registries = new Registries(loader);
    Detection detection = null;
    SubstrateConfig config = this.config;
    SubstrateProvider chosen = substrate;
    if (chosen == null && config.substrate().isPresent()) {
      chosen = registries.substrates.get(config.substrate().get());
    }
    if (chosen == null) {
      if (client == null && nodes == null) {
        throw new ConfigException("substrate.id was '' but must be one of "
            + String.join(", ", registries.substrates.ids())
            + " (or pass a cluster to detect it from its nodes)");
      }
      ClusterSnapshot read = nodes != null ? nodes : ClusterSnapshot.read(client, Set.of(ResourceKind.NODES));
      detection = SubstrateDetector.detect(read, registries.substrates.providers());
      List<NodePools.Group> groups = NodePools.bySubstrate(read.list(ResourceKind.NODES, Node.class),
          registries.substrates.providers());
      if (groups.size() > 1 && config.pools().isEmpty()) {
        // Several substrates' nodes: the control plane's substrate is the cluster's, each other one a pool.
        SubstrateConfig.Builder pooled = SubstrateConfig.builder().from(config);
        for (NodePools.Group g : groups.subList(1, groups.size())) {
          pooled.putPools(g.substrateId(), NodePoolConfig.builder().substrate(g.substrateId()).build());
        }
        config = pooled.build();
        detection = Detection.of(groups.get(0).substrateId(), detection.score(), groups.stream()
            .map(g -> g.substrateId() + ": " + g.evidence()).collect(Collectors.joining("; ")));
      }
      chosen = registries.substrates.get(detection.substrateId());
    }
    String substrateId = chosen.id();
    SubstrateDefaults defaults = chosen.defaults();

    String gpuId = gpuStack != null ? gpuStack.id() : config.gpuStack().orElse(defaults.gpuStack());
    String storageId = storage != null ? storage.id() : config.storage().provider().orElse(defaults.storage());
    String lbId = loadBalancer != null ? loadBalancer.id()
        : config.loadBalancer().provider().orElse(defaults.loadBalancer());
    String secretsId = secretBackend != null ? secretBackend.id()
        : config.secretBackend().orElse(defaults.secretBackend());

    // Resolve aliases (gcpsm -> gcp-secret-manager) before the config records the choice.
    if (secretBackend == null) {
      secretsId = registries.secretBackends.get(secretsId).id();
    }
    SubstrateConfig.Builder effective = SubstrateConfig.builder().from(config)
        .substrate(substrateId)
        .gpuStack(gpuId)
        .secretBackend(secretsId)
        .storage(StorageConfig.builder().from(config.storage()).provider(storageId).build())
        .loadBalancer(LoadBalancerConfig.builder().from(config.loadBalancer()).provider(lbId).build());
    if (config.secretStoreAuth().isEmpty() && defaults.secretStoreAuth().isPresent()) {
      effective.secretStoreAuth(defaults.secretStoreAuth());
    }
    SubstrateConfig effectiveConfig = effective.build();
    ProviderContext context = new ProviderContext(effectiveConfig, substrateId, client);

    GpuStack gpu = gpuStack != null ? gpuStack : registries.gpuStacks.get(gpuId).create(context);
    Storage store = storage != null ? storage : registries.storages.get(storageId).create(context);
    LoadBalancer lb = loadBalancer != null ? loadBalancer : registries.loadBalancers.get(lbId).create(context);
    SecretBackend secrets = secretBackend != null ? secretBackend
        : registries.secretBackends.get(secretsId).create(context);

    List<Check> substrateChecks = new ArrayList<>();
    substrateChecks.add(SubstrateDetector.check(substrateId, registries.substrates.providers()));
    substrateChecks.addAll(chosen.checks(context));
    // gpu.tenancy is sized the same way on every substrate, against what its nodes may carry.
    GpuCatalog catalog = chosen.gpuCatalog();
    substrateChecks.add(GpuTenancyChecks.fit(effectiveConfig.gpu(), catalog));
    substrateChecks.add(GpuTenancyChecks.migCapable(effectiveConfig.gpu(), catalog));
    Map<String, Capability> refinements = new LinkedHashMap<>();
    for (Capability c : chosen.capabilities(context)) {
      if (refinements.putIfAbsent(c.id(), c) != null) {
        throw new SubstrateException("substrate '" + substrateId + "' (" + chosen.getClass().getName()
            + ") declares capability " + c.id() + " twice; declare each id once");
      }
    }
    Map<String, Chosen> pools = new LinkedHashMap<>();
    config.pools().forEach((name, pool) -> pools.put(name, pool(pool, effectiveConfig, lb, secrets)));
    return new Chosen(substrateId, effectiveConfig, gpu, store, lb, secrets, substrateChecks, refinements, detection,
        pools, registries.substrates.providers());
  }

  /**
   * A pool's substrate: its own GPU stack (else the cluster's {@code gpu_stack}, else its substrate's default) and
   * storage (else its substrate's default); the cluster's load balancer and secret backend.
   */
  private Chosen pool(NodePoolConfig pool, SubstrateConfig cluster, LoadBalancer lb, SecretBackend secrets) {
    SubstrateConfig.Builder config = SubstrateConfig.builder().from(cluster).pools(Map.of())
        .substrate(pool.substrate())
        .storage(StorageConfig.builder().from(cluster.storage()).provider(pool.storage()).build());
    config.gpuStack(pool.gpuStack().or(() -> this.config.gpuStack()));
    ProviderSelection selection = new ProviderSelection();
    selection.config(config.build());
    selection.loader(loader);
    selection.client(client);
    selection.gpuStack(gpuStack);
    selection.loadBalancer(lb);
    selection.secretBackend(secrets);
    return selection.select();
  }

  private static final class Registries {
    final ProviderRegistry<SubstrateProvider> substrates;
    final ProviderRegistry<GpuStackProvider> gpuStacks;
    final ProviderRegistry<StorageProvider> storages;
    final ProviderRegistry<LoadBalancerProvider> loadBalancers;
    final ProviderRegistry<SecretBackendProvider> secretBackends;

    Registries(ProviderLoader loader) {
      substrates = ProviderRegistry.load(loader, SubstrateProvider.class, "substrate", null);
      gpuStacks = ProviderRegistry.load(loader, GpuStackProvider.class, "gpu_stack", FacetType.GPU_STACK);
      storages = ProviderRegistry.load(loader, StorageProvider.class, "storage", FacetType.STORAGE);
      loadBalancers = ProviderRegistry.load(loader, LoadBalancerProvider.class, "load_balancer", FacetType.LOAD_BALANCER);
      secretBackends =
          ProviderRegistry.load(loader, SecretBackendProvider.class, "secret_backend", FacetType.SECRET_BACKEND);
    }
  }
}
