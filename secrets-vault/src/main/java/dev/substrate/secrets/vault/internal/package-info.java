/** The {@code vault} provider, its config section and TLS trust; not part of the module's API. */
package dev.substrate.secrets.vault.internal;
