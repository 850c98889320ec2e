/** The services behind the AWS fakes: SigV4 header checks, Secrets Manager state and JSON surface, STS. Not an API. */
package dev.substrate.cloudfakes.aws.internal;
