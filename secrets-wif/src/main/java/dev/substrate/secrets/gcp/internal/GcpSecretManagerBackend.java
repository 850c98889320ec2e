package dev.substrate.secrets.gcp.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.ConfigException;
import dev.substrate.RenderContext;
import dev.substrate.SecretBackend;
import dev.substrate.SecretStore;
import dev.substrate.SecretStoreAuth;
import dev.substrate.SubstrateConfig;
import dev.substrate.secrets.gcp.GcpSecretStore;
import dev.substrate.secrets.wif.internal.WifChecks;
import dev.substrate.secrets.wif.internal.WifSettings;
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
  private final String substrateId;
  private final SecretStoreAuth auth;
  private final SecretManagerSettings settings;
  private GcpSecretStore store;

  /** {@code substrateId} names the substrate the capabilities are shown for; GKE Workload Identity exists only on gke. */
  GcpSecretManagerBackend(SubstrateConfig config, String substrateId) {
    this.config = config;
    this.substrateId = substrateId == null ? "" : substrateId;
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

  private boolean onGke() {
    return "gke".equals(substrateId);
  }

  @Override
  public List<Capability> capabilities() {
    List<Capability> capabilities = new ArrayList<>();
    String keyless = onGke() ? "workload-identity" : "wif";
    switch (auth) {
      case SA_KEY:
        capabilities.add(Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.UNSUPPORTED,
            "secret_store_auth sa-key authenticates with a static service-account key",
            "use secret_store_auth " + keyless));
        capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
            .state(CapabilityState.NEEDS_ACTION).count(1)
            .reason("one long-lived service-account key in Secret " + KEY_SECRET + " in namespace "
                + config.secrets().namespace())
            .remedy("create the key Secret, rotate it regularly, or switch to secret_store_auth " + keyless).build());
        break;
      case WIF:
        capabilities.add(federation());
        capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
            .state(CapabilityState.SUPPORTED).count(0).reason("ESO trades short-lived tokens of its ServiceAccount for "
                + "Google access tokens through Workload Identity Federation; no key is stored").build());
        break;
      default:
        if (onGke()) {
          capabilities.add(workloadIdentity());
          capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
              .state(CapabilityState.SUPPORTED).count(0).reason("GKE's metadata server issues short-lived tokens")
              .build());
        } else {
          capabilities.add(Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.UNSUPPORTED,
              "secret_store_auth workload-identity works only on the gke substrate (its nodes' metadata server); a "
                  + substrateName() + " cluster has none, so ESO cannot authenticate to Secret Manager",
              "use secret_store_auth wif: Workload Identity Federation trusts the cluster's own token issuer"));
          capabilities.add(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
              .state(CapabilityState.SUPPORTED).count(0).reason("secret_store_auth workload-identity stores no key "
                  + "(on " + substrateName() + " it cannot authenticate either; see " + CapabilityIds.SECRETS_KEYLESS
                  + ")").build());
        }
        break;
    }
    capabilities.add(access());
    return capabilities;
  }

  private String substrateName() {
    return substrateId.isEmpty() ? "non-gke" : substrateId;
  }

  /** The Kubernetes subject ESO's tokens carry. */
  private String subject() {
    return "system:serviceaccount:" + config.secrets().namespace() + ":" + config.secrets().serviceAccount();
  }

  /**
   * Workload Identity Federation: the pool provider must trust the cluster's issuer. Keyless, but Substrate cannot
   * create the provider or host the issuer documents.
   */
  private Capability federation() {
    return Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.NEEDS_ACTION,
        "ESO exchanges a short-lived token for its ServiceAccount (" + subject() + ") through Workload Identity "
            + "Federation; no key is stored",
        "create a pool provider that trusts the cluster's issuer (attribute mapping google.subject=assertion.sub), "
            + "and publish the issuer documents or upload the JWKS (substrate wif issuer --publish DIR)");
  }

  private Optional<WifSettings> wifSettings() {
    return config.section("wif").isPresent() ? Optional.of(WifSettings.from(config)) : Optional.empty();
  }

  /**
   * GKE Workload Identity: either ESO's ServiceAccount is itself the principal IAM grants access to, or, with
   * {@code secret_manager.service_account_email}, it acts as that Google service account (annotation rendered).
   */
  private Capability workloadIdentity() {
    String ns = config.secrets().namespace();
    String ksa = config.secrets().serviceAccount();
    Optional<String> email = settings.serviceAccountEmail();
    if (email.isPresent()) {
      return Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.SUPPORTED,
          "ESO's ServiceAccount " + ns + "/" + ksa + " acts as " + email.get() + " through GKE Workload Identity ("
              + "annotation " + GSA_ANNOTATION + ", rendered); GKE's metadata server issues short-lived tokens", null);
    }
    return Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.SUPPORTED,
        "ESO's ServiceAccount " + ns + "/" + ksa + " is itself the IAM principal through GKE Workload Identity "
            + "(no annotation, no Google service account); GKE's metadata server issues short-lived tokens", null);
  }

  /**
   * {@value CapabilityIds#SECRETS_BACKEND_ACCESS}: the IAM grant that lets ESO's identity read the secrets, which
   * every auth needs and only the project's owner can make.
   */
  private Capability access() {
    String project = config.cluster().projectId().orElse("PROJECT_ID");
    String ns = config.secrets().namespace();
    String ksa = config.secrets().serviceAccount();
    String secretAccessor = " --role roles/secretmanager.secretAccessor --member ";
    switch (auth) {
      case SA_KEY:
        return Capability.of(CapabilityIds.SECRETS_BACKEND_ACCESS, CapabilityState.NEEDS_ACTION,
            "the Google service account whose key is in Secret " + KEY_SECRET + " must be allowed to read the "
                + "secrets of project " + project,
            "gcloud projects add-iam-policy-binding " + project + secretAccessor + "serviceAccount:SA_EMAIL");
      case WIF: {
        Optional<WifSettings> wif = wifSettings();
        String principal = wif.map(w -> w.principal(subject())).orElse("principal://iam.googleapis.com/projects/"
            + "NUMBER/locations/global/workloadIdentityPools/POOL/subject/" + subject());
        Optional<String> email = wif.flatMap(WifSettings::serviceAccountEmail);
        if (email.isPresent()) {
          return Capability.of(CapabilityIds.SECRETS_BACKEND_ACCESS, CapabilityState.NEEDS_ACTION,
              "the federated identity " + principal + " acts as " + email.get() + ", which must be allowed to read "
                  + "the secrets of project " + project,
              "gcloud iam service-accounts add-iam-policy-binding " + email.get()
                  + " --role roles/iam.workloadIdentityUser --member " + principal + "; gcloud projects "
                  + "add-iam-policy-binding " + project + secretAccessor + "serviceAccount:" + email.get());
        }
        return Capability.of(CapabilityIds.SECRETS_BACKEND_ACCESS, CapabilityState.NEEDS_ACTION,
            "the federated identity " + principal + " must be allowed to read each secret",
            "gcloud secrets add-iam-policy-binding SECRET --project " + project + secretAccessor + principal);
      }
      default: {
        Optional<String> email = settings.serviceAccountEmail();
        String pool = project + ".svc.id.goog";
        if (email.isPresent()) {
          return Capability.of(CapabilityIds.SECRETS_BACKEND_ACCESS, CapabilityState.NEEDS_ACTION,
              "ESO's ServiceAccount " + ns + "/" + ksa + " must be allowed to act as " + email.get()
                  + ", and that account to read the secrets of project " + project,
              "gcloud iam service-accounts add-iam-policy-binding " + email.get() + " --role "
                  + "roles/iam.workloadIdentityUser --member 'serviceAccount:" + pool + "[" + ns + "/" + ksa + "]'; "
                  + "gcloud projects add-iam-policy-binding " + project + secretAccessor + "serviceAccount:"
                  + email.get());
        }
        String member = "principal://iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/"
            + "workloadIdentityPools/" + pool + "/subject/ns/" + ns + "/sa/" + ksa;
        return Capability.of(CapabilityIds.SECRETS_BACKEND_ACCESS, CapabilityState.NEEDS_ACTION,
            "ESO's ServiceAccount " + ns + "/" + ksa + " must be allowed to read each secret",
            "gcloud secrets add-iam-policy-binding SECRET --project " + project + secretAccessor + member
                + " (PROJECT_NUMBER: gcloud projects describe " + project + " --format='value(projectNumber)'); or set "
                + "secret_manager.service_account_email to act as a Google service account");
      }
    }
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

  /**
   * The oldest ESO release that runs the rendered store: {@code external-secrets.io/v1} from v0.16.0
   * (external-secrets/external-secrets apis/externalsecrets/v1 first in tag v0.16.0); {@code workloadIdentityFederation}
   * came in v0.20.0 (commit 6ec15bded) but authenticated a {@code serviceAccountRef} token with the wrong audience
   * until v0.20.2 (commit d21a82e8f, issue 5388); {@code gcpServiceAccountEmail} came in v2.5.0 (commit 801018ac6).
   */
  private Check esoVersion() {
    if (auth == SecretStoreAuth.WIF) {
      Optional<String> email;
      try {
        email = wifSettings().flatMap(WifSettings::serviceAccountEmail);
      } catch (ConfigException e) {
        email = Optional.empty();
      }
      return email.isPresent()
          ? ExternalSecretsChecks.version("v2.5.0", "the rendered workloadIdentityFederation.gcpServiceAccountEmail")
          : ExternalSecretsChecks.version("v0.20.2", "the rendered workloadIdentityFederation with serviceAccountRef");
    }
    return ExternalSecretsChecks.version("v0.16.0", "the rendered external-secrets.io/v1 ClusterSecretStore");
  }

  /** ESO's checks and, for {@code wif}, the keyless chain: issuer, published JWKS and a minted token. */
  @Override
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>(ExternalSecretsChecks.forBackend(this, "gcpsm", config));
    checks.add(esoVersion());
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
