package dev.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubstratesTest {
  private static Substrates.Builder builder(String yaml) {
    return Substrates.builder().loader(TestProviders.loader()).config(SubstrateConfig.parse(yaml));
  }

  @Test
  void theSubstrateIdFromConfigChoosesItsDefaults() {
    Substrate s = builder("substrate: {id: alpha}").build();
    assertThat(s.id()).isEqualTo("alpha");
    assertThat(s.gpuStack().id()).isEqualTo("test-gpu");
    assertThat(s.secrets().id()).isEqualTo("memory");
    assertThat(s.config().secretBackend()).contains("memory");
  }

  @Test
  void configOverridesADefaultAndAliasesResolve() {
    assertThat(builder("substrate: {id: alpha}\nsecret_backend: other").build().secrets().id()).isEqualTo("other");
    Substrate aliased = builder("substrate: {id: alpha}\nsecret_backend: mem").build();
    assertThat(aliased.secrets().id()).isEqualTo("memory");
    assertThat(aliased.config().secretBackend()).contains("memory");
  }

  @Test
  void anExplicitInstanceWinsOverConfig() {
    SecretBackend explicit = new TestProviders.TestSecrets("explicit").create(null);
    Substrate s = builder("substrate: {id: alpha}\nsecret_backend: other").secretBackend(explicit).build();
    assertThat(s.secrets()).isSameAs(explicit);
  }

  @Test
  void anUnknownIdListsEveryKnownIdAndSuggestsTheClosest() {
    ProviderNotFoundException e = catchThrowableOfType(ProviderNotFoundException.class,
        () -> builder("substrate: {id: alpha}\nsecret_backend: memroy").build());
    assertThat(e.getMessage()).isEqualTo(
        "no secret backend provider has id 'memroy'; known ids: memory, other; did you mean 'memory'?");
    assertThat(e.knownIds()).containsExactly("memory", "other");
    assertThat(e.facet()).isEqualTo(FacetType.SECRET_BACKEND);
  }

  @Test
  void aWellKnownIdWhoseModuleIsAbsentNamesTheArtifact() {
    ProviderNotFoundException e = catchThrowableOfType(ProviderNotFoundException.class,
        () -> builder("substrate: {id: hetzner}").build());
    assertThat(e.getMessage()).isEqualTo("no substrate provider has id 'hetzner': it is provided by "
        + "dev.substrate:substrate-hetzner, which is not on the class path; known ids: alpha, beta");
  }

  @Test
  void twoProvidersWithOneIdIsAnErrorNamingBothClasses() {
    ProviderLoader twice = TestProviders.loader().and(ProviderLoader.of(new DuplicateMemory()));
    ProviderConflictException e = catchThrowableOfType(ProviderConflictException.class,
        () -> Substrates.builder().loader(twice).config(SubstrateConfig.parse("substrate: {id: alpha}")).build());
    assertThat(e.getMessage())
        .startsWith("two secret_backend providers claim id 'memory': dev.substrate.TestProviders$TestSecrets (from ")
        .contains(" and dev.substrate.SubstratesTest$DuplicateMemory (from ");
  }

  @Test
  void withoutIdOrClusterTheErrorSaysWhatToSet() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> builder("").build());
    assertThat(e.getMessage()).isEqualTo(
        "substrate.id was '' but must be one of alpha, beta (or pass a cluster to detect it from its nodes)");
  }

  @Test
  void switchingTheSecretBackendChangesExactlyTheClusterSecretStore() {
    Substrate a = builder("substrate: {id: alpha}\nsecret_backend: memory").build();
    Substrate b = builder("substrate: {id: alpha}\nsecret_backend: other").build();
    PortabilityDiff diff = Portability.diff(a, b);
    assertThat(diff.resources()).containsExactly(
        PortabilityDiff.ResourceChange.of("clustersecretstore secret-store", PortabilityDiff.Change.CHANGED));
    assertThat(diff.capabilities()).extracting(PortabilityDiff.CapabilityChange::id)
        .containsExactly(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS);
    assertThat(diff.toText()).contains("~ clustersecretstore secret-store");
  }

  @Test
  void renderOrdersNamespacesFirstAndCustomResourcesLast() {
    List<HasMetadata> resources = builder("substrate: {id: alpha}").build().render().resources();
    assertThat(resources).extracting(HasMetadata::getKind)
        .containsExactly("Namespace", "ConfigMap", "ClusterSecretStore");
  }

  static final class DuplicateMemory extends TestProviders.TestSecrets {
    DuplicateMemory() {
      super("memory");
    }
  }
}
