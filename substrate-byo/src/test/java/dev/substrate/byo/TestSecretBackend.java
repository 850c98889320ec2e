package dev.substrate.byo;

import dev.substrate.spi.checks.ExternalSecretsChecks;
import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.RenderContext;
import dev.substrate.SecretBackend;
import dev.substrate.SecretStore;
import dev.substrate.spi.Check;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.List;
import java.util.Map;

/** A backend that renders a vault ClusterSecretStore and declares what a test asks, with no store. */
final class TestSecretBackend implements SecretBackend {
  private final List<Capability> capabilities;

  TestSecretBackend(List<Capability> capabilities) {
    this.capabilities = capabilities;
  }

  static TestSecretBackend withLongLived(int count) {
    return new TestSecretBackend(List.of(Capability.builder().id(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS)
        .state(count == 0 ? CapabilityState.SUPPORTED : CapabilityState.NEEDS_ACTION)
        .reason("service-account key").remedy("use workload identity or wif").count(count).build()));
  }

  @Override
  public String id() {
    return "test-vault";
  }

  @Override
  public List<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public GenericKubernetesResource clusterSecretStore(RenderContext context) {
    return new GenericKubernetesResourceBuilder().withApiVersion("external-secrets.io/v1").withKind("ClusterSecretStore")
        .withNewMetadata().withName(STORE_NAME).endMetadata()
        .addToAdditionalProperties("spec", Map.of("provider", Map.of("vault",
            Map.of("server", "https://vault.example.com:8200", "path", "secret", "version", "v2",
                "auth", Map.of("kubernetes", Map.of("mountPath", "kubernetes", "role", "eso"))))))
        .build();
  }

  @Override
  public List<Check> checks() {
    return ExternalSecretsChecks.forBackend(this, "vault");
  }

  @Override
  public SecretStore store() {
    throw new UnsupportedOperationException("no store in this test backend");
  }
}
