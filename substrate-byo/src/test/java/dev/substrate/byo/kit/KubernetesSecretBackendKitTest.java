package dev.substrate.byo.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.byo.internal.KubernetesSecretBackendProvider;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SecretBackendProvider;
import dev.substrate.testkit.kit.SecretBackendCompatibilityKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The kubernetes backend against an embedded cluster; it can inject 403 Forbidden (RBAC), not other statuses. */
class KubernetesSecretBackendKitTest extends SecretBackendCompatibilityKit {
  static EmbeddedCluster cluster;

  @BeforeAll
  static void start() {
    cluster = EmbeddedCluster.start(ClusterPreset.BYO);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Override
  protected SecretBackendProvider provider() {
    return new KubernetesSecretBackendProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: byo}"), "byo", cluster.client());
  }

  @Override
  protected void failNextOperation(int status) {
    Assumptions.assumeTrue(status == 403, "the embedded cluster injects only 403 Forbidden, not status " + status);
    cluster.forbid("", "secrets");
  }

  @Override
  protected void clearFailures() {
    cluster.clearFaults();
  }
}
