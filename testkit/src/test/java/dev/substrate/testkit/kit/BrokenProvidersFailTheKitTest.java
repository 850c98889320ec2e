package dev.substrate.testkit.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.substrate.Capability;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.GpuStack;
import dev.substrate.HelmChart;
import dev.substrate.RenderContext;
import dev.substrate.ResourceKind;
import dev.substrate.SecretBackend;
import dev.substrate.SecretStore;
import dev.substrate.SecretValue;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.Check;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import dev.substrate.testkit.InMemorySecretBackend;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs the kit against deliberately broken backends and checks that it fails, saying what is wrong. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrokenProvidersFailTheKitTest {
  /** Failures of {@code kit}, as "display name: message". */
  private static List<String> failures(Class<?> kit) {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build(), listener);
    List<String> out = new ArrayList<>();
    for (TestExecutionSummary.Failure f : listener.getSummary().getFailures()) {
      out.add(f.getTestIdentifier().getDisplayName() + ": " + f.getException().getMessage());
    }
    return out;
  }

  /** Tests of {@code kit} that were skipped, as "display name: reason". */
  private static List<String> skipped(Class<?> kit) {
    List<String> out = new java.util.concurrent.CopyOnWriteArrayList<>();
    TestExecutionListener listener = new TestExecutionListener() {
      @Override
      public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
          out.add(id.getDisplayName() + ": " + result.getThrowable().map(Throwable::getMessage).orElse(""));
        }
      }
    };
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build(),
        listener);
    return out;
  }

  @Test
  void a_helm_chart_declared_but_not_rendered_as_an_argo_cd_application_fails_the_kit_naming_the_chart() {
    assertThat(failures(UnrenderedChartKit.class)).anySatisfy(f -> assertThat(f)
        .startsWith("hold each of its helm charts as the argo cd application resources application makes: ")
        .contains("provider 'charted'")
        .contains("declares Helm chart widgets (release widgets) but its resources() lack the Argo CD Application"));
  }

  @Test
  void a_check_that_reads_a_kind_it_did_not_declare_fails_the_kit_naming_the_check_and_the_kind() {
    assertThat(failures(UndeclaredReadKit.class)).anySatisfy(f -> assertThat(f)
        .startsWith("read only the kinds they declare: ")
        .contains("check gpu.sneaky of provider 'sneaky'")
        .contains("reads a kind it does not declare")
        .contains("read daemonsets.apps without declaring it in reads()"));
  }

  @Test
  void what_a_provider_cannot_be_tested_for_is_skipped_with_the_reason() {
    assertThat(skipped(LeakyStoreKit.class))
        .anySatisfy(s -> assertThat(s).isEqualTo("read only the kinds they declare: "
            + "Assumption failed: provider 'leaky' (" + LeakyStoreKit.class.getName() + "$1) declares no checks"));
    assertThat(skipped(NoFailureInjectionKit.class)).anySatisfy(s -> assertThat(s)
        .startsWith("like unavailable are marked transient: ")
        .contains("cannot inject failures: override failNextOperation(int) to test error mapping"));
  }

  @Test
  void a_store_that_shows_values_in_its_toString_fails_the_kit_naming_the_leak_without_repeating_the_value() {
    List<String> failures = failures(LeakyStoreKit.class);
    assertThat(failures).anySatisfy(f -> assertThat(f)
        .startsWith("never show in the toString of the backend the store or what they return: ")
        .contains("the store of secret backend 'leaky' after a put exposes the secret value in its toString")
        .contains("<VALUE>"));
    assertThat(failures).noneSatisfy(f -> assertThat(f).contains(SecretBackendCompatibilityKit.VALUE));
  }

  @Test
  void a_capability_without_a_remedy_fails_the_kit_naming_the_capability() {
    List<String> failures = failures(NoRemedyKit.class);
    assertThat(failures).anySatisfy(f -> assertThat(f)
        .startsWith("each have a well formed id a state a reason and unless supported a remedy: ")
        .contains("[provider 'leaky' (")
        .contains("] capability secrets.keyless is UNSUPPORTED but has no remedy: say what a person can do about it"));
  }

  @Test
  void a_cluster_secret_store_with_a_namespace_fails_the_kit_naming_the_provider_and_the_namespace() {
    assertThat(failures(NamespacedStoreKit.class)).anySatisfy(f -> assertThat(f)
        .startsWith("is named secret store with api version external secrets io v1: [secret backend 'leaky'] ")
        .endsWith("ClusterSecretStore external-secrets/secret-store: expected no namespace but it has namespace "
            + "external-secrets"));
    assertThat(failures(LeakyStoreKit.class))
        .noneSatisfy(f -> assertThat(f).startsWith("is named secret store with api version external secrets io v1"));
  }

  @Test
  void a_backend_that_throws_something_other_than_backend_exception_fails_error_mapping() {
    List<String> failures = failures(LeakyStoreKit.class);
    assertThat(failures).anySatisfy(f -> assertThat(f)
        .startsWith("like permission denied are backend exceptions")
        .contains("must map a failed get (status 403) to BackendException, threw java.lang.IllegalStateException"));
  }

  /** Keeps values in a map it prints, and fails with IllegalStateException. */
  static final class LeakyBackend implements SecretBackend {
    final Map<String, String> values = new TreeMap<>();
    int failNext;
    boolean withoutRemedy;
    boolean namespacedStore;

    @Override
    public String id() {
      return "leaky";
    }

    @Override
    public List<Capability> capabilities() {
      if (!withoutRemedy) {
        return List.of(Capability.of("secrets.keyless", CapabilityState.SUPPORTED, "in memory", null));
      }
      return List.of(new Capability() {
        @Override
        public String id() {
          return "secrets.keyless";
        }

        @Override
        public CapabilityState state() {
          return CapabilityState.UNSUPPORTED;
        }

        @Override
        public String reason() {
          return "it cannot";
        }

        @Override
        public Optional<String> remedy() {
          return Optional.empty();
        }

        @Override
        public OptionalInt count() {
          return OptionalInt.empty();
        }
      });
    }

    @Override
    public GenericKubernetesResource clusterSecretStore(RenderContext context) {
      GenericKubernetesResource store = new InMemorySecretBackend().clusterSecretStore(context);
      if (namespacedStore) {
        store.getMetadata().setNamespace("external-secrets");
      }
      return store;
    }

    @Override
    public List<Check> checks() {
      return List.of();
    }

    @Override
    public SecretStore store() {
      return new SecretStore() {
        @Override
        public PutResult put(String name, SecretValue value) {
          fail();
          String old = values.put(name, value.reveal());
          return old == null ? PutResult.CREATED : old.equals(value.reveal()) ? PutResult.UNCHANGED : PutResult.UPDATED;
        }

        @Override
        public Optional<SecretValue> get(String name) {
          fail();
          return Optional.ofNullable(values.get(name)).map(SecretValue::of);
        }

        @Override
        public List<String> list() {
          fail();
          return new ArrayList<>(values.keySet());
        }

        @Override
        public boolean delete(String name) {
          fail();
          return values.remove(name) != null;
        }

        @Override
        public String toString() {
          return "LeakyStore" + values;
        }
      };
    }

    private void fail() {
      if (failNext > 0) {
        int status = failNext;
        failNext = 0;
        throw new IllegalStateException("status " + status);
      }
    }
  }

  static class LeakyStoreKit extends SecretBackendCompatibilityKit {
    final LeakyBackend backend = new LeakyBackend();
    boolean inject = true;

    @Override
    protected SecretBackendProvider provider() {
      return new SecretBackendProvider() {
        @Override
        public String id() {
          return "leaky";
        }

        @Override
        public SecretBackend create(ProviderContext context) {
          return backend;
        }
      };
    }

    @Override
    protected ProviderContext context() {
      return new ProviderContext(SubstrateConfig.defaults(), "byo", null);
    }

    @Override
    protected void failNextOperation(int status) {
      if (!inject) {
        super.failNextOperation(status);
      }
      backend.failNext = status;
    }
  }

  static final class NoFailureInjectionKit extends LeakyStoreKit {
    NoFailureInjectionKit() {
      inject = false;
    }
  }

  /** A GPU stack whose one check declares nodes but reads DaemonSets. */
  static final class UndeclaredReadKit extends GpuStackCompatibilityKit {
    @Override
    protected GpuStackProvider provider() {
      return new GpuStackProvider() {
        @Override
        public String id() {
          return "sneaky";
        }

        @Override
        public GpuStack create(ProviderContext context) {
          return new GpuStack() {
            @Override
            public String id() {
              return "sneaky";
            }

            @Override
            public List<Capability> capabilities() {
              return List.of();
            }

            @Override
            public List<HasMetadata> resources(RenderContext context) {
              return List.of();
            }

            @Override
            public List<Check> checks() {
              return List.of(Check.of("gpu.sneaky", Set.of(ResourceKind.NODES), snapshot -> CheckResult.pass(
                  "gpu.sneaky", snapshot.list(ResourceKind.DAEMON_SETS).size() + " daemon sets")));
            }
          };
        }
      };
    }

    @Override
    protected ProviderContext context() {
      return new ProviderContext(SubstrateConfig.defaults(), "byo", null);
    }
  }

  /** A GPU stack that declares a Helm chart but renders only a namespace. */
  static final class UnrenderedChartKit extends GpuStackCompatibilityKit {
    @Override
    protected GpuStackProvider provider() {
      return new GpuStackProvider() {
        @Override
        public String id() {
          return "charted";
        }

        @Override
        public GpuStack create(ProviderContext context) {
          return new GpuStack() {
            @Override
            public String id() {
              return "charted";
            }

            @Override
            public List<Capability> capabilities() {
              return List.of();
            }

            @Override
            public List<HasMetadata> resources(RenderContext context) {
              return List.of(new NamespaceBuilder().withNewMetadata().withName("widgets").endMetadata().build());
            }

            @Override
            public List<HelmChart> charts(RenderContext context) {
              return List.of(HelmChart.builder().repoUrl("https://charts.example.com").chart("widgets")
                  .version("1.0.0").releaseName("widgets").namespace("widgets").build());
            }

            @Override
            public List<Check> checks() {
              return List.of();
            }
          };
        }
      };
    }

    @Override
    protected ProviderContext context() {
      return new ProviderContext(SubstrateConfig.defaults(), "byo", null);
    }
  }

  static final class NamespacedStoreKit extends LeakyStoreKit {
    NamespacedStoreKit() {
      backend.namespacedStore = true;
    }
  }

  static final class NoRemedyKit extends LeakyStoreKit {
    NoRemedyKit() {
      backend.withoutRemedy = true;
    }
  }
}
