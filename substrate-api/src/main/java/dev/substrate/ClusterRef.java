package dev.substrate;

import java.util.Optional;
import org.immutables.value.Value;

/** The platform's {@code cluster:} section: {@code name}, {@code projectID}, {@code location}. */
@Value.Immutable
public abstract class ClusterRef {
  public abstract Optional<String> name();

  /** The GCP project ({@code cluster.projectID}), where secrets live in Secret Manager. */
  public abstract Optional<String> projectId();

  public abstract Optional<String> location();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableClusterRef.Builder {}
}
