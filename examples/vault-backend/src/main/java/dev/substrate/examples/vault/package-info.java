/**
 * A {@code vault} secret backend for Substrate, built on nothing but {@code substrate-api}: secret backend
 * {@code vault} renders ESO's {@code vault} provider with Kubernetes auth, and {@link
 * dev.substrate.examples.vault.VaultSecretStore} seeds and reads secrets in a KV v2 engine.
 */
package dev.substrate.examples.vault;
