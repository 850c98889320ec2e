package dev.substrate.testkit.kit;

import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThatCapabilities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.substrate.Facet;
import dev.substrate.HelmChart;
import dev.substrate.RenderContext;
import dev.substrate.Rendering;
import dev.substrate.spi.Check;
import dev.substrate.spi.Provider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.Resources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every facet provider promises, whatever its SPI: it is found by its id through {@link ServiceLoader}, its id is
 * stable and well-formed, its capabilities carry a state, a reason and a remedy, its resources render identically
 * twice, and its checks read only what they declare. The per-SPI kits extend this; extend one of them, not this.
 *
 * @param <P> the provider SPI
 * @param <F> the facet the provider creates
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class FacetCompatibilityKit<P extends Provider, F extends Facet> {
  /** Lowercase, hyphenated: {@code hcloud-volumes}, {@code gcp-secret-manager}. */
  public static final Pattern PROVIDER_ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  /** Cluster-scoped kinds the kits know; any other kind is expected to carry a namespace. */
  public static final Set<String> CLUSTER_SCOPED_KINDS = Set.of(
      "Namespace", "Node", "PersistentVolume", "StorageClass", "VolumeSnapshotClass", "CSIDriver", "ClusterRole",
      "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass", "RuntimeClass", "IngressClass",
      "ClusterSecretStore", "ClusterExternalSecret", "ClusterPolicy", "ClusterIssuer", "APIService",
      "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy",
      "ValidatingAdmissionPolicyBinding", "GatewayClass", "NodeFeatureRule");

  private F facet;

  /** The SPI interface, e.g. {@code StorageProvider.class}, to look the provider up through ServiceLoader. */
  protected abstract Class<P> spi();

  /** The provider under test. */
  protected abstract P provider();

  /** The context the facet is created with: config, substrate id and, if the provider needs one, a client. */
  protected abstract ProviderContext context();

  /** Creates the facet from {@link #provider()} and {@link #context()}. */
  protected abstract F create(P provider, ProviderContext context);

  /** The facet under test, created once per test. Override to hand in a facet you keep a reference to. */
  protected F facet() {
    if (facet == null) {
      facet = create(provider(), context());
    }
    return facet;
  }

  /** The render context; by default the context's substrate and config. */
  protected RenderContext renderContext() {
    ProviderContext context = context();
    return RenderContext.of(context.substrateId(), context.config());
  }

  /** The id the provider is expected to have; by default its own. Override to pin the id a release promised. */
  protected String expectedId() {
    return provider().id();
  }

  private String who() {
    return "provider '" + provider().id() + "' (" + provider().getClass().getName() + ")";
  }

  @Nested
  class The_provider {
    @Test
    void is_found_by_its_id_through_ServiceLoader() {
      String id = provider().id();
      List<P> found = ServiceLoader.load(spi()).stream().map(ServiceLoader.Provider::get)
          .filter(p -> p.id().equals(id)).toList();
      assertEquals(1, found.size(), who() + " must be registered exactly once in META-INF/services/"
          + spi().getName() + " under id '" + id + "', found " + found.size());
      assertEquals(provider().getClass(), found.get(0).getClass(),
          "ServiceLoader finds id '" + id + "' as " + found.get(0).getClass().getName() + ", not the provider under test");
    }

    @Test
    void has_a_stable_lowercase_hyphenated_id() {
      String id = provider().id();
      assertNotNull(id, who() + " has a null id");
      assertTrue(PROVIDER_ID.matcher(id).matches(),
          "provider id '" + id + "' must be lowercase hyphenated words such as hcloud-volumes");
      assertEquals(id, provider().id(), "provider id changes between calls");
      assertEquals(expectedId(), id, "provider id changed");
    }

    @Test
    void has_well_formed_aliases_that_differ_from_its_id() {
      for (String alias : provider().aliases()) {
        assertTrue(PROVIDER_ID.matcher(alias).matches(), "alias '" + alias + "' of " + who()
            + " must be lowercase hyphenated words");
        assertFalse(alias.equals(provider().id()), "alias '" + alias + "' repeats the id of " + who());
      }
    }

    @Test
    void creates_a_facet_that_carries_the_provider_id() {
      assertEquals(provider().id(), facet().id(), "the facet " + who() + " creates must report the provider's id");
    }
  }

  @Nested
  class Its_capabilities {
    @Test
    void each_have_a_well_formed_id_a_state_a_reason_and_unless_supported_a_remedy() {
      assertNotNull(facet().capabilities(), who() + " returns null capabilities");
      assertThatCapabilities(facet().capabilities()).as(who()).areWellFormed();
    }

    @Test
    void have_no_duplicate_ids() {
      assertThatCapabilities(facet().capabilities()).as(who()).hasNoDuplicateIds();
    }

    @Test
    void are_the_same_each_time_they_are_asked_for() {
      assertEquals(facet().capabilities(), facet().capabilities(), "capabilities of " + who() + " change between calls");
    }
  }

  @Nested
  class Its_rendered_resources {
    @Test
    void render_identically_twice() {
      Map<String, String> first = new Rendering(facet().resources(renderContext())).files();
      Map<String, String> second = new Rendering(facet().resources(renderContext())).files();
      assertEquals(first, second, who() + " renders different files for the same config");
    }

    @Test
    void each_have_an_api_version_a_kind_and_a_name() {
      List<HasMetadata> resources = facet().resources(renderContext());
      assertNotNull(resources, who() + " returns null resources; return an empty list when it adds nothing");
      Assumptions.assumeFalse(resources.isEmpty(), who() + " renders no resources");
      for (HasMetadata r : resources) {
        assertTrue(r.getApiVersion() != null && !r.getApiVersion().isBlank(), "a resource of " + who() + " has no apiVersion");
        assertTrue(r.getKind() != null && !r.getKind().isBlank(), "a resource of " + who() + " has no kind");
        assertTrue(r.getMetadata() != null && r.getMetadata().getName() != null && !r.getMetadata().getName().isBlank(),
            "a " + r.getKind() + " of " + who() + " has no name");
      }
    }

    @Test
    void hold_each_of_its_helm_charts_as_the_argo_cd_application_resources_application_makes() {
      List<HelmChart> charts = facet().charts(renderContext());
      assertNotNull(charts, who() + " returns null charts; return an empty list when it installs none");
      Assumptions.assumeFalse(charts.isEmpty(), who() + " installs no Helm chart");
      Map<String, String> files = new Rendering(facet().resources(renderContext())).files();
      for (HelmChart chart : charts) {
        String application = new Rendering(List.of(Resources.application(chart))).files().values().iterator().next();
        assertTrue(files.containsValue(application), who() + " declares Helm chart " + chart.chart() + " (release "
            + chart.releaseName() + ") but its resources() lack the Argo CD Application Resources.application(chart)"
            + " makes for it");
      }
    }

    @Test
    void carry_a_namespace_when_namespaced() {
      List<HasMetadata> resources = facet().resources(renderContext());
      Assumptions.assumeFalse(resources.isEmpty(), who() + " renders no resources");
      for (HasMetadata r : resources) {
        String ns = r.getMetadata().getNamespace();
        if (CLUSTER_SCOPED_KINDS.contains(r.getKind())) {
          assertTrue(ns == null || ns.isEmpty(), r.getKind() + " " + r.getMetadata().getName() + " of " + who()
              + " is cluster-scoped but carries namespace '" + ns + "'");
        } else {
          assertTrue(ns != null && !ns.isBlank(), r.getKind() + " " + r.getMetadata().getName() + " of " + who()
              + " is namespaced but carries no namespace");
        }
      }
    }
  }

  @Nested
  class Its_checks {
    @Test
    void have_well_formed_unique_ids() {
      List<Check> checks = facet().checks();
      assertNotNull(checks, who() + " returns null checks");
      Assumptions.assumeFalse(checks.isEmpty(), who() + " declares no checks");
      KitAssertions.assertCheckIds(checks, who());
    }

    @Test
    void read_only_the_kinds_they_declare() {
      List<Check> checks = facet().checks();
      Assumptions.assumeFalse(checks.isEmpty(), who() + " declares no checks");
      KitAssertions.assertChecksReadOnlyWhatTheyDeclare(checks, who());
    }
  }
}
