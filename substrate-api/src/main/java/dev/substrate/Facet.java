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

  /**
   * The Kubernetes objects this facet adds, in apply order, each of its {@link #charts(RenderContext)} as an Argo CD
   * Application; empty when it adds nothing.
   */
  List<HasMetadata> resources(RenderContext context);

  /**
   * The Helm charts this facet installs, in order; none by default. {@link #resources(RenderContext)} renders each as
   * the Argo CD Application {@link dev.substrate.spi.Resources#application(HelmChart)} makes, and
   * {@link Substrate#render(RenderOptions)} swaps those for the form its {@link GitOps} target asks for.
   */
  default List<HelmChart> charts(RenderContext context) {
    return List.of();
  }

  /** Readiness checks, each reading only what it declares. */
  List<Check> checks();

  /** The capability with {@code capabilityId}, if this facet declares it. */
  default Optional<Capability> capability(String capabilityId) {
    return capabilities().stream().filter(c -> c.id().equals(capabilityId)).findFirst();
  }
}
