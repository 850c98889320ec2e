/** AWS Secrets Manager (JSON 1.1) and STS {@code AssumeRoleWithWebIdentity} (query API), as their wire formats. */
package dev.substrate.cloudfakes.aws;
