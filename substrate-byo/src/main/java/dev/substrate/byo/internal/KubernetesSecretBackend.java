package dev.substrate.byo.internal;

import dev.substrate.spi.Resources;
import static dev.substrate.spi.Resources.map;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.RenderContext;
import dev.substrate.SecretBackend;
import dev.substrate.SecretStore;
import dev.substrate.SecretsConfig;
import dev.substrate.spi.checks.ExternalSecretsChecks;
import dev.substrate.spi.Check;
import dev.substrate.spi.ProviderContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;

/**
 * Secrets as Kubernetes Secrets in {@code secrets.remote_namespace}, which ESO's {@code kubernetes} provider reads
 * with its own ServiceAccount. Renders only the ClusterSecretStore, so that switching backends changes that one
 * resource; the namespace and RBAC it needs are a capability with a remedy.
 */
final class KubernetesSecretBackend implements SecretBackend {
  static final String ESO_PROVIDER = "kubernetes";
  static final String ACCESS_CAPABILITY = CapabilityIds.SECRETS_BACKEND_ACCESS;

  private final ProviderContext context;
  private final SecretsConfig secrets;

  KubernetesSecretBackend(ProviderContext context) {
    this.context = context;
    this.secrets = context.config().secrets();
  }

  @Override
  public String id() {
    return KubernetesSecretBackendProvider.ID;
  }

  @Override
  public List<Capability> capabilities() {
    String remote = secrets.remoteNamespace();
    String account = secrets.namespace() + "/" + secrets.serviceAccount();
    return List.of(
        Capability.of(CapabilityIds.SECRETS_KEYLESS, CapabilityState.SUPPORTED,
            "ESO authenticates to the Kubernetes API with short-lived tokens of its own ServiceAccount", null),
        Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS).state(CapabilityState.SUPPORTED)
            .reason("the secrets live in the cluster itself and ESO reads them with ServiceAccount tokens").count(0)
            .build(),
        Capability.of(ACCESS_CAPABILITY, CapabilityState.NEEDS_ACTION,
            "ESO reads Secrets in namespace " + remote + " as ServiceAccount " + account
                + ", so that namespace must exist and the ServiceAccount must be allowed to read Secrets there",
            "kubectl create namespace " + remote + "; kubectl -n " + remote + " create role substrate-secrets"
                + " --verb=get,list,watch,create,update,patch,delete --resource=secrets; kubectl -n " + remote
                + " create rolebinding substrate-secrets --role=substrate-secrets --serviceaccount=" + secrets.namespace() + ":"
                + secrets.serviceAccount()
                + " (create, update, patch and delete are for PushSecret only)"));
  }

  @Override
  public GenericKubernetesResource clusterSecretStore(RenderContext renderContext) {
    SecretsConfig config = renderContext.config().secrets();
    String remote = config.remoteNamespace();
    return Resources.custom("external-secrets.io/v1", "ClusterSecretStore", null, STORE_NAME, map(
        "provider", map(ESO_PROVIDER, map(
            "remoteNamespace", remote,
            "server", map("caProvider", map(
                "type", "ConfigMap", "name", "kube-root-ca.crt", "key", "ca.crt", "namespace", remote)),
            "auth", map("serviceAccount", map(
                "name", config.serviceAccount(), "namespace", config.namespace()))))));
  }

  @Override
  public List<Check> checks() {
    return ExternalSecretsChecks.forBackend(this, ESO_PROVIDER);
  }

  @Override
  public SecretStore store() {
    return new KubernetesSecretStore(context.requireClient("the kubernetes secret backend"), secrets.remoteNamespace());
  }
}
