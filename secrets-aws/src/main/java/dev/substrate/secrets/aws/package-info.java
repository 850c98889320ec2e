/**
 * AWS Secrets Manager as a secret backend ({@code aws-secrets-manager}): the ClusterSecretStore of ESO's {@code aws}
 * provider for IRSA ({@code workload-identity}), web identity federation off EKS ({@code wif}) or an access key
 * ({@code sa-key}); {@code AwsSecretStore} over the AWS SDK v2; and the AWS half of keyless
 * federation: {@code WebIdentityCredentials} ({@code AssumeRoleWithWebIdentity}) and the IAM
 * {@code TrustPolicy} to create.
 */
package dev.substrate.secrets.aws;
