package dev.substrate;

import dev.substrate.spi.Check;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/**
 * One of a substrate's four parts. Every facet answers the same three questions: what it gives
 * ({@link #capabilities()}), what it adds to the cluster ({@link #resources(RenderContext)}) and how to tell it
 * works ({@link #checks()}).
 */
public interface Facet {
  /** The id of the provider that made this facet, e.g. {@code hcloud-volumes}. */
  String id();

  FacetType type();

  /** Facts with a state, a reason and a remedy; ids from {@link CapabilityIds} where they apply. */
  List<Capability> capabilities();

  /** The Kubernetes objects this facet adds, in apply order; empty when it adds nothing. */
  List<HasMetadata> resources(RenderContext context);

  /** Readiness checks, each reading only what it declares. */
  List<Check> checks();

  /** The capability with {@code capabilityId}, if this facet declares it. */
  default Optional<Capability> capability(String capabilityId) {
    return capabilities().stream().filter(c -> c.id().equals(capabilityId)).findFirst();
  }
}
