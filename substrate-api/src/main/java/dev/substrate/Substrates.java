package dev.substrate;

import dev.substrate.internal.ProviderRegistry;
import dev.substrate.internal.SubstrateDetector;
import dev.substrate.spi.Check;
import dev.substrate.spi.Detection;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.LoadBalancerProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import dev.substrate.spi.StorageProvider;
import dev.substrate.spi.SubstrateDefaults;
import dev.substrate.spi.SubstrateProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Creates {@link Substrate}s. Each facet is chosen in one place, in this order: an explicit instance given to the
 * builder, else the id from config, else the substrate's default; the substrate itself is an explicit instance, else
 * {@code substrate.id} from config, else detected from the cluster's nodes. The substrate's own capabilities refine
 * the facets' ({@link dev.substrate.spi.SubstrateProvider#capabilities}).
 *
 * <pre>{@code
 * Substrate s = Substrates.create(SubstrateConfig.load(Path.of("config.yaml")));
 * Substrate detected = Substrates.builder().client(kubernetesClient).build();
 * Substrate custom = Substrates.builder().config(config).storage(myStorage).build();
 * }</pre>
 */
public final class Substrates {
  private Substrates() {}

  /** The substrate {@code config} names, with providers found through {@link java.util.ServiceLoader}. */
  public static Substrate create(SubstrateConfig config) {
    return builder().config(config).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every provider id the default loader finds, by facet key ({@code substrate}, {@code gpu_stack}, ...). */
  public static Map<String, List<String>> availableIds() {
    return availableIds(ProviderLoader.serviceLoader());
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

  /** Chooses providers and makes the substrate. */
  public static final class Builder {
    private SubstrateConfig config = SubstrateConfig.defaults();
    private ProviderLoader loader = ProviderLoader.serviceLoader();
    private KubernetesClient client;
    private ClusterSnapshot nodes;
    private SubstrateProvider substrate;
    private GpuStack gpuStack;
    private Storage storage;
    private LoadBalancer loadBalancer;
    private SecretBackend secretBackend;

    public Builder config(SubstrateConfig config) {
      this.config = config;
      return this;
    }

    /** Where providers come from; {@link ProviderLoader#serviceLoader()} by default. */
    public Builder loader(ProviderLoader loader) {
      this.loader = loader;
      return this;
    }

    /** The cluster: used to detect the substrate when config names none, and by backends that store in it. */
    public Builder client(KubernetesClient client) {
      this.client = client;
      return this;
    }

    /**
     * Nodes already listed: when config names no substrate, it is detected from them rather than by listing the
     * cluster's nodes again. Pass the same snapshot to {@link Substrate#doctor(KubernetesClient, ClusterSnapshot,
     * java.util.function.Consumer)} so doctor lists them once.
     */
    public Builder nodes(ClusterSnapshot nodes) {
      this.nodes = nodes;
      return this;
    }

    /** Uses this substrate regardless of config or cluster. */
    public Builder substrate(SubstrateProvider substrate) {
      this.substrate = substrate;
      return this;
    }

    public Builder gpuStack(GpuStack gpuStack) {
      this.gpuStack = gpuStack;
      return this;
    }

    public Builder storage(Storage storage) {
      this.storage = storage;
      return this;
    }

    public Builder loadBalancer(LoadBalancer loadBalancer) {
      this.loadBalancer = loadBalancer;
      return this;
    }

    public Builder secretBackend(SecretBackend secretBackend) {
      this.secretBackend = secretBackend;
      return this;
    }

    /**
     * Makes the substrate.
     *
     * @throws ProviderNotFoundException when an id names no provider
     * @throws ProviderConflictException when two providers claim one id
     * @throws ConfigException when config is invalid for the chosen providers, or no substrate can be chosen
     */
    public Substrate build() {
      Registries registries = new Registries(loader);
      Detection detection = null;
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
        detection = nodes != null ? SubstrateDetector.detect(nodes, registries.substrates.providers())
            : SubstrateDetector.detect(client, registries.substrates.providers());
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
      Map<String, Capability> refinements = new LinkedHashMap<>();
      for (Capability c : chosen.capabilities(context)) {
        if (refinements.putIfAbsent(c.id(), c) != null) {
          throw new SubstrateException("substrate '" + substrateId + "' (" + chosen.getClass().getName()
              + ") declares capability " + c.id() + " twice; declare each id once");
        }
      }
      return new Substrate(substrateId, effectiveConfig, gpu, store, lb, secrets, substrateChecks, refinements,
          detection);
    }
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
