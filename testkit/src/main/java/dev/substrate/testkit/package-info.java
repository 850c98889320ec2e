/**
 * Test support for Substrate: {@link dev.substrate.testkit.EmbeddedCluster}, an in-process Kubernetes API
 * server seeded like GKE, Hetzner or bring-your-own clusters, and its JUnit 5 extension.
 */
package dev.substrate.testkit;
