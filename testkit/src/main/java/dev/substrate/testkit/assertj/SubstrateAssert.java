package dev.substrate.testkit.assertj;

import dev.substrate.Substrate;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on an assembled {@link Substrate}: what it gives (its capabilities, facet overrides applied) and what it
 * renders.
 *
 * <pre>{@code
 * assertThat(substrate).hasCapability("gpu.mig").needsAction().hasRemedyContaining("mig.strategy");
 * assertThat(substrate).rendering().containsKind("ClusterSecretStore");
 * }</pre>
 */
public final class SubstrateAssert extends AbstractAssert<SubstrateAssert, Substrate> {
  SubstrateAssert(Substrate actual) {
    super(actual, SubstrateAssert.class);
  }

  public SubstrateAssert hasId(String expected) {
    isNotNull();
    if (!actual.id().equals(expected)) {
      failWithMessage("expected substrate '%s' but it is '%s'", expected, actual.id());
    }
    return this;
  }

  /** The substrate's capabilities, to assert on as a list. */
  public CapabilitiesAssert capabilities() {
    isNotNull();
    CapabilitiesAssert nested = new CapabilitiesAssert(actual.capabilities(), "substrate '" + actual.id() + "'");
    return info.hasDescription() ? nested.describedAs(info.description()) : nested;
  }

  /** Shorthand for {@code capabilities().hasCapability(id)}. */
  public CapabilityAssert hasCapability(String id) {
    return capabilities().hasCapability(id);
  }

  /** Shorthand for {@code capabilities().doesNotHaveCapability(id)}. */
  public SubstrateAssert doesNotHaveCapability(String id) {
    capabilities().doesNotHaveCapability(id);
    return this;
  }

  /** What {@link Substrate#render()} returns, to assert on. */
  public RenderingAssert rendering() {
    isNotNull();
    RenderingAssert nested = new RenderingAssert(actual.render());
    return info.hasDescription() ? nested.describedAs(info.description()) : nested;
  }
}
