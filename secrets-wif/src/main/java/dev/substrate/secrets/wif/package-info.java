/**
 * Keyless Workload Identity Federation from any Kubernetes cluster to Google: the cluster's service-account issuer
 * ({@link dev.substrate.secrets.wif.IssuerDocuments}), subject tokens from TokenRequest ({@link
 * dev.substrate.secrets.wif.TokenRequestSubjectToken}), the STS exchange and impersonation ({@link
 * dev.substrate.secrets.wif.FederatedCredentials}) and the {@code external_account} credential configuration ({@link
 * dev.substrate.secrets.wif.CredentialConfiguration}).
 */
package dev.substrate.secrets.wif;
