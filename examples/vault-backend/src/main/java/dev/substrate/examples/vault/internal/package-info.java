/** The {@code vault} provider and its config; not part of the example's API. */
package dev.substrate.examples.vault.internal;
