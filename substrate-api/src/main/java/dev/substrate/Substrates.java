package dev.substrate;

import dev.substrate.internal.ProviderSelection;
import dev.substrate.spi.SubstrateProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    return ProviderSelection.availableIds(loader);
  }

  /** Chooses providers and makes the substrate. */
  public static final class Builder {
    private final ProviderSelection selection = new ProviderSelection();

    public Builder config(SubstrateConfig config) {
      selection.config(config);
      return this;
    }

    /** Where providers come from; {@link ProviderLoader#serviceLoader()} by default. */
    public Builder loader(ProviderLoader loader) {
      selection.loader(loader);
      return this;
    }

    /** The cluster: used to detect the substrate when config names none, and by backends that store in it. */
    public Builder client(KubernetesClient client) {
      selection.client(client);
      return this;
    }

    /**
     * Nodes already listed: when config names no substrate, it is detected from them rather than by listing the
     * cluster's nodes again. Pass the same snapshot to {@link Substrate#doctor(KubernetesClient, ClusterSnapshot,
     * java.util.function.Consumer)} so doctor lists them once.
     */
    public Builder nodes(ClusterSnapshot nodes) {
      selection.nodes(nodes);
      return this;
    }

    /** Uses this substrate regardless of config or cluster. */
    public Builder substrate(SubstrateProvider substrate) {
      selection.substrate(substrate);
      return this;
    }

    public Builder gpuStack(GpuStack gpuStack) {
      selection.gpuStack(gpuStack);
      return this;
    }

    public Builder storage(Storage storage) {
      selection.storage(storage);
      return this;
    }

    public Builder loadBalancer(LoadBalancer loadBalancer) {
      selection.loadBalancer(loadBalancer);
      return this;
    }

    public Builder secretBackend(SecretBackend secretBackend) {
      selection.secretBackend(secretBackend);
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
      return substrate(selection.select());
    }

    private static Substrate substrate(ProviderSelection.Chosen c) {
      Map<String, Substrate> pools = new LinkedHashMap<>();
      c.pools().forEach((name, pool) -> pools.put(name, substrate(pool)));
      return new Substrate(c.substrateId(), c.config(), c.gpuStack(), c.storage(), c.loadBalancer(), c.secretBackend(),
          c.substrateChecks(), c.substrateCapabilities(), c.detection(), pools, c.substrates());
    }
  }
}
