package dev.substrate.secrets.wif.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.ConfigException;
import dev.substrate.RenderContext;
import dev.substrate.SecretBackend;
import dev.substrate.SecretStore;
import dev.substrate.SecretStoreAuth;
import dev.substrate.SubstrateConfig;
import dev.substrate.SubstrateException;
import dev.substrate.spi.Check;
import dev.substrate.spi.checks.ExternalSecretsChecks;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ESO's {@code gcpsm} provider, rendered for the configured {@code secret_store_auth}. */
final class GcpSecretManagerBackend implements SecretBackend {
  /** The Secret holding a service-account key for {@code sa-key} auth, created by the user. */
  static final String KEY_SECRET = "gcp-sa-key";

  private final SubstrateConfig config;
  private final SecretStoreAuth auth;

  GcpSecretManagerBackend(SubstrateConfig config) {
    this.config = config;
    this.auth = config.secretStoreAuth().orElse(SecretStoreAuth.WORKLOAD_IDENTITY);
  }

  @Override
  public String id() {
    return GcpSecretManagerProvider.ID;
  }

  @Override
  public List<Capability> capabilities() {
    List<Capability> capabilities = new ArrayList<>();
    switch (auth) {
      case SA_KEY:
        capabilities.add(Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.UNSUPPORTED,
            "secret_store_auth sa-key authenticates with a static service-account key",
            "use secret_store_auth workload-identity on GKE or wif elsewhere"));
        capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
            .state(CapabilityState.NEEDS_ACTION).count(1)
            .reason("one long-lived service-account key in Secret " + KEY_SECRET + " in namespace "
                + config.secrets().namespace())
            .remedy("create the key Secret, rotate it regularly, or switch to keyless auth").build());
        break;
      case WIF:
        capabilities.add(Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.NEEDS_ACTION,
            "ESO exchanges a short-lived Kubernetes token through Workload Identity Federation",
            "create a workload identity pool provider that trusts the cluster's OIDC issuer, and publish the issuer"));
        capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
            .state(CapabilityState.SUPPORTED).count(0).reason("tokens are minted per request and expire").build());
        break;
      default:
        capabilities.add(Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.SUPPORTED,
            "ESO's ServiceAccount is bound to a Google service account through GKE Workload Identity", null));
        capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
            .state(CapabilityState.SUPPORTED).count(0).reason("GKE's metadata server issues short-lived tokens").build());
        break;
    }
    return capabilities;
  }

  @Override
  public GenericKubernetesResource clusterSecretStore(RenderContext context) {
    String project = config.cluster().projectId().orElseThrow(() -> new ConfigException(
        "cluster.projectID was '' but must name the GCP project that holds the secrets (secret_backend "
            + GcpSecretManagerProvider.ID + ")"));
    Map<String, Object> serviceAccountRef = new LinkedHashMap<>();
    serviceAccountRef.put("name", config.secrets().serviceAccount());
    serviceAccountRef.put("namespace", config.secrets().namespace());
    Map<String, Object> authSpec = new LinkedHashMap<>();
    switch (auth) {
      case SA_KEY:
        authSpec.put("secretRef", Map.of("secretAccessKeySecretRef", Map.of(
            "name", KEY_SECRET, "key", "secret-access-credentials", "namespace", config.secrets().namespace())));
        break;
      case WIF:
        WifSettings wif = WifSettings.from(config);
        serviceAccountRef.put("audiences", List.of(wif.audience()));
        Map<String, Object> federation = new LinkedHashMap<>();
        federation.put("serviceAccountRef", serviceAccountRef);
        federation.put("audience", wif.audience());
        wif.serviceAccountEmail().ifPresent(email -> federation.put("gcpServiceAccountEmail", email));
        authSpec.put("workloadIdentityFederation", federation);
        break;
      default:
        Map<String, Object> wi = new LinkedHashMap<>();
        wi.put("serviceAccountRef", serviceAccountRef);
        config.cluster().location().ifPresent(l -> wi.put("clusterLocation", l));
        config.cluster().name().ifPresent(n -> wi.put("clusterName", n));
        wi.put("clusterProjectID", project);
        authSpec.put("workloadIdentity", wi);
        break;
    }
    Map<String, Object> gcpsm = new LinkedHashMap<>();
    gcpsm.put("projectID", project);
    gcpsm.put("auth", authSpec);
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("external-secrets.io/v1")
        .withKind("ClusterSecretStore")
        .withNewMetadata().withName(STORE_NAME).addToLabels("app.kubernetes.io/managed-by", "substrate").endMetadata()
        .addToAdditionalProperties("spec", Map.of("provider", Map.of("gcpsm", gcpsm)))
        .build();
  }

  @Override
  public List<Check> checks() {
    return ExternalSecretsChecks.forBackend(this, "gcpsm");
  }

  @Override
  public SecretStore store() {
    throw new SubstrateException("the " + GcpSecretManagerProvider.ID
        + " SecretStore client is not implemented yet; seed secrets with gcloud for now");
  }
}
