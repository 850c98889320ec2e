/**
 * An embedded Kubernetes API server for tests and demos: {@link dev.substrate.kubefake.EmbeddedCluster} (real
 * clients, {@code kubectl} included, talk to it), seeded by a {@link dev.substrate.kubefake.ClusterPreset} like a GKE,
 * Hetzner or bring-your-own cluster, an {@link dev.substrate.kubefake.OidcIssuer} serving the service-account issuer's
 * documents and TokenRequests, and {@link dev.substrate.kubefake.EmbeddedClusterExtension} for JUnit 5.
 */
package dev.substrate.kubefake;
