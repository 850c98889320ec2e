package dev.substrate.testkit.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.substrate.FacetType;
import dev.substrate.GpuStack;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit for {@link GpuStackProvider}s. Extend it with the provider and a context:
 *
 * <pre>{@code
 * class OperatorGpuStackKitTest extends GpuStackCompatibilityKit {
 *   protected GpuStackProvider provider() { return new OperatorGpuStackProvider(); }
 *   protected ProviderContext context() { return new ProviderContext(SubstrateConfig.defaults(), "byo", null); }
 * }
 * }</pre>
 */
public abstract class GpuStackCompatibilityKit extends FacetCompatibilityKit<GpuStackProvider, GpuStack> {
  @Override
  protected final Class<GpuStackProvider> spi() {
    return GpuStackProvider.class;
  }

  @Override
  protected GpuStack create(GpuStackProvider provider, ProviderContext context) {
    return provider.create(context);
  }

  @Nested
  class The_gpu_stack {
    @Test
    void is_a_gpu_stack_facet() {
      assertEquals(FacetType.GPU_STACK, facet().type(), "provider '" + provider().id() + "' makes a facet of the wrong type");
    }
  }
}
