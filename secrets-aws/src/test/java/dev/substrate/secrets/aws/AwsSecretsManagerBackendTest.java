package dev.substrate.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.ConfigException;
import dev.substrate.RenderContext;
import dev.substrate.Rendering;
import dev.substrate.SecretBackend;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AwsSecretsManagerBackendTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/external-secrets";

  @TempDir Path tmp;

  private static SecretBackendProvider provider(String id) {
    return ServiceLoader.load(SecretBackendProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.id().equals(id) || p.aliases().contains(id)).findFirst().orElseThrow();
  }

  static SecretBackend backend(String yaml, String substrate) {
    return provider("aws-secrets-manager").create(new ProviderContext(SubstrateConfig.parse(yaml), substrate, null));
  }

  private static RenderContext render() {
    return RenderContext.of("aws", SubstrateConfig.defaults());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> aws(GenericKubernetesResource store) {
    Map<String, Object> spec = (Map<String, Object>) store.getAdditionalProperties().get("spec");
    return (Map<String, Object>) ((Map<String, Object>) spec.get("provider")).get("aws");
  }

  @Test
  void isFoundThroughServiceLoaderByItsId() {
    assertThat(provider("aws-secrets-manager").id()).isEqualTo("aws-secrets-manager");
  }

  @Test
  void irsaWithARoleRendersEsosServiceAccountAnnotatedWithItBeforeAJwtStoreInTheRegionOfTheLocation() {
    SecretBackend backend = backend("cluster: {location: eu-central-1a}\naws: {role_arn: '" + ROLE + "'}\n"
        + "secrets: {namespace: eso, service_account: eso-sa}\n", "aws");
    List<HasMetadata> resources = backend.resources(render());
    assertThat(resources).extracting(HasMetadata::getKind).containsExactly("ServiceAccount", "ClusterSecretStore");
    ServiceAccount sa = (ServiceAccount) resources.get(0);
    assertThat(sa.getMetadata().getNamespace()).isEqualTo("eso");
    assertThat(sa.getMetadata().getName()).isEqualTo("eso-sa");
    assertThat(sa.getMetadata().getAnnotations()).containsExactly(Map.entry("eks.amazonaws.com/role-arn", ROLE));
    assertThat(aws((GenericKubernetesResource) resources.get(1))).isEqualTo(Map.of("service", "SecretsManager",
        "region", "eu-central-1", "auth", Map.of("jwt", Map.of("serviceAccountRef",
            Map.of("name", "eso-sa", "namespace", "eso")))));
    assertThat(backend.capability(CapabilityIds.SECRETS_KEYLESS)).map(Capability::state)
        .contains(CapabilityState.SUPPORTED);
    assertThat(backend.capability(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)).map(Capability::count)
        .contains(java.util.OptionalInt.of(0));
  }

  @Test
  void irsaWithoutARoleRendersOnlyTheStoreAndSaysHowToAnnotateTheServiceAccount() {
    SecretBackend backend = backend("cluster: {location: us-east-1}\n", "aws");
    assertThat(backend.resources(render())).extracting(HasMetadata::getKind).containsExactly("ClusterSecretStore");
    Capability access = backend.capability(CapabilityIds.SECRETS_BACKEND_ACCESS).orElseThrow();
    assertThat(access.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
    assertThat(access.remedy()).hasValueSatisfying(r -> assertThat(r).contains("aws.role_arn")
        .contains("serviceAccount.annotations").contains("secretsmanager:GetSecretValue")
        .contains("arn:aws:secretsmanager:us-east-1:ACCOUNT_ID:secret:*"));
  }

  @Test
  void irsaOffAwsIsNotKeylessAndPointsToWif() {
    Capability keyless = backend("cluster: {location: us-east-1}\n", "hetzner")
        .capability(CapabilityIds.SECRETS_KEYLESS).orElseThrow();
    assertThat(keyless.state()).isEqualTo(CapabilityState.UNSUPPORTED);
    assertThat(keyless.remedy()).hasValueSatisfying(r -> assertThat(r).contains("secret_store_auth wif"));
  }

  @Test
  void wifAnnotatesANonDefaultAudienceAndNeedsAction() {
    SecretBackend backend = backend("secret_store_auth: wif\ncluster: {location: eu-west-1}\n"
        + "aws: {role_arn: '" + ROLE + "', audience: k3s-eso}\n", "hetzner");
    ServiceAccount sa = (ServiceAccount) backend.resources(render()).get(0);
    assertThat(sa.getMetadata().getAnnotations()).containsEntry("eks.amazonaws.com/role-arn", ROLE)
        .containsEntry("eks.amazonaws.com/audience", "k3s-eso");
    assertThat(backend.capability(CapabilityIds.SECRETS_KEYLESS)).map(Capability::state)
        .contains(CapabilityState.NEEDS_ACTION);
    assertThat(backend.capability(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)).map(Capability::count)
        .contains(java.util.OptionalInt.of(0));
  }

  @Test
  void wifWithoutARoleIsAConfigErrorWhenRendered() {
    SecretBackend backend = backend("secret_store_auth: wif\ncluster: {location: eu-west-1}\n", "hetzner");
    assertThatThrownBy(() -> backend.resources(render())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("aws.role_arn was '' but must name the IAM role");
  }

  @Test
  void anAccessKeyRendersASecretRefAndCountsOneLongLivedCredential() {
    SecretBackend backend = backend("secret_store_auth: sa-key\ncluster: {location: eu-west-1}\n"
        + "aws: {role_arn: '" + ROLE + "'}\n", "aws");
    List<HasMetadata> resources = backend.resources(render());
    assertThat(resources).extracting(HasMetadata::getKind).containsExactly("ClusterSecretStore");
    assertThat(aws((GenericKubernetesResource) resources.get(0)).get("auth")).isEqualTo(Map.of("secretRef", Map.of(
        "accessKeyIDSecretRef", Map.of("name", "aws-access-key", "key", "access-key-id", "namespace",
            "external-secrets"),
        "secretAccessKeySecretRef", Map.of("name", "aws-access-key", "key", "secret-access-key", "namespace",
            "external-secrets"))));
    Capability longLived = backend.capability(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS).orElseThrow();
    assertThat(longLived.count()).hasValue(1);
    assertThat(longLived.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
    assertThat(backend.capability(CapabilityIds.SECRETS_KEYLESS)).map(Capability::state)
        .contains(CapabilityState.UNSUPPORTED);
  }

  @Test
  void theRegionComesFromClusterLocationAndAMissingOneIsAConfigError() {
    assertThatThrownBy(() -> backend("cluster: {name: x}\n", "aws").clusterSecretStore(render()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("cluster.location was '' but must be the AWS region, such as eu-central-1 (or an availability "
            + "zone of it, such as eu-central-1a)");
    assertThat(AwsConfig.region("us-gov-west-1")).contains("us-gov-west-1");
    assertThat(AwsConfig.region("ap-southeast-2c")).contains("ap-southeast-2");
    assertThat(AwsConfig.region("europe-west4")).isEmpty();
  }

  @Test
  void theAwsSectionReportsEveryProblemAtOnce() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> backend("aws: {account_id: 1234, "
        + "role_arn: 'arn:aws:iam::123:user/x', audiance: x, secrets_manager: {endpoint: 'ftp://h', profil: p}}\n",
        "aws"));
    assertThat(e.problems()).hasSize(5);
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("aws.audiance"))
        .anySatisfy(p -> assertThat(p).startsWith("aws.account_id was '1234' but must be the 12-digit"))
        .anySatisfy(p -> assertThat(p).startsWith("aws.role_arn was 'arn:aws:iam::123:user/x' but must be an IAM role"))
        .anySatisfy(p -> assertThat(p).startsWith("aws.secrets_manager.endpoint is not a plain http(s) URL"))
        .anySatisfy(p -> assertThat(p).startsWith("aws.secrets_manager.profil"));
  }

  @Test
  void aRoleOfAnotherAccountThanAccountIdIsAProblem() {
    assertThatThrownBy(() -> backend("aws: {account_id: '210987654321', role_arn: '" + ROLE + "'}\n", "aws"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("must be a role of account_id 210987654321");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"workload-identity", "wif", "sa-key"})
  void everyAuthRendersManifestsTheUpstreamSchemasAccept(String auth) throws Exception {
    List<HasMetadata> resources = backend("secret_store_auth: " + auth + "\ncluster: {location: eu-central-1}\n"
        + "aws: {role_arn: '" + ROLE + "', audience: sts.amazonaws.com}\n", "aws").resources(render());
    Path dir = tmp.resolve(auth);
    new Rendering(resources).writeTo(dir);
    Path tool = Path.of(System.getProperty("substrate.shared", "/work/shared"), "tools", "validate-manifests");
    Process p = new ProcessBuilder("bash", tool.toString(), dir.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("validate-manifests finished").isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }
}
