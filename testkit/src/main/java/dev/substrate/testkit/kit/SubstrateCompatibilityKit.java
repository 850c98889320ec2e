package dev.substrate.testkit.kit;

import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThatCapabilities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.substrate.ClusterSnapshot;
import dev.substrate.DeclaredReads;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.UndeclaredReadException;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import dev.substrate.spi.Detection;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.LoadBalancerProvider;
import dev.substrate.spi.Provider;
import dev.substrate.spi.SecretBackendProvider;
import dev.substrate.spi.StorageProvider;
import dev.substrate.spi.SubstrateDefaults;
import dev.substrate.spi.SubstrateProvider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit for {@link SubstrateProvider}s: found by its id, a well-formed id, defaults that name
 * providers on the classpath, detection that reads only nodes, and a substrate assembled from its defaults whose
 * capabilities, rendering and checks keep the promises every facet makes.
 *
 * <pre>{@code
 * class HetznerSubstrateKitTest extends SubstrateCompatibilityKit {
 *   protected SubstrateProvider provider() { return new HetznerSubstrateProvider(); }
 *   protected List<GenericKubernetesResource> matchingNodes() { return HetznerFixtures.nodes(); }
 * }
 * }</pre>
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class SubstrateCompatibilityKit {
  private Substrate substrate;

  /** The substrate provider under test. */
  protected abstract SubstrateProvider provider();

  /** The config the substrate is assembled from; by default the defaults. */
  protected SubstrateConfig config() {
    return SubstrateConfig.defaults();
  }

  /** A cluster client for facets that need one; by default none. */
  protected KubernetesClient client() {
    return null;
  }

  /** Nodes of a cluster this substrate should recognise; by default none, and the kit skips that test. */
  protected List<GenericKubernetesResource> matchingNodes() {
    return List.of();
  }

  /** The nodes of an embedded cluster of {@code preset}, for {@link #matchingNodes()}. */
  protected static List<GenericKubernetesResource> nodesOf(ClusterPreset preset) {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(preset)) {
      return cluster.client().genericKubernetesResources("v1", "Node").list().getItems();
    }
  }

  /** The substrate assembled from {@link #provider()}, {@link #config()} and {@link #client()}, once per test. */
  protected Substrate substrate() {
    if (substrate == null) {
      Substrates.Builder builder = Substrates.builder().config(config()).substrate(provider());
      if (client() != null) {
        builder.client(client());
      }
      substrate = builder.build();
    }
    return substrate;
  }

  private String who() {
    return "substrate '" + provider().id() + "' (" + provider().getClass().getName() + ")";
  }

  private static <P extends Provider> boolean found(Class<P> spi, String id) {
    return ServiceLoader.load(spi).stream().map(ServiceLoader.Provider::get)
        .anyMatch(p -> p.id().equals(id) || p.aliases().contains(id));
  }

  @Nested
  class The_provider {
    @Test
    void is_found_by_its_id_through_ServiceLoader() {
      String id = provider().id();
      List<SubstrateProvider> found = ServiceLoader.load(SubstrateProvider.class).stream()
          .map(ServiceLoader.Provider::get).filter(p -> p.id().equals(id)).toList();
      assertEquals(1, found.size(), who() + " must be registered exactly once in META-INF/services/"
          + SubstrateProvider.class.getName() + ", found " + found.size());
      assertEquals(provider().getClass(), found.get(0).getClass(), "ServiceLoader finds id '" + id + "' as "
          + found.get(0).getClass().getName() + ", not the provider under test");
    }

    @Test
    void has_a_stable_lowercase_hyphenated_id() {
      String id = provider().id();
      assertNotNull(id, who() + " has a null id");
      assertTrue(FacetCompatibilityKit.PROVIDER_ID.matcher(id).matches(),
          "substrate id '" + id + "' must be lowercase hyphenated words such as hetzner");
      assertEquals(id, provider().id(), "substrate id changes between calls");
    }
  }

  @Nested
  class Its_defaults {
    @Test
    void name_a_provider_on_the_classpath_for_each_facet() {
      SubstrateDefaults d = provider().defaults();
      assertNotNull(d, who() + " has no defaults");
      assertTrue(found(GpuStackProvider.class, d.gpuStack()), who() + " defaults to GPU stack '" + d.gpuStack()
          + "', which no GpuStackProvider on the classpath provides");
      assertTrue(found(StorageProvider.class, d.storage()), who() + " defaults to storage '" + d.storage()
          + "', which no StorageProvider on the classpath provides");
      assertTrue(found(LoadBalancerProvider.class, d.loadBalancer()), who() + " defaults to load balancer '"
          + d.loadBalancer() + "', which no LoadBalancerProvider on the classpath provides");
      assertTrue(found(SecretBackendProvider.class, d.secretBackend()), who() + " defaults to secret backend '"
          + d.secretBackend() + "', which no SecretBackendProvider on the classpath provides");
    }
  }

  @Nested
  class Detection_of_a_cluster {
    @Test
    void reads_only_nodes_and_claims_only_for_itself() {
      ClusterSnapshot empty = DeclaredReads.restrictedTo(ClusterSnapshot.builder().source("compatibility-kit")
          .add(ResourceKind.NODES, List.of()).build(), Set.of(ResourceKind.NODES), "detect." + provider().id());
      Optional<Detection> detection;
      try {
        detection = provider().detect(empty);
      } catch (RuntimeException e) {
        if (e instanceof UndeclaredReadException) {
          fail(who() + " reads more than nodes to detect a cluster: " + e.getMessage(), e);
        }
        throw e;
      }
      assertNotNull(detection, who() + " returns null from detect(); return Optional.empty()");
      detection.ifPresent(d -> assertEquals(provider().id(), d.substrateId(), who() + " claims a cluster for another id"));
    }

    @Test
    void recognises_a_cluster_of_its_own() {
      List<GenericKubernetesResource> nodes = matchingNodes();
      Assumptions.assumeFalse(nodes.isEmpty(), "the subclass gives no matchingNodes() of a " + provider().id() + " cluster");
      ClusterSnapshot snapshot = DeclaredReads.restrictedTo(ClusterSnapshot.builder().source("compatibility-kit")
          .add(ResourceKind.NODES, nodes).build(), Set.of(ResourceKind.NODES), "detect." + provider().id());
      Optional<Detection> detection = provider().detect(snapshot);
      assertTrue(detection.isPresent(), who() + " does not recognise a cluster of its own");
      assertEquals(provider().id(), detection.get().substrateId(), who() + " claims the cluster for another id");
      assertFalse(detection.get().evidence().isBlank(), who() + " claims a cluster without saying what it saw");
    }
  }

  @Nested
  class The_assembled_substrate {
    @Test
    void has_capabilities_with_a_state_a_reason_and_unless_supported_a_remedy() {
      assertThatCapabilities(substrate().capabilities()).as(who()).areWellFormed();
      for (var facet : substrate().facets()) {
        assertThatCapabilities(facet.capabilities()).as("facet " + facet.id() + " of " + who()).hasNoDuplicateIds();
      }
    }

    @Test
    void renders_identically_twice() {
      assertEquals(substrate().render().files(), substrate().render().files(),
          who() + " renders different files for the same config");
    }

    @Test
    void has_checks_with_unique_ids_that_read_only_what_they_declare() {
      KitAssertions.assertCheckIds(substrate().checks(), who());
      KitAssertions.assertChecksReadOnlyWhatTheyDeclare(substrate().checks(), who());
    }
  }
}
