package dev.substrate.testkit.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.substrate.FacetType;
import dev.substrate.Storage;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.StorageProvider;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit for {@link StorageProvider}s. Extend it with the provider and a context:
 *
 * <pre>{@code
 * class HcloudVolumesKitTest extends StorageCompatibilityKit {
 *   protected StorageProvider provider() { return new HcloudVolumesStorageProvider(); }
 *   protected ProviderContext context() { return new ProviderContext(SubstrateConfig.defaults(), "hetzner", null); }
 * }
 * }</pre>
 */
public abstract class StorageCompatibilityKit extends FacetCompatibilityKit<StorageProvider, Storage> {
  @Override
  protected final Class<StorageProvider> spi() {
    return StorageProvider.class;
  }

  @Override
  protected Storage create(StorageProvider provider, ProviderContext context) {
    return provider.create(context);
  }

  @Nested
  class The_storage {
    @Test
    void is_a_storage_facet() {
      assertEquals(FacetType.STORAGE, facet().type(), "provider '" + provider().id() + "' makes a facet of the wrong type");
    }

    @Test
    void names_its_provisioner_and_default_class_or_leaves_them_empty_but_never_blank() {
      assertNotNull(facet().provisioner(), "provisioner() of '" + provider().id() + "' returns null; use Optional.empty()");
      assertNotNull(facet().defaultClassName(), "defaultClassName() of '" + provider().id() + "' returns null");
      facet().provisioner().ifPresent(p -> assertTrue(!p.isBlank(), "provisioner() of '" + provider().id() + "' is blank"));
      facet().defaultClassName().ifPresent(n -> assertTrue(!n.isBlank(),
          "defaultClassName() of '" + provider().id() + "' is blank"));
    }
  }
}
