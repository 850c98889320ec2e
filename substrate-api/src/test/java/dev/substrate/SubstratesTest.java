package dev.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.substrate.spi.Check;
import dev.substrate.spi.ProviderContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Set;
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
  void aSubstratesOwnCapabilityReplacesTheFacetsWithTheSameIdAndOneNoFacetDeclaresFollowsThem() {
    Substrate s = Substrates.builder().loader(TestProviders.loader().and(ProviderLoader.of(new Refining())))
        .config(SubstrateConfig.parse("substrate: {id: refining}")).build();

    Capability mig = s.capability(CapabilityIds.GPU_MIG).orElseThrow();
    assertThat(mig.state()).isEqualTo(CapabilityState.SUPPORTED);
    assertThat(mig.reason()).isEqualTo("every refining node partitions its GPUs, whatever test-gpu says");
    assertThat(s.capabilities()).extracting(Capability::id).first().isEqualTo(CapabilityIds.GPU_MIG);
    assertThat(s.capabilities()).extracting(Capability::id).last().isEqualTo("nodes.bare-metal");
    assertThat(s.capabilities()).filteredOn(c -> c.id().equals(CapabilityIds.GPU_MIG)).containsExactly(mig);
    assertThat(s.capabilities(FacetType.GPU_STACK)).containsExactly(mig);
    assertThat(s.capabilities(FacetType.STORAGE)).isEqualTo(s.storage().capabilities());
    assertThat(s.gpuStack().capabilities()).as("the facet itself is unchanged").extracting(Capability::state)
        .containsExactly(CapabilityState.UNSUPPORTED);

    assertThat(s.checks()).extracting(c -> c.id()).startsWith("substrate.nodes", "nodes.refining", "gpu.tenancy.fit",
        "gpu.tenancy.mig-capable", "gpu.nodes");
    assertThat(Portability.diff(builder("substrate: {id: alpha}").build(), s).capabilities())
        .extracting(PortabilityDiff.CapabilityChange::id).containsExactly(CapabilityIds.GPU_MIG, "nodes.bare-metal");
  }

  @Test
  void aSubstrateThatStatesOneCapabilityTwiceIsAnError() {
    Refining twice = new Refining() {
      @Override
      public List<Capability> capabilities(ProviderContext context) {
        return List.of(super.capabilities(context).get(0), super.capabilities(context).get(0));
      }
    };
    assertThatThrownBy(() -> Substrates.builder().loader(TestProviders.loader()).substrate(twice).build())
        .isInstanceOf(SubstrateException.class).hasMessageContaining("declares capability gpu.mig twice");
  }

  @Test
  void theDiffNamesTheProvidersThatChange() {
    PortabilityDiff diff = Portability.diff(builder("substrate: {id: alpha}\nsecret_backend: memory").build(),
        builder("substrate: {id: alpha}\nsecret_backend: other\nsecret_store_auth: wif").build());
    assertThat(diff.providers()).containsExactly(
        PortabilityDiff.ProviderChange.of("secret_backend", "memory", "other"),
        PortabilityDiff.ProviderChange.of("secret_store_auth", "(none)", "wif"));
    assertThat(diff.toText()).startsWith("providers (alpha → alpha):" + System.lineSeparator()
        + "  secret_backend     memory → other" + System.lineSeparator());
  }

  @Test
  void renderOrdersNamespacesFirstAndCustomResourcesLast() {
    List<HasMetadata> resources = builder("substrate: {id: alpha}").build().render().resources();
    assertThat(resources).extracting(HasMetadata::getKind)
        .containsExactly("Namespace", "ConfigMap", "ClusterSecretStore");
  }

  /** A substrate whose nodes make MIG available whatever the GPU stack says. */
  static class Refining extends TestProviders.TestSubstrate {
    Refining() {
      super("refining", "refining://");
    }

    @Override
    public List<Capability> capabilities(ProviderContext context) {
      return List.of(
          Capability.of(CapabilityIds.GPU_MIG, CapabilityState.SUPPORTED, "every refining node partitions its GPUs, "
              + "whatever " + context.config().gpuStack().orElseThrow() + " says", null),
          Capability.of("nodes.bare-metal", CapabilityState.UNSUPPORTED, "nodes are bare metal", "wait for them"));
    }

    @Override
    public List<Check> checks(ProviderContext context) {
      return List.of(Check.of("nodes.refining", Set.of(), snapshot -> CheckResult.pass("nodes.refining", "fine")));
    }
  }

  static final class DuplicateMemory extends TestProviders.TestSecrets {
    DuplicateMemory() {
      super("memory");
    }
  }
}
