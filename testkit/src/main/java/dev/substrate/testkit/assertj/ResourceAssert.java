package dev.substrate.testkit.assertj;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one Kubernetes resource, typed or generic. A failure names the resource ({@code Kind namespace/name})
 * and shows what it holds; the values of a {@code Secret}'s fields are never shown.
 */
public final class ResourceAssert extends AbstractAssert<ResourceAssert, HasMetadata> {
  private static final ObjectMapper JSON = new ObjectMapper();

  ResourceAssert(HasMetadata actual) {
    super(actual, ResourceAssert.class);
  }

  public ResourceAssert hasApiVersion(String expected) {
    isNotNull();
    if (!Objects.equals(actual.getApiVersion(), expected)) {
      fail("expected apiVersion %s but it is %s", expected, actual.getApiVersion());
    }
    return this;
  }

  public ResourceAssert hasNamespace(String expected) {
    isNotNull();
    if (!Objects.equals(namespace(), expected)) {
      fail("expected namespace %s but it is %s", expected, namespace() == null ? "not set" : namespace());
    }
    return this;
  }

  /** The resource carries no namespace. */
  public ResourceAssert isClusterScoped() {
    isNotNull();
    if (namespace() != null) {
      fail("expected no namespace but it has namespace %s", namespace());
    }
    return this;
  }

  public ResourceAssert hasLabel(String key, String value) {
    isNotNull();
    Map<String, String> labels = actual.getMetadata().getLabels();
    if (labels == null || !Objects.equals(labels.get(key), value)) {
      fail("expected label %s=%s but its labels are %s", key, value, sorted(labels));
    }
    return this;
  }

  public ResourceAssert hasAnnotation(String key, String value) {
    isNotNull();
    Map<String, String> annotations = actual.getMetadata().getAnnotations();
    if (annotations == null || !Objects.equals(annotations.get(key), value)) {
      fail("expected annotation %s=%s but its annotations are %s", key, value, sorted(annotations));
    }
    return this;
  }

  public ResourceAssert doesNotHaveAnnotation(String key) {
    isNotNull();
    Map<String, String> annotations = actual.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(key)) {
      fail("expected no annotation %s but its annotations are %s", key, sorted(annotations));
    }
    return this;
  }

  /**
   * The field at {@code path}, dot-separated from the top of the resource ({@code spec.source.chart},
   * {@code spec.syncPolicy.syncOptions.0} for a list element), equals {@code expected}: a string, number, boolean,
   * or a map or list of them as the resource serializes.
   */
  public ResourceAssert hasField(String path, Object expected) {
    isNotNull();
    Object value = JSON.convertValue(actual, new TypeReference<Map<String, Object>>() {});
    String walked = "";
    for (String segment : path.split("\\.")) {
      Object next = child(value, segment);
      if (next == null) {
        fail("expected a field %s but %s", path, walked.isEmpty() ? "the resource has no " + segment
            : walked + " holds " + keys(value));
      }
      value = next;
      walked = walked.isEmpty() ? segment : walked + "." + segment;
    }
    if (!Objects.equals(value, expected)) {
      if (isSecret()) {
        fail("expected field %s to hold another value (a Secret's values are not shown)", path);
      }
      fail("expected field %s to be\n  %s\nbut it is\n  %s", path, expected, value);
    }
    return this;
  }

  private static Object child(Object node, String segment) {
    if (node instanceof Map<?, ?> map) {
      return map.get(segment);
    }
    if (node instanceof List<?> list && segment.matches("\\d+")) {
      int i = Integer.parseInt(segment);
      return i < list.size() ? list.get(i) : null;
    }
    return null;
  }

  private static String keys(Object node) {
    if (node instanceof Map<?, ?> map) {
      return "the keys " + new TreeMap<>(map).keySet();
    }
    if (node instanceof List<?> list) {
      return "a list of " + list.size();
    }
    return "a value";
  }

  private boolean isSecret() {
    return "Secret".equals(actual.getKind());
  }

  private String namespace() {
    String ns = actual.getMetadata() == null ? null : actual.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? null : ns;
  }

  private static String sorted(Map<String, String> map) {
    return map == null || map.isEmpty() ? "none" : new TreeMap<>(map).toString();
  }

  private void fail(String what, Object... args) {
    failWithMessage("%s: %s", Texts.ref(actual), String.format(what, args));
  }
}
