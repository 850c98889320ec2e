/**
 * What provider authors implement. Every provider has a stable lowercase-hyphenated {@code id()} and a
 * {@code create(ProviderContext)} that returns its facet; register it in {@code META-INF/services} under the SPI's
 * name. Provider classes belong in an {@code internal} package and only translate config into public types.
 *
 * <pre>{@code
 * public final class VaultBackendProvider implements SecretBackendProvider {
 *   public String id() { return "vault"; }
 *   public SecretBackend create(ProviderContext context) { return new VaultBackend(context.config()); }
 * }
 * }</pre>
 */
@dev.substrate.SubstrateStyle
package dev.substrate.spi;
