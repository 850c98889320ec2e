/**
 * GCP Secret Manager as a secret backend ({@code gcp-secret-manager}, alias {@code gcpsm}) with the three ways ESO
 * authenticates to it: GKE {@code workload-identity}, keyless {@code wif} federation, and an {@code sa-key}.
 */
package dev.substrate.secrets.wif;
