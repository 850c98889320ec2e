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
import dev.substrate.secrets.wif.GcpSecretStore;
import dev.substrate.spi.Check;
import dev.substrate.spi.checks.ExternalSecretsChecks;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ESO's {@code gcpsm} provider, rendered for the configured {@code secret_store_auth}. */
final class GcpSecretManagerBackend implements SecretBackend {
  /** The Secret holding a service-account key for {@code sa-key} auth, created by the user. */
  static final String KEY_SECRET = "gcp-sa-key";

  /** The annotation that makes GKE Workload Identity act as a Google service account for a Kubernetes one. */
  static final String GSA_ANNOTATION = "iam.gke.io/gcp-service-account";

  private final SubstrateConfig config;
  private final SecretStoreAuth auth;
  private final SecretManagerSettings settings;
  private GcpSecretStore store;

  GcpSecretManagerBackend(SubstrateConfig config) {
    this.config = config;
    this.auth = config.secretStoreAuth().orElse(SecretStoreAuth.WORKLOAD_IDENTITY);
    this.settings = SecretManagerSettings.from(config);
    if (auth != SecretStoreAuth.WORKLOAD_IDENTITY && settings.serviceAccountEmail().isPresent()) {
      throw new ConfigException(SecretManagerSettings.SECTION + ".service_account_email was '"
          + settings.serviceAccountEmail().get() + "' but applies only to secret_store_auth workload-identity"
          + (auth == SecretStoreAuth.WIF ? "; with wif, set wif.service_account_email" : "; remove it with sa-key"));
    }
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
        capabilities.add(federation());
        capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
            .state(CapabilityState.SUPPORTED).count(0).reason("tokens are minted per request and expire").build());
        break;
      default:
        capabilities.add(workloadIdentity());
        capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
            .state(CapabilityState.SUPPORTED).count(0).reason("GKE's metadata server issues short-lived tokens").build());
        break;
    }
    return capabilities;
  }

  /** Workload Identity Federation: what the pool provider and IAM need for ESO's ServiceAccount's tokens. */
  private Capability federation() {
    String subject = "system:serviceaccount:" + config.secrets().namespace() + ":" + config.secrets().serviceAccount();
    Optional<WifSettings> wif = wifSettings();
    String principal = wif.map(w -> w.principal(subject)).orElse("principal://iam.googleapis.com/projects/NUMBER/"
        + "locations/global/workloadIdentityPools/POOL/subject/" + subject);
    String grant = wif.flatMap(WifSettings::serviceAccountEmail)
        .map(email -> "gcloud iam service-accounts add-iam-policy-binding " + email
            + " --role roles/iam.workloadIdentityUser --member " + principal)
        .orElse("gcloud secrets add-iam-policy-binding SECRET --role roles/secretmanager.secretAccessor --member "
            + principal);
    return Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.NEEDS_ACTION,
        "ESO exchanges a short-lived token for its ServiceAccount (" + subject + ") through Workload Identity "
            + "Federation; no key is stored",
        "create a pool provider that trusts the cluster's issuer (attribute mapping google.subject=assertion.sub), "
            + "publish the issuer documents or upload the JWKS (substrate wif issuer --publish DIR), then " + grant);
  }

  private Optional<WifSettings> wifSettings() {
    return config.section("wif").isPresent() ? Optional.of(WifSettings.from(config)) : Optional.empty();
  }

  /**
   * GKE Workload Identity: either ESO's ServiceAccount is itself the principal IAM grants access to, or, with
   * {@code secret_manager.service_account_email}, it acts as that Google service account.
   */
  private Capability workloadIdentity() {
    String project = config.cluster().projectId().orElse("PROJECT_ID");
    String ns = config.secrets().namespace();
    String ksa = config.secrets().serviceAccount();
    String pool = project + ".svc.id.goog";
    Optional<String> email = settings.serviceAccountEmail();
    if (email.isPresent()) {
      return Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.NEEDS_ACTION,
          "ESO's ServiceAccount " + ns + "/" + ksa + " acts as " + email.get() + " through GKE Workload Identity ("
              + "annotation " + GSA_ANNOTATION + ", rendered)",
          "let it, and let the Google service account read the secrets: gcloud iam service-accounts "
              + "add-iam-policy-binding " + email.get() + " --role roles/iam.workloadIdentityUser --member "
              + "'serviceAccount:" + pool + "[" + ns + "/" + ksa + "]'; gcloud projects add-iam-policy-binding "
              + project + " --role roles/secretmanager.secretAccessor --member serviceAccount:" + email.get());
    }
    String member = "principal://iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/"
        + pool + "/subject/ns/" + ns + "/sa/" + ksa;
    return Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.NEEDS_ACTION,
        "ESO's ServiceAccount " + ns + "/" + ksa + " is itself the IAM principal through GKE Workload Identity "
            + "(no annotation, no Google service account)",
        "grant it access to each secret: gcloud secrets add-iam-policy-binding SECRET --project " + project
            + " --role roles/secretmanager.secretAccessor --member " + member + " (PROJECT_NUMBER: gcloud projects "
            + "describe " + project + " --format='value(projectNumber)'); or set secret_manager.service_account_email "
            + "to act as a Google service account");
  }

  /**
   * The ClusterSecretStore, after ESO's ServiceAccount where the store's identity hangs on it: annotated with
   * {@value #GSA_ANNOTATION} for {@code workload-identity} with {@code secret_manager.service_account_email}, and as
   * the token subject ({@code system:serviceaccount:NS:NAME}) for {@code wif}.
   */
  @Override
  public List<HasMetadata> resources(RenderContext context) {
    GenericKubernetesResource clusterStore = clusterSecretStore(context);
    boolean annotated = auth == SecretStoreAuth.WORKLOAD_IDENTITY && settings.serviceAccountEmail().isPresent();
    if (!annotated && auth != SecretStoreAuth.WIF) {
      return List.of(clusterStore);
    }
    ServiceAccountBuilder account = new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(config.secrets().serviceAccount())
        .withNamespace(config.secrets().namespace())
        .addToLabels("app.kubernetes.io/managed-by", "substrate")
        .endMetadata();
    if (annotated) {
      account.editMetadata().addToAnnotations(GSA_ANNOTATION, settings.serviceAccountEmail().get()).endMetadata();
    }
    return List.of(account.build(), clusterStore);
  }

  private String project() {
    return config.cluster().projectId().orElseThrow(() -> new ConfigException(
        "cluster.projectID was '' but must name the GCP project that holds the secrets (secret_backend "
            + GcpSecretManagerProvider.ID + ")"));
  }

  @Override
  public GenericKubernetesResource clusterSecretStore(RenderContext context) {
    String project = project();
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

  /** ESO's checks and, for {@code wif}, the keyless chain: issuer, published JWKS and a minted token. */
  @Override
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>(ExternalSecretsChecks.forBackend(this, "gcpsm", config));
    if (auth == SecretStoreAuth.WIF) {
      try {
        checks.addAll(new WifChecks(WifSettings.from(config), config.secrets()).all());
      } catch (ConfigException e) {
        checks.addAll(WifChecks.unconfigured(e));
      }
    }
    return checks;
  }

  /**
   * A {@link GcpSecretStore} for {@code cluster.projectID} at {@code secret_manager.endpoint}, authenticated with the
   * token in {@code secret_manager.access_token_file} or else Application Default Credentials; made on first use and
   * kept.
   */
  @Override
  public synchronized SecretStore store() {
    if (store == null) {
      GcpSecretStore.Builder b = GcpSecretStore.builder().projectId(project()).endpoint(settings.endpoint())
          .parallelism(settings.parallelism());
      settings.accessTokenFile().ifPresent(b::accessTokenFile);
      store = b.build();
    }
    return store;
  }
}
