package dev.substrate.spi;

import dev.substrate.HelmChart;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the objects providers render and reads fields of the objects their checks see. */
public final class Resources {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String SUBSTRATE = "substrate";

  private Resources() {}

  /** The label every rendered object carries. */
  public static Map<String, String> managedLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, SUBSTRATE);
    return labels;
  }

  /** A custom resource with the managed-by label and {@code spec}; {@code namespace} is null for cluster scope. */
  public static GenericKubernetesResource custom(
      String apiVersion, String kind, String namespace, String name, Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(managedLabels()).endMetadata()
        .addToAdditionalProperties("spec", spec)
        .build();
  }

  /**
   * The Argo CD Application that installs {@code chart}: what a facet's {@code resources()} renders for each of its
   * {@code charts()}. It lives in namespace {@code argocd} and is named after the release, since Argo CD's release
   * name is the Application's name by default (argo-cd docs/user-guide/helm.md, "Helm Release Name"); an OCI chart's
   * {@code repoURL} is written without {@code oci://}, as that page asks.
   */
  public static GenericKubernetesResource application(HelmChart chart) {
    Map<String, Object> source = map(
        "repoURL", chart.oci() ? chart.repoUrl().substring("oci://".length()) : chart.repoUrl(),
        "chart", chart.chart(),
        "targetRevision", chart.version());
    if (!chart.values().isEmpty()) {
      source.put("helm", map("valuesObject", chart.values()));
    }
    Map<String, Object> spec = map(
        "project", "default",
        "source", source,
        "destination", map("server", "https://kubernetes.default.svc", "namespace", chart.namespace()),
        "syncPolicy", map(
            "automated", map("prune", true, "selfHeal", true),
            "syncOptions", List.of("ServerSideApply=true")));
    return custom("argoproj.io/v1alpha1", "Application", "argocd", chart.releaseName(), spec);
  }

  /** An insertion-ordered map from alternating keys and values, so rendered YAML keeps a stable order. */
  public static Map<String, Object> map(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("map() needs keys and values in pairs");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** The value at {@code path} below the object's top level ({@code spec}, {@code status}, {@code driver}...). */
  public static Optional<Object> at(GenericKubernetesResource r, Object... path) {
    Object current = r.getAdditionalProperties();
    for (Object step : path) {
      if (step instanceof String && current instanceof Map) {
        current = ((Map<?, ?>) current).get(step);
      } else if (step instanceof Integer && current instanceof List) {
        List<?> list = (List<?>) current;
        int i = (Integer) step;
        current = i < list.size() ? list.get(i) : null;
      } else {
        return Optional.empty();
      }
      if (current == null) {
        return Optional.empty();
      }
    }
    return Optional.of(current);
  }

  /** The text at {@code path}, when there is text there. */
  public static Optional<String> string(GenericKubernetesResource r, Object... path) {
    return at(r, path).filter(v -> v instanceof String || v instanceof Number || v instanceof Boolean)
        .map(String::valueOf);
  }

  /** The list of mappings at {@code path}; empty when there is none. */
  public static List<Map<?, ?>> mappings(GenericKubernetesResource r, Object... path) {
    List<Map<?, ?>> out = new ArrayList<>();
    at(r, path).filter(v -> v instanceof List).ifPresent(v -> {
      for (Object item : (List<?>) v) {
        if (item instanceof Map) {
          out.add((Map<?, ?>) item);
        }
      }
    });
    return out;
  }

  /** The status condition of {@code type}, if the object has one. */
  public static Optional<Map<?, ?>> condition(GenericKubernetesResource r, String type) {
    return mappings(r, "status", "conditions").stream().filter(c -> type.equals(c.get("type"))).findFirst();
  }

  /** A metadata annotation, if set. */
  public static Optional<String> annotation(HasMetadata r, String key) {
    Map<String, String> annotations = r.getMetadata() == null ? null : r.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(key));
  }

  /** A metadata label, if set. */
  public static Optional<String> label(HasMetadata r, String key) {
    Map<String, String> labels = r.getMetadata() == null ? null : r.getMetadata().getLabels();
    return Optional.ofNullable(labels == null ? null : labels.get(key));
  }

  /** {@code namespace/name}, or {@code name} for a cluster-scoped object. */
  public static String ref(HasMetadata r) {
    String ns = r.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? r.getMetadata().getName() : ns + "/" + r.getMetadata().getName();
  }

  /** Names joined for a one-line finding: at most five, then "and N more". */
  public static String names(Collection<String> names) {
    List<String> all = new ArrayList<>(names);
    if (all.size() <= 5) {
      return String.join(", ", all);
    }
    return String.join(", ", all.subList(0, 5)) + " and " + (all.size() - 5) + " more";
  }

  /** "1 thing" or "3 things". */
  public static String count(int n, String singular, String plural) {
    return n + " " + (n == 1 ? singular : plural);
  }
}
