package dev.substrate;

/** How External Secrets Operator authenticates to a cloud secret backend ({@code secret_store_auth}). */
public enum SecretStoreAuth {
  /** GKE Workload Identity: the ESO ServiceAccount is bound to a Google service account. */
  WORKLOAD_IDENTITY("workload-identity"),
  /** Workload Identity Federation: the cluster is the identity provider; no long-lived key. */
  WIF("wif"),
  /** A service-account key in a Kubernetes Secret: one long-lived credential. */
  SA_KEY("sa-key");

  private final String id;

  SecretStoreAuth(String id) {
    this.id = id;
  }

  /** The config spelling, e.g. {@code workload-identity}. */
  public String id() {
    return id;
  }
}
