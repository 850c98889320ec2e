package dev.substrate.secrets.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ConfigException;
import dev.substrate.RenderContext;
import dev.substrate.Rendering;
import dev.substrate.ResourceKind;
import dev.substrate.SecretBackend;
import dev.substrate.SecretStore;
import dev.substrate.SecretValue;
import dev.substrate.SubstrateConfig;
import dev.substrate.cloudfakes.google.FakeSecretManager;
import dev.substrate.spi.Check;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  private static final String WI = "secret_store_auth: workload-identity\ncluster: {projectID: acme-ml, name: prod}\n";
  private static final String AUDIENCE =
      "//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/hetzner/providers/k3s-oidc";

  @TempDir Path tmp;

  @Test
  void workloadIdentityWithoutAGoogleServiceAccountRendersOnlyTheStoreAndNamesTheDirectBinding() {
    SecretBackend backend = backend(WI + "secrets: {namespace: eso, service_account: eso-sa}\n");
    List<HasMetadata> resources = backend.resources(RenderContext.of("gke", SubstrateConfig.defaults()));
    assertThat(resources).extracting(HasMetadata::getKind).containsExactly("ClusterSecretStore");
    Capability keyless = backend.capability(CapabilityIds.SECRETS_KEYLESS).orElseThrow();
    assertThat(keyless.state()).as("the IAM grant every auth needs is no keyless gap").isEqualTo(CapabilityState.SUPPORTED);
    Capability access = backend.capability(CapabilityIds.SECRETS_BACKEND_ACCESS).orElseThrow();
    assertThat(access.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
    assertThat(access.remedy()).hasValueSatisfying(r -> assertThat(r)
        .contains("gcloud secrets add-iam-policy-binding SECRET --project acme-ml "
            + "--role roles/secretmanager.secretAccessor --member principal://iam.googleapis.com/projects/"
            + "PROJECT_NUMBER/locations/global/workloadIdentityPools/acme-ml.svc.id.goog/subject/ns/eso/sa/eso-sa")
        .contains("gcloud projects describe acme-ml"));
  }

  @Test
  void workloadIdentityWithAGoogleServiceAccountRendersEsosServiceAccountAnnotatedBeforeTheStore() {
    SecretBackend backend = backend(WI + "secret_manager: {service_account_email: eso@acme-ml.iam.gserviceaccount.com}\n");
    List<HasMetadata> resources = backend.resources(RenderContext.of("gke", SubstrateConfig.defaults()));
    assertThat(resources).extracting(HasMetadata::getKind).containsExactly("ServiceAccount", "ClusterSecretStore");
    ServiceAccount account = (ServiceAccount) resources.get(0);
    assertThat(account.getMetadata().getNamespace()).isEqualTo("external-secrets");
    assertThat(account.getMetadata().getName()).isEqualTo("external-secrets");
    assertThat(account.getMetadata().getAnnotations())
        .containsExactly(Map.entry("iam.gke.io/gcp-service-account", "eso@acme-ml.iam.gserviceaccount.com"));
    assertThat(account.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "substrate");
    Capability keyless = backend.capability(CapabilityIds.SECRETS_KEYLESS).orElseThrow();
    assertThat(keyless.state()).isEqualTo(CapabilityState.SUPPORTED);
    assertThat(keyless.reason()).contains("acts as eso@acme-ml.iam.gserviceaccount.com");
    Capability access = backend.capability(CapabilityIds.SECRETS_BACKEND_ACCESS).orElseThrow();
    assertThat(access.remedy()).hasValueSatisfying(r -> assertThat(r).contains(
        "gcloud iam service-accounts add-iam-policy-binding eso@acme-ml.iam.gserviceaccount.com "
            + "--role roles/iam.workloadIdentityUser --member 'serviceAccount:acme-ml.svc.id.goog"
            + "[external-secrets/external-secrets]'"));
  }

  @Test
  void theEsoVersionCheckAsksForTheReleaseThatRunsTheRenderedStore() {
    ClusterSnapshot eso24 = ClusterSnapshot.builder().addObjects(ResourceKind.DEPLOYMENTS, List.of(
        new DeploymentBuilder().withNewMetadata().withName("external-secrets").withNamespace("external-secrets")
            .addToLabels("app.kubernetes.io/name", "external-secrets").endMetadata().withNewSpec().withNewTemplate()
            .withNewSpec().addNewContainer().withName("external-secrets")
            .withImage("ghcr.io/external-secrets/external-secrets:v2.4.0").endContainer().endSpec().endTemplate()
            .endSpec().build())).build();
    String wif = "secret_store_auth: wif\ncluster: {projectID: acme-ml}\nwif: {audience: '" + AUDIENCE + "'";
    Check withEmail = backend(wif + ", service_account_email: eso@acme-ml.iam.gserviceaccount.com}\n").checks().stream()
        .filter(c -> c.id().equals("eso.version")).findFirst().orElseThrow();
    CheckResult r = withEmail.run(eso24);
    assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(r.finding()).contains("gcpServiceAccountEmail needs v2.5.0");
    Check plain = backend(wif + "}\n").checks().stream().filter(c -> c.id().equals("eso.version")).findFirst()
        .orElseThrow();
    assertThat(plain.run(eso24).status()).isEqualTo(CheckStatus.PASS);
  }

  @Test
  void offGkeWorkloadIdentityIsNotKeylessAndNoTextSpeaksOfGkesMetadataServer() {
    for (String substrate : List.of("hetzner", "byo")) {
      SecretBackend backend = provider("gcp-secret-manager").create(new ProviderContext(
          SubstrateConfig.parse(WI), substrate, null));
      Capability keyless = backend.capability(CapabilityIds.SECRETS_KEYLESS).orElseThrow();
      assertThat(keyless.state()).isEqualTo(CapabilityState.UNSUPPORTED);
      assertThat(keyless.reason()).contains("a " + substrate + " cluster has none").doesNotContain("GKE");
      assertThat(keyless.remedy()).hasValueSatisfying(r -> assertThat(r).contains("secret_store_auth wif"));
      Capability longLived = backend.capability(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS).orElseThrow();
      assertThat(longLived.reason()).doesNotContain("metadata server").contains("on " + substrate);
    }
    SecretBackend saKey = provider("gcp-secret-manager").create(new ProviderContext(
        SubstrateConfig.parse("secret_store_auth: sa-key\ncluster: {projectID: acme-ml}\n"), "hetzner", null));
    for (Capability c : saKey.capabilities()) {
      assertThat(c.reason() + c.remedy().orElse("")).as(c.id()).doesNotContain("GKE").doesNotContain("workload-identity");
    }
  }

  @Test
  void theGoogleServiceAccountOfSecretManagerBelongsToWorkloadIdentityOnly() {
    ConfigException wif = catchThrowableOfType(ConfigException.class, () -> backend("secret_store_auth: wif\n"
        + "secret_manager: {service_account_email: eso@acme-ml.iam.gserviceaccount.com}\n"));
    assertThat(wif.getMessage()).contains("applies only to secret_store_auth workload-identity")
        .contains("wif.service_account_email");
  }

  @Test
  void keysThatNameWhereATokenIsNeverEchoAToken() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> backend(WI
        + "secret_manager: {endpoint: 'https://me:s3cr3t-pw@h/?key=s3cr3t-key', "
        + "access_token_file: ya29.a0AfH6SMs3cr3t-tok3n}\n"));
    assertThat(e.problems()).containsExactly(
        "secret_manager.endpoint was 'https://h/' (its user info and query are not shown) but must be an http(s) URL "
            + "with no path, user info or query, e.g. https://secretmanager.googleapis.com or http://127.0.0.1:8085 "
            + "for a local fake",
        "secret_manager.access_token_file looks like a token, not a file name (its value is not shown): it must name "
            + "a file holding the token, such as /run/token");
    ConfigException notUrl = catchThrowableOfType(ConfigException.class, () -> backend(WI
        + "secret_manager: {endpoint: ya29.a0AfH6SMs3cr3t-tok3n}\n"));
    assertThat(notUrl.problems()).singleElement().asString().startsWith("secret_manager.endpoint is not a URL")
        .doesNotContain("s3cr3t");
  }

  @Test
  void theSecretManagerSectionIsCheckedReportingEveryProblem() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> backend(WI
        + "secret_manager: {endpont: x, endpoint: 'ftp://h', parallelism: 0, service_account_email: me@gmail.com}\n"));
    assertThat(e.problems()).hasSize(4);
    assertThat(e.problems().get(0)).startsWith("secret_manager.endpont is not a known key (known: endpoint, "
        + "parallelism, access_token_file, service_account_email)");
    assertThat(e.problems().get(1)).startsWith("secret_manager.endpoint was 'ftp://h' but must be an http(s) URL");
    assertThat(e.problems().get(2)).isEqualTo("secret_manager.parallelism was '0' but must be a whole number from 1 "
        + "to 256");
    assertThat(e.problems().get(3)).startsWith("secret_manager.service_account_email was 'me@gmail.com'");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"workload-identity", "sa-key", "wif"})
  void everyAuthRendersManifestsTheUpstreamSchemasAccept(String auth) throws Exception {
    String yaml = "secret_store_auth: " + auth + "\ncluster: {projectID: acme-ml, name: prod, location: europe-west4}\n"
        + (auth.equals("wif") ? "wif: {audience: '" + AUDIENCE + "', service_account_email: "
            + "eso@acme-ml.iam.gserviceaccount.com}\n" : "")
        + (auth.equals("workload-identity") ? "secret_manager: {service_account_email: "
            + "eso@acme-ml.iam.gserviceaccount.com}\n" : "");
    List<HasMetadata> resources = backend(yaml).resources(RenderContext.of("gke", SubstrateConfig.defaults()));
    Path dir = tmp.resolve(auth);
    new Rendering(resources).writeTo(dir);
    Path tool = Path.of(System.getProperty("substrate.shared", "/work/shared"), "tools", "validate-manifests");
    Process p = new ProcessBuilder("bash", tool.toString(), dir.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("validate-manifests finished").isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(Files.readString(dir.resolve("kustomization.yaml"))).contains("clustersecretstore");
  }

  @Test
  void theStoreComesFromTheConfigAndTalksToTheConfiguredEndpoint() throws Exception {
    try (FakeSecretManager fake = FakeSecretManager.start()) {
      Path token = Files.writeString(tmp.resolve("token"), fake.token());
      SecretBackend backend = backend("cluster: {projectID: acme-ml}\nsecret_manager: {endpoint: '" + fake.url()
          + "', access_token_file: '" + token + "', parallelism: 4}\n");
      SecretStore store = backend.store();
      assertThat(store).isSameAs(backend.store()).isInstanceOf(GcpSecretStore.class);
      assertThat(store.put("hf-token", SecretValue.of("v"))).isEqualTo(SecretStore.PutResult.CREATED);
      assertThat(fake.secretIds("acme-ml")).containsExactly("hf-token");
      ((GcpSecretStore) store).close();
    }
  }

  @Test
  void theStoreNeedsTheProjectAndAReadableTokenFile() {
    assertThatThrownBy(() -> backend("secret_manager: {endpoint: 'http://127.0.0.1:9'}\n").store())
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("cluster.projectID was ''");
    assertThatThrownBy(() -> backend("cluster: {projectID: p}\nsecret_manager: {endpoint: 'http://127.0.0.1:9', "
        + "access_token_file: /nonexistent/token}\n").store())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("secret_manager.access_token_file was '/nonexistent/token' but must be a readable file");
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
    String audience = "//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/hetzner/providers/k3s-oidc";
    SecretBackend backend = backend("secret_store_auth: wif\ncluster: {projectID: acme-ml}\nwif: {audience: '"
        + audience + "', service_account_email: eso@acme-ml.iam.gserviceaccount.com}\n");
    String spec = backend.clusterSecretStore(RenderContext.of("hetzner", SubstrateConfig.defaults()))
        .getAdditionalProperties().get("spec").toString();
    assertThat(spec).contains("workloadIdentityFederation").contains("audiences=[" + audience + "]")
        .contains("audience=" + audience).contains("gcpServiceAccountEmail=eso@acme-ml.iam.gserviceaccount.com");
  }

  @Test
  void wifRendersTheServiceAccountWhoseTokensEsoExchangesBeforeTheStore() {
    SecretBackend backend = backend("secret_store_auth: wif\ncluster: {projectID: acme-ml}\n"
        + "secrets: {namespace: eso, service_account: secret-store}\nwif: {audience: '" + AUDIENCE + "'}\n");
    List<HasMetadata> resources = backend.resources(RenderContext.of("hetzner", SubstrateConfig.defaults()));
    assertThat(resources).extracting(HasMetadata::getKind).containsExactly("ServiceAccount", "ClusterSecretStore");
    ServiceAccount account = (ServiceAccount) resources.get(0);
    assertThat(account.getMetadata().getNamespace()).isEqualTo("eso");
    assertThat(account.getMetadata().getName()).isEqualTo("secret-store");
    assertThat(account.getMetadata().getAnnotations()).as("no GKE annotation off GKE").isNullOrEmpty();
    assertThat(resources.get(1).toString()).contains("serviceAccountRef={name=secret-store, namespace=eso, "
        + "audiences=[" + AUDIENCE + "]}");
    assertThat(backend.capability(CapabilityIds.SECRETS_KEYLESS).orElseThrow().state())
        .isEqualTo(CapabilityState.NEEDS_ACTION);
    assertThat(backend.capability(CapabilityIds.SECRETS_BACKEND_ACCESS).orElseThrow().remedy().orElseThrow())
        .contains("principal://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/"
            + "hetzner/subject/system:serviceaccount:eso:secret-store");
  }

  @Test
  void aProviderIdGoogleWouldRefuseIsAConfigError() {
    SecretBackend backend = backend("secret_store_auth: wif\ncluster: {projectID: acme-ml}\nwif: {audience: '"
        + AUDIENCE.replace("k3s-oidc", "k3s") + "'}\n");
    ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
        () -> backend.clusterSecretStore(RenderContext.of("hetzner", SubstrateConfig.defaults())));
    assertThat(e.problems()).singleElement().asString().startsWith("wif.audience was '//iam.googleapis.com/")
        .endsWith("(POOL and PROVIDER 4-32 lowercase letters, digits or hyphens, not starting with gcp-)");
  }

  @Test
  void aProviderOrPoolIdWithGooglesReservedPrefixIsAConfigErrorNamingTheKey() {
    for (String[] reserved : new String[][] {{"providers/k3s-oidc", "providers/gcp-k3s", "provider id gcp-k3s"},
        {"workloadIdentityPools/hetzner", "workloadIdentityPools/gcp-hetzner", "pool id gcp-hetzner"}}) {
      String audience = AUDIENCE.replace(reserved[0], reserved[1]);
      ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
          () -> backend("secret_store_auth: wif\ncluster: {projectID: acme-ml}\nwif: {audience: '" + audience + "'}\n")
              .clusterSecretStore(RenderContext.of("hetzner", SubstrateConfig.defaults())));
      assertThat(e.problems()).singleElement().asString().isEqualTo("wif.audience was '" + audience + "' but its "
          + reserved[2] + " starts with gcp-, which Google reserves; create the pool and provider with other ids");
      assertThat(e.problems().get(0)).doesNotContain("\n");
    }
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
