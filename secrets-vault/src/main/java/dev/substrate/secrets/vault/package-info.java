/**
 * Secret backend {@code vault}: ESO's {@code vault} provider over a KV v2 engine with Kubernetes, AppRole or token
 * auth, and {@link dev.substrate.secrets.vault.VaultSecretStore}, which seeds and reads secrets over Vault's HTTP API.
 */
package dev.substrate.secrets.vault;
