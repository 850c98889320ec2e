/** The service-account token issuer behind {@link dev.substrate.testkit.OidcIssuer}; not an API. */
package dev.substrate.testkit.internal.oidc;
