package dev.substrate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * Where the platform's secrets live, and how External Secrets Operator reaches them. The swap point is one
 * ClusterSecretStore named {@value #STORE_NAME}: switching backends changes that one resource and nothing else.
 */
public interface SecretBackend extends Facet {
  /** The name of the one ClusterSecretStore every ExternalSecret of the platform refers to. */
  String STORE_NAME = "secret-store";

  @Override
  default FacetType type() {
    return FacetType.SECRET_BACKEND;
  }

  /** The {@code external-secrets.io/v1} ClusterSecretStore {@value #STORE_NAME} for this backend and auth. */
  GenericKubernetesResource clusterSecretStore(RenderContext context);

  /**
   * Exactly the ClusterSecretStore, so that switching backends changes one resource; what a backend needs beside it
   * is a capability with a remedy, not a rendered object.
   */
  @Override
  default List<HasMetadata> resources(RenderContext context) {
    return List.of(clusterSecretStore(context));
  }

  /** A client for seeding and reading secrets through the backend's own client library. */
  SecretStore store();
}
