/**
 * The fake Google STS and IAM Credentials behind {@link dev.substrate.testkit.FakeGoogleSts} and
 * {@link dev.substrate.testkit.FakeIamCredentials}, and the HTTP(S) server they share; not an API.
 */
package dev.substrate.testkit.internal.google;
