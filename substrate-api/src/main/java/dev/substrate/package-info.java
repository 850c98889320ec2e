/**
 * What users of Substrate call: {@link dev.substrate.Substrates}, {@link dev.substrate.Substrate},
 * {@link dev.substrate.SubstrateConfig}, the doctor {@link dev.substrate.Report} and the value types they return.
 *
 * <pre>{@code
 * Substrate substrate = Substrates.create(SubstrateConfig.load(Path.of("config.yaml")));
 * substrate.render().writeTo(Path.of("out"));
 * Report report = substrate.doctor(kubernetesClient);
 * }</pre>
 */
@SubstrateStyle
package dev.substrate;
