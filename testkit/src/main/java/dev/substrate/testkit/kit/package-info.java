/**
 * Compatibility kits: abstract JUnit 5 classes that check a provider keeps the promises its SPI makes. Extend the kit
 * for your SPI in your tests and give it the provider and a context:
 *
 * <pre>{@code
 * class VaultBackendKitTest extends SecretBackendCompatibilityKit {
 *   protected SecretBackendProvider provider() { return new VaultBackendProvider(); }
 *   protected ProviderContext context() { return new ProviderContext(config, "byo", null); }
 *   protected void failNextOperation(int status) { fakeVault.failNext(status); }   // optional
 * }
 * }</pre>
 *
 * <p>Every kit checks that the provider is found by its id through {@link java.util.ServiceLoader}, that the id is
 * lowercase-hyphenated, that each capability has a state, a reason and (unless supported) a remedy, that rendered
 * resources render identically twice and carry a namespace where they need one, and that checks have unique ids and
 * read only the kinds they declare. What a provider cannot be tested for (no checks, nothing rendered, no way to inject
 * a failure) is skipped with the reason, never passed silently.
 */
package dev.substrate.testkit.kit;
