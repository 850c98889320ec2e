package dev.substrate.testkit.assertj;

import dev.substrate.Rendering;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link Rendering}: which resources it holds, in apply order, and each one's content. A failure lists
 * the rendered resources as {@code Kind namespace/name}.
 *
 * <pre>{@code
 * assertThat(substrate.render())
 *     .hasResourcesExactly("Namespace gpu-operator", "Application argocd/gpu-operator", "ClusterSecretStore secret-store")
 *     .resource("Application", "gpu-operator").hasField("spec.source.chart", "gpu-operator");
 * }</pre>
 */
public final class RenderingAssert extends AbstractAssert<RenderingAssert, Rendering> {
  RenderingAssert(Rendering actual) {
    super(actual, RenderingAssert.class);
  }

  /** At least one resource is of {@code kind}. */
  public RenderingAssert containsKind(String kind) {
    isNotNull();
    if (ofKind(kind).isEmpty()) {
      fail("expected a %s among the rendered resources but there is none", kind);
    }
    return this;
  }

  public RenderingAssert doesNotContainKind(String kind) {
    isNotNull();
    List<HasMetadata> found = ofKind(kind);
    if (!found.isEmpty()) {
      fail("expected no %s among the rendered resources but there is %s", kind, String.join(", ", Texts.refs(found)));
    }
    return this;
  }

  /** The kinds of the resources, in apply order, are exactly {@code kinds}. */
  public RenderingAssert hasKindsExactly(String... kinds) {
    isNotNull();
    List<String> actualKinds = actual.resources().stream().map(HasMetadata::getKind).toList();
    if (!actualKinds.equals(List.of(kinds))) {
      fail("expected the kinds\n  %s\nin this order", String.join(", ", kinds));
    }
    return this;
  }

  /**
   * The resources, in apply order, are exactly {@code refs}, each {@code Kind namespace/name} or, cluster-scoped,
   * {@code Kind name}.
   */
  public RenderingAssert hasResourcesExactly(String... refs) {
    isNotNull();
    if (!Texts.refs(actual.resources()).equals(List.of(refs))) {
      fail("expected the resources\n  %s\nin this order", String.join("\n  ", refs));
    }
    return this;
  }

  /** The one resource of {@code kind} named {@code name}, in whatever namespace, to assert on. */
  public ResourceAssert resource(String kind, String name) {
    isNotNull();
    List<HasMetadata> found = ofKind(kind).stream().filter(r -> name.equals(r.getMetadata().getName())).toList();
    if (found.isEmpty()) {
      fail("expected a %s named %s but there is none", kind, name);
    }
    if (found.size() > 1) {
      fail("expected one %s named %s but there are %d: %s; name its namespace too", kind, name, found.size(),
          String.join(", ", Texts.refs(found)));
    }
    return nested(found.get(0));
  }

  /** The resource of {@code kind} named {@code name} in {@code namespace}, to assert on. */
  public ResourceAssert resource(String kind, String namespace, String name) {
    isNotNull();
    HasMetadata found = ofKind(kind).stream()
        .filter(r -> name.equals(r.getMetadata().getName()) && Objects.equals(namespace, r.getMetadata().getNamespace()))
        .findFirst().orElse(null);
    if (found == null) {
      fail("expected a %s named %s/%s but there is none", kind, namespace, name);
    }
    return nested(found);
  }

  private ResourceAssert nested(HasMetadata resource) {
    ResourceAssert nested = new ResourceAssert(resource);
    return info.hasDescription() ? nested.describedAs(info.description()) : nested;
  }

  private List<HasMetadata> ofKind(String kind) {
    return actual.resources().stream().filter(r -> kind.equals(r.getKind())).toList();
  }

  private void fail(String what, Object... args) {
    List<String> refs = Texts.refs(actual.resources());
    failWithMessage("%s; rendered:\n  %s", String.format(what, args),
        refs.isEmpty() ? "(nothing)" : String.join("\n  ", refs));
  }
}
