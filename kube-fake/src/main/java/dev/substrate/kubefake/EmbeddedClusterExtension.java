package dev.substrate.kubefake;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs an {@link EmbeddedCluster} for a test class and injects it.
 *
 * <pre>{@code
 * @RegisterExtension
 * static EmbeddedClusterExtension cluster = EmbeddedClusterExtension.withPreset(ClusterPreset.HETZNER);
 *
 * @Test
 * void listsNodes(KubernetesClient client) { ... }
 * }</pre>
 *
 * <p>Registered on a static field, the cluster starts before all tests (once, also for {@code @Nested}
 * classes) and stops after all; on an instance field, it starts and stops around each test. Parameters of
 * type {@link EmbeddedCluster} and {@link KubernetesClient} are resolved.
 */
public final class EmbeddedClusterExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private final Supplier<EmbeddedCluster> factory;
  private EmbeddedCluster cluster;
  private int classDepth;
  private boolean perTest;

  private EmbeddedClusterExtension(Supplier<EmbeddedCluster> factory) {
    this.factory = factory;
  }

  /** An extension running a cluster of the preset with its default node count. */
  public static EmbeddedClusterExtension withPreset(ClusterPreset preset) {
    Objects.requireNonNull(preset, "preset");
    return new EmbeddedClusterExtension(() -> EmbeddedCluster.start(preset));
  }

  /** An extension running a cluster the builder configures, e.g. {@code builder().preset(GKE).nodes(2000)}. */
  public static EmbeddedClusterExtension of(EmbeddedCluster.Builder builder) {
    Objects.requireNonNull(builder, "builder");
    return new EmbeddedClusterExtension(builder::start);
  }

  /** The running cluster. */
  public synchronized EmbeddedCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException("the embedded cluster is not running");
    }
    return cluster;
  }

  /** The running cluster's Fabric8 client. */
  public KubernetesClient client() {
    return cluster().client();
  }

  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    if (classDepth++ == 0) {
      cluster = factory.get();
    }
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (--classDepth == 0 && cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  @Override
  public synchronized void beforeEach(ExtensionContext context) {
    if (cluster == null) {
      cluster = factory.get();
      perTest = true;
    }
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    if (perTest && cluster != null) {
      cluster.close();
      cluster = null;
      perTest = false;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == EmbeddedCluster.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedCluster.class ? cluster() : client();
  }
}
