/**
 * What a plugin author adds in test scope: compatibility kits for every SPI ({@code .kit}), AssertJ assertions
 * ({@code .assertj}) and {@link dev.substrate.testkit.InMemorySecretBackend}. The embedded
 * Kubernetes API is in {@code substrate-kube-fake}, the cloud API fakes in {@code substrate-cloud-fakes}.
 */
package dev.substrate.testkit;
