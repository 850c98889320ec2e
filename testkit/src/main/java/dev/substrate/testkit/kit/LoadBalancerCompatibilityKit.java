package dev.substrate.testkit.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.substrate.FacetType;
import dev.substrate.LoadBalancer;
import dev.substrate.LoadBalancerIntent;
import dev.substrate.spi.LoadBalancerProvider;
import dev.substrate.spi.ProviderContext;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit for {@link LoadBalancerProvider}s. Extend it with the provider and a context:
 *
 * <pre>{@code
 * class HcloudLoadBalancerKitTest extends LoadBalancerCompatibilityKit {
 *   protected LoadBalancerProvider provider() { return new HcloudLoadBalancerProvider(); }
 *   protected ProviderContext context() { return new ProviderContext(SubstrateConfig.defaults(), "hetzner", null); }
 * }
 * }</pre>
 */
public abstract class LoadBalancerCompatibilityKit extends FacetCompatibilityKit<LoadBalancerProvider, LoadBalancer> {
  @Override
  protected final Class<LoadBalancerProvider> spi() {
    return LoadBalancerProvider.class;
  }

  @Override
  protected LoadBalancer create(LoadBalancerProvider provider, ProviderContext context) {
    return provider.create(context);
  }

  @Nested
  class The_load_balancer {
    @Test
    void is_a_load_balancer_facet() {
      assertEquals(FacetType.LOAD_BALANCER, facet().type(),
          "provider '" + provider().id() + "' makes a facet of the wrong type");
    }

    @Test
    void expresses_public_and_internal_intent_as_annotations_with_non_blank_keys() {
      for (LoadBalancerIntent.Exposure exposure : LoadBalancerIntent.Exposure.values()) {
        Map<String, String> annotations = facet().serviceAnnotations(LoadBalancerIntent.of(exposure));
        assertNotNull(annotations, "serviceAnnotations(" + exposure + ") of '" + provider().id()
            + "' returns null; return an empty map when none are needed");
        annotations.forEach((k, v) -> assertTrue(k != null && !k.isBlank() && v != null,
            "serviceAnnotations(" + exposure + ") of '" + provider().id() + "' has a blank key or a null value"));
        assertEquals(annotations, facet().serviceAnnotations(LoadBalancerIntent.of(exposure)),
            "serviceAnnotations(" + exposure + ") of '" + provider().id() + "' changes between calls");
      }
    }
  }
}
