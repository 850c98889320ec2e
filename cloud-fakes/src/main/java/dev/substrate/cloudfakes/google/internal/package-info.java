/** The services behind the Google fakes: STS, IAM Credentials, Secret Manager state and REST surface. Not an API. */
package dev.substrate.cloudfakes.google.internal;
