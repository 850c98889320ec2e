package dev.substrate.secrets.wif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.CapabilityIds;
import dev.substrate.ConfigException;
import dev.substrate.RenderContext;
import dev.substrate.SecretBackend;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class GcpSecretManagerBackendTest {
  private static SecretBackendProvider provider(String id) {
    return ServiceLoader.load(SecretBackendProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.id().equals(id) || p.aliases().contains(id)).findFirst().orElseThrow();
  }

  private static SecretBackend backend(String yaml) {
    SubstrateConfig config = SubstrateConfig.parse(yaml);
    return provider("gcp-secret-manager").create(new ProviderContext(config, "gke", null));
  }

  @Test
  void isFoundByItsIdAndByTheAliasGcpsm() {
    assertThat(provider("gcp-secret-manager").id()).isEqualTo("gcp-secret-manager");
    assertThat(provider("gcpsm").id()).isEqualTo("gcp-secret-manager");
  }

  @Test
  @SuppressWarnings("unchecked")
  void workloadIdentityRendersTheStoreWithTheProjectAndServiceAccount() {
    SecretBackend backend = backend("secret_store_auth: workload-identity\ncluster: {projectID: acme-ml, name: prod}\n");
    var store = backend.clusterSecretStore(RenderContext.of("gke", SubstrateConfig.defaults()));
    assertThat(store.getMetadata().getName()).isEqualTo("secret-store");
    Map<String, Object> gcpsm = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) store
        .getAdditionalProperties().get("spec")).get("provider")).get("gcpsm");
    assertThat(gcpsm).containsEntry("projectID", "acme-ml");
    assertThat(gcpsm.get("auth").toString()).contains("workloadIdentity").contains("external-secrets");
    assertThat(backend.capability(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS).orElseThrow().count()).hasValue(0);
  }

  @Test
  void saKeyCountsOneLongLivedCredential() {
    SecretBackend backend = backend("secret_store_auth: sa-key\ncluster: {projectID: acme-ml}\n");
    assertThat(backend.capability(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS).orElseThrow().count()).hasValue(1);
    var store = backend.clusterSecretStore(RenderContext.of("gke", SubstrateConfig.defaults()));
    assertThat(store.getAdditionalProperties().get("spec").toString()).contains("secretAccessKeySecretRef");
  }

  @Test
  void aMissingProjectIsAConfigErrorNamingTheKey() {
    SecretBackend backend = backend("secret_store_auth: workload-identity\n");
    assertThatThrownBy(() -> backend.clusterSecretStore(RenderContext.of("gke", SubstrateConfig.defaults())))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("cluster.projectID was ''");
  }

  @Test
  void wifRendersFederationWithTheAudienceOnTheTokenRequest() {
    String audience = "//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/hetzner/providers/k3s";
    SecretBackend backend = backend("secret_store_auth: wif\ncluster: {projectID: acme-ml}\nwif: {audience: '"
        + audience + "', service_account_email: eso@acme-ml.iam.gserviceaccount.com}\n");
    String spec = backend.clusterSecretStore(RenderContext.of("hetzner", SubstrateConfig.defaults()))
        .getAdditionalProperties().get("spec").toString();
    assertThat(spec).contains("workloadIdentityFederation").contains("audiences=[" + audience + "]")
        .contains("audience=" + audience).contains("gcpServiceAccountEmail=eso@acme-ml.iam.gserviceaccount.com");
  }

  @Test
  void wifWithoutAPoolProviderIsAConfigErrorNamingTheKey() {
    SecretBackend backend = backend("secret_store_auth: wif\ncluster: {projectID: acme-ml}\nwif: {audince: x}\n");
    ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
        () -> backend.clusterSecretStore(RenderContext.of("hetzner", SubstrateConfig.defaults())));
    assertThat(e.problems()).hasSize(2);
    assertThat(e.problems().get(0)).startsWith("wif.audince is not a known key");
    assertThat(e.problems().get(1)).startsWith("wif.audience was '' but must be the workload identity pool provider");
  }
}
