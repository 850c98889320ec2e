/** The fake GCP Secret Manager behind {@link dev.substrate.testkit.FakeSecretManager}; not an API. */
package dev.substrate.testkit.internal.secretmanager;
