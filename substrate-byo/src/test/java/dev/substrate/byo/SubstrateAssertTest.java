package dev.substrate.byo;

import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThat;
import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThatThrownBy;

import dev.substrate.CapabilityIds;
import dev.substrate.Substrate;
import org.junit.jupiter.api.Test;

/** The testkit's {@code assertThat(Substrate)} on a real substrate (the testkit itself has no substrate to build). */
class SubstrateAssertTest {
  private final Substrate byo = ByoProvidersTest.byo("");

  @Test
  void passesOnWhatTheSubstrateIsGivesAndRenders() {
    assertThat(byo).hasId("byo").doesNotHaveCapability("gpu.unheard-of");
    assertThat(byo).capabilities().areWellFormed().hasNoDuplicateIds()
        .hasCapabilities(CapabilityIds.STORAGE_RWX, CapabilityIds.LB_PROVISIONING);
    assertThat(byo).hasCapability(CapabilityIds.LB_PROVISIONING).isUnsupported().hasRemedyContaining("metallb");
    assertThat(byo).rendering().containsKind("ClusterSecretStore").doesNotContainKind("IPAddressPool")
        .resource("ClusterSecretStore", "secret-store").isClusterScoped()
        .hasField("spec.provider.kubernetes.remoteNamespace", "platform-secrets");
  }

  @Test
  void failsNamingTheSubstrateAndListingItsCapabilities() {
    assertThatThrownBy(() -> assertThat(byo).hasId("gke")).isInstanceOf(AssertionError.class)
        .hasMessage("expected substrate 'gke' but it is 'byo'");
    assertThatThrownBy(() -> assertThat(byo).hasCapability("gpu.unheard-of")).isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("expected a capability gpu.unheard-of of substrate 'byo' but there is none; "
            + "the capabilities:\n  NEEDS_ACTION  " + CapabilityIds.GPU_DRIVER_MANAGEMENT + "  ")
        .hasMessageContaining("\n  UNSUPPORTED  " + CapabilityIds.LB_PROVISIONING + "  ");
    assertThatThrownBy(() -> assertThat(byo).doesNotHaveCapability(CapabilityIds.SECRETS_KEYLESS))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("expected no capability secrets.keyless of substrate 'byo' but there is one;");
    assertThatThrownBy(() -> assertThat(byo).hasCapability(CapabilityIds.LB_PROVISIONING).isSupported())
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("expected capability lb.provisioning to be SUPPORTED but it is UNSUPPORTED:\n"
            + "  UNSUPPORTED  lb.provisioning  ");
    assertThatThrownBy(() -> assertThat(byo).as("byo defaults").rendering().containsKind("IPAddressPool"))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("[byo defaults] expected a IPAddressPool among the rendered resources but there is none; "
            + "rendered:\n  Namespace gpu-operator\n");
  }
}
