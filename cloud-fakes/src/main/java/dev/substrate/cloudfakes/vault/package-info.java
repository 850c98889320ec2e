/** A fake HashiCorp Vault: KV v2, Kubernetes and AppRole auth, over HTTPS. */
package dev.substrate.cloudfakes.vault;
