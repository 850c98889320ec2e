package dev.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubstrateConfigTest {
  @Test
  void readsThePlatformKeysAsTheyAreAndIgnoresTheRestOfThePlatform() {
    SubstrateConfig config = SubstrateConfig.parse(String.join("\n",
        "gpu_stack: operator",
        "secret_backend: gcpsm",
        "secret_store_auth: wif",
        "profile: prod",
        "cluster: {name: prod-eu, projectID: acme-ml, location: europe-west4, region_hint: x}",
        "features: {rag: true, evals: false}",
        "dns: {zone: example.com}",
        "substrate: {id: hetzner}",
        "gpu:",
        "  tenancy: {mode: time-slicing, replicas: 4, models: [{name: llama-8b, vram_gib: 16}]}",
        "  operator: {version: v26.7.0, driver: {precompiled: true}}",
        "storage: {default_class: hcloud-volumes, shared_weights: true}",
        "load_balancer: {location: fsn1, exposure: internal}",
        "wif: {audience: //iam.googleapis.com/x}",
        ""));
    assertThat(config.gpuStack()).contains("operator");
    assertThat(config.secretBackend()).contains("gcpsm");
    assertThat(config.secretStoreAuth()).contains(SecretStoreAuth.WIF);
    assertThat(config.profile()).isEqualTo(Profile.PROD);
    assertThat(config.cluster().projectId()).contains("acme-ml");
    assertThat(config.cluster().location()).contains("europe-west4");
    assertThat(config.substrate()).contains("hetzner");
    assertThat(config.gpu().tenancyMode()).isEqualTo(GpuConfig.TenancyMode.TIME_SLICING);
    assertThat(config.gpu().tenancyReplicas()).isEqualTo(4);
    assertThat(config.gpu().tenancyModels()).containsExactly(GpuConfig.Model.of("llama-8b", 16));
    assertThat(config.gpu().driverPrecompiled()).isTrue();
    assertThat(config.storage().sharedWeights()).isTrue();
    assertThat(config.loadBalancer().intent().exposure()).isEqualTo(LoadBalancerIntent.Exposure.INTERNAL);
    assertThat(config.section("wif")).hasValueSatisfying(w -> assertThat(w).containsKey("audience"));
    assertThat(config.section("features")).as("platform sections are kept for plugins, not interpreted").isPresent();
  }

  @Test
  void anEmptyFileGivesTheDefaults() {
    SubstrateConfig config = SubstrateConfig.parse("");
    assertThat(config.profile()).isEqualTo(Profile.DEV);
    assertThat(config.substrate()).isEmpty();
    assertThat(config.secrets().namespace()).isEqualTo("external-secrets");
  }

  @Test
  void reportsEveryProblemAtOnceEachNamingKeyValueAndWhatItMustBe() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> SubstrateConfig.parse(String.join("\n",
        "profile: production",
        "secret_store_auth: keyfile",
        "gpu_stack: Operator",
        "gpu: {tenancy: {mode: time-slicing, replica: 4}}",
        "storage: {shared_weigths: true}",
        "load_balancer: {addresses: [10.0.0.1-10.0.0.9, nonsense]}",
        "secrets: {allow_long_lived_credentials: sometimes}",
        "")));
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "profile was 'production' but must be one of cost, dev, prod",
        "secret_store_auth was 'keyfile' but must be one of workload-identity, wif, sa-key",
        "gpu_stack was 'Operator' but must be a lowercase id of letters, digits and hyphens",
        "gpu.tenancy.replica is not a known key (known: mode, replicas, models); did you mean 'replicas'?",
        "gpu.tenancy.replicas was '' but must be at least 2 when gpu.tenancy.mode is time-slicing",
        "storage.shared_weigths is not a known key (known: provider, default_class, shared_weights, rwx_class); "
            + "did you mean 'shared_weights'?",
        "load_balancer.addresses[1] was 'nonsense' but must be a CIDR (192.0.2.0/28) or a range (192.0.2.10-192.0.2.20)",
        "secrets.allow_long_lived_credentials was 'sometimes' but must be true or false");
    assertThat(e.getMessage()).startsWith("8 config problems: ");
  }

  @Test
  void precompiledDriversTakeADriverBranchOfDigits() {
    assertThat(SubstrateConfig.parse("gpu: {operator: {driver: {precompiled: true}}}").gpu().driverBranch())
        .isEqualTo("595");
    assertThat(SubstrateConfig.parse("gpu: {operator: {driver: {precompiled: true, branch: 580}}}").gpu()
        .driverBranch()).isEqualTo("580");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> SubstrateConfig.parse(String.join("\n",
        "gpu:",
        "  operator: {driver: {precompiled: true, branch: '580.95.05', version: 580.95.05, brnch: 580}}",
        "")));
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "gpu.operator.driver.brnch is not a known key (known: enabled, precompiled, version, branch); "
            + "did you mean 'branch'?",
        "gpu.operator.driver.version was '580.95.05' but must be unset when gpu.operator.driver.precompiled is true "
            + "(precompiled images are tagged by driver branch: set gpu.operator.driver.branch, e.g. 595)",
        "gpu.operator.driver.branch was '580.95.05' but must be a driver branch of digits only, e.g. 595");
    ConfigException compiled = catchThrowableOfType(ConfigException.class,
        () -> SubstrateConfig.parse("gpu: {operator: {driver: {branch: 580}}}"));
    assertThat(compiled.problems()).containsExactly("gpu.operator.driver.branch was '580' but must be unset unless "
        + "gpu.operator.driver.precompiled is true (compiled drivers take a full gpu.operator.driver.version)");
  }

  @Test
  void malformedYamlIsOneLineWithTheLocation(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "profile: prod\ngpu: {tenancy: [\n");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> SubstrateConfig.load(file));
    assertThat(e.getMessage()).startsWith(file + " is not valid YAML at line").doesNotContain("\n");
  }

  @Test
  void duplicateKeysAreAnError() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> SubstrateConfig.parse("profile: prod\nprofile: dev\n"));
    assertThat(e.getMessage()).contains("profile");
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> SubstrateConfig.load(dir.resolve("nope.yaml")));
    assertThat(e.getMessage()).isEqualTo("config file " + dir.resolve("nope.yaml") + " does not exist");
  }

  @Test
  void aYamlAliasIsRefusedWithTheLineAndKeyNotReadAsItsName(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), String.join("\n",
        "cluster: {name: &ns team-a}",
        "secrets:",
        "  service_account: *ns",
        ""));
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> SubstrateConfig.load(file));
    assertThat(e).isNotNull();
    assertThat(e.problems()).singleElement().asString()
        .startsWith(file + " line 3: ")
        .contains("'secrets.service_account'")
        .contains("alias *ns");
  }

  @Test
  void anAliasExpansionBombIsRefused() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p)
          .append(", *").append(p).append(", *").append(p).append(", *").append(p).append("]\n");
    }
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> SubstrateConfig.parse(bomb.toString()));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("line 2").contains("'b[0]'").contains("alias *a");
  }

  @Test
  void aFileThatIsNotUtf8IsNamed(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("latin1.yaml"), "profile: d\u00e9v\n".getBytes(StandardCharsets.ISO_8859_1));
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> SubstrateConfig.load(file));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).isEqualTo("config file " + file + " is not UTF-8 text");
  }
}
