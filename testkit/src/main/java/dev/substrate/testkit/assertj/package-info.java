/**
 * AssertJ assertions for Substrate's types: doctor reports and their check results, capabilities, renderings and
 * the resources in them, and secret values. Import {@link dev.substrate.testkit.assertj.SubstrateAssertions#assertThat}
 * statically in place of AssertJ's {@code Assertions.assertThat}; it extends AssertJ's, so every other type keeps its
 * usual assertions.
 *
 * <pre>{@code
 * assertThat(substrate.doctor(cluster.client()))
 *     .hasNoFailures()
 *     .hasCheck("eso.store-ready").isFail().hasRemedyContaining("substrate apply");
 * }</pre>
 *
 * <p>Failure messages name the check, capability or resource and show its actual state. A secret value is never
 * part of a message.
 */
package dev.substrate.testkit.assertj;
