/**
 * GCP Secret Manager as a secret backend ({@code gcp-secret-manager}, alias {@code gcpsm}): {@link
 * dev.substrate.secrets.gcp.GcpSecretStore} over google-cloud-secretmanager, and the ClusterSecretStores for the three
 * ways ESO authenticates to it — GKE {@code workload-identity}, keyless {@code wif} federation (through {@code
 * dev.substrate.secrets.wif}) and an {@code sa-key}.
 */
package dev.substrate.secrets.gcp;
