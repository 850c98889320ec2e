package dev.substrate.testkit.assertj;

import dev.substrate.Capability;
import dev.substrate.CheckResult;
import dev.substrate.Report;
import dev.substrate.Rendering;
import dev.substrate.SecretValue;
import dev.substrate.Substrate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;
import org.assertj.core.api.Assertions;

/**
 * The entry point for Substrate's assertions, shaped like OpenTelemetry's {@code OpenTelemetryAssertions} (it extends
 * AssertJ's {@link Assertions}, so one static import serves every type) and Micrometer's {@code MeterRegistryAssert}
 * (domain-named methods whose failures list what is there).
 *
 * <pre>{@code
 * import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThat;
 *
 * assertThat(report).hasFailed("eso.store-ready").hasPassed("storage.default-class").hasApiRequests(8);
 * assertThat(substrate).hasCapability("storage.rwx").isUnsupported().hasRemedyContaining("Longhorn");
 * assertThat(substrate.render()).resource("ClusterSecretStore", "secret-store").hasField("spec.provider.kubernetes.remoteNamespace", "platform-secrets");
 * }</pre>
 */
public final class SubstrateAssertions extends Assertions {
  private SubstrateAssertions() {}

  /** Assertions on a doctor report: its checks, their statuses, and the requests doctor made. */
  public static ReportAssert assertThat(Report actual) {
    return new ReportAssert(actual);
  }

  /** Assertions on one check result: status, finding, remedy. */
  public static CheckResultAssert assertThat(CheckResult actual) {
    return new CheckResultAssert(actual);
  }

  /** Assertions on one capability: state, reason, remedy, count. */
  public static CapabilityAssert assertThat(Capability actual) {
    return new CapabilityAssert(actual);
  }

  /**
   * Assertions on a list of capabilities, such as a facet's. (Not an {@code assertThat} overload: it would clash with
   * AssertJ's {@code assertThat(List)}.)
   */
  public static CapabilitiesAssert assertThatCapabilities(Collection<? extends Capability> actual) {
    return new CapabilitiesAssert(actual, null);
  }

  /** Assertions on an assembled substrate: its capabilities and its rendering. */
  public static SubstrateAssert assertThat(Substrate actual) {
    return new SubstrateAssert(actual);
  }

  /** Assertions on a rendering: which resources it holds, in which order, and each one's content. */
  public static RenderingAssert assertThat(Rendering actual) {
    return new RenderingAssert(actual);
  }

  /** Assertions on one Kubernetes resource: namespace, labels, annotations, fields. */
  public static ResourceAssert assertThat(HasMetadata actual) {
    return new ResourceAssert(actual);
  }

  /** Assertions on a secret value that never print it. */
  public static SecretValueAssert assertThat(SecretValue actual) {
    return new SecretValueAssert(actual);
  }
}
