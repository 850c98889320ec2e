/** Google's Secret Manager v1, STS token exchange and IAM Credentials, as their REST wire formats. */
package dev.substrate.cloudfakes.google;
