package dev.substrate;

import dev.substrate.spi.Check;
import dev.substrate.spi.Detection;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.LoadBalancerProvider;
import dev.substrate.spi.NodeFingerprint;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import dev.substrate.spi.StorageProvider;
import dev.substrate.spi.SubstrateDefaults;
import dev.substrate.spi.SubstrateProvider;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Set;

/** Small providers for testing the engine without any real module. */
final class TestProviders {
  private TestProviders() {}

  static ProviderLoader loader() {
    return ProviderLoader.of(new TestSubstrate("alpha", "alpha://"), new TestSubstrate("beta", "beta://"),
        new TestGpu(), new TestStorage(), new TestLb(), new TestSecrets("memory"), new TestSecrets("other"));
  }

  static class TestSubstrate implements SubstrateProvider {
    private final String id;
    private final String scheme;
    /** How often {@link #detect} ran. */
    final AtomicInteger detections = new AtomicInteger();

    TestSubstrate(String id, String scheme) {
      this.id = id;
      this.scheme = scheme;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public SubstrateDefaults defaults() {
      return SubstrateDefaults.builder().gpuStack("test-gpu").storage("test-storage").loadBalancer("test-lb")
          .secretBackend("memory").build();
    }

    @Override
    public Optional<Detection> detect(ClusterSnapshot nodes) {
      detections.incrementAndGet();
      NodeFingerprint fp = NodeFingerprint.of(nodes);
      return fp.withScheme(scheme) > 0 ? Optional.of(Detection.of(id, 80, fp.describe())) : Optional.empty();
    }
  }

  static final class TestGpu implements GpuStackProvider {
    @Override
    public String id() {
      return "test-gpu";
    }

    @Override
    public GpuStack create(ProviderContext context) {
      return new GpuStack() {
        @Override
        public String id() {
          return "test-gpu";
        }

        @Override
        public List<Capability> capabilities() {
          return List.of(Capability.of(CapabilityIds.GPU_MIG, CapabilityState.UNSUPPORTED, "test GPUs cannot", "buy others"));
        }

        @Override
        public List<HasMetadata> resources(RenderContext ctx) {
          return List.of(
              new ConfigMapBuilder().withNewMetadata().withName("gpu-config").withNamespace("gpu").endMetadata()
                  .addToData("replicas", String.valueOf(ctx.config().gpu().tenancyReplicas())).build(),
              new NamespaceBuilder().withNewMetadata().withName("gpu").endMetadata().build());
        }

        @Override
        public List<Check> checks() {
          return List.of(Check.of("gpu.nodes", Set.of(ResourceKind.NODES),
              s -> CheckResult.pass("gpu.nodes", s.list(ResourceKind.NODES).size() + " nodes")));
        }
      };
    }
  }

  static final class TestStorage implements StorageProvider {
    @Override
    public String id() {
      return "test-storage";
    }

    @Override
    public Storage create(ProviderContext context) {
      return new Storage() {
        @Override
        public String id() {
          return "test-storage";
        }

        @Override
        public Optional<String> provisioner() {
          return Optional.empty();
        }

        @Override
        public Optional<String> defaultClassName() {
          return Optional.empty();
        }

        @Override
        public List<Capability> capabilities() {
          return List.of(Capability.of(CapabilityIds.STORAGE_RWX, CapabilityState.SUPPORTED, "test storage shares", null));
        }

        @Override
        public List<HasMetadata> resources(RenderContext ctx) {
          return List.of();
        }

        @Override
        public List<Check> checks() {
          return List.of(Check.of("storage.classes", Set.of(ResourceKind.STORAGE_CLASSES),
              s -> s.list(ResourceKind.STORAGE_CLASSES).isEmpty()
                  ? CheckResult.fail("storage.classes", "no StorageClass", "install one")
                  : CheckResult.pass("storage.classes", "found")),
              Check.of("storage.sneaky", Set.of(ResourceKind.STORAGE_CLASSES),
                  s -> CheckResult.pass("storage.sneaky", s.list(ResourceKind.NODES).size() + " nodes")));
        }
      };
    }
  }

  static final class TestLb implements LoadBalancerProvider {
    @Override
    public String id() {
      return "test-lb";
    }

    @Override
    public LoadBalancer create(ProviderContext context) {
      return new LoadBalancer() {
        @Override
        public String id() {
          return "test-lb";
        }

        @Override
        public Map<String, String> serviceAnnotations(LoadBalancerIntent intent) {
          return Map.of();
        }

        @Override
        public List<Capability> capabilities() {
          return List.of();
        }

        @Override
        public List<HasMetadata> resources(RenderContext ctx) {
          return List.of();
        }

        @Override
        public List<Check> checks() {
          return List.of(Check.of("lb.stores", Set.of(ResourceKind.CLUSTER_SECRET_STORES),
              s -> s.state(ResourceKind.CLUSTER_SECRET_STORES) == ClusterSnapshot.ReadState.ABSENT
                  ? CheckResult.fail("lb.stores", "CRD absent", "install ESO")
                  : CheckResult.pass("lb.stores", "ok")));
        }
      };
    }
  }

  static class TestSecrets implements SecretBackendProvider {
    private final String id;

    TestSecrets(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Set<String> aliases() {
      return id.equals("memory") ? Set.of("mem") : Set.of();
    }

    @Override
    public SecretBackend create(ProviderContext context) {
      return new SecretBackend() {
        @Override
        public String id() {
          return id;
        }

        @Override
        public GenericKubernetesResource clusterSecretStore(RenderContext ctx) {
          return new GenericKubernetesResourceBuilder().withApiVersion("external-secrets.io/v1")
              .withKind("ClusterSecretStore").withNewMetadata().withName(STORE_NAME).endMetadata()
              .addToAdditionalProperties("spec", Map.of("provider", Map.of(id, Map.of()))).build();
        }

        @Override
        public SecretStore store() {
          throw new UnsupportedOperationException();
        }

        @Override
        public List<Capability> capabilities() {
          return List.of(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
              .state(CapabilityState.SUPPORTED).reason("none needed").count(id.equals("memory") ? 0 : 1).build());
        }

        @Override
        public List<Check> checks() {
          return List.of();
        }
      };
    }
  }
}
