/** The service-account token issuer and TokenRequests behind {@link dev.substrate.kubefake.OidcIssuer}. Not an API. */
package dev.substrate.kubefake.internal.tokens;
