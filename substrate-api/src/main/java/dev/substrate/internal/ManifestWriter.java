package dev.substrate.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.substrate.SubstrateException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Orders resources for apply and serialises them to deterministic YAML; {@link RenderingDirectory} writes them. */
public final class ManifestWriter {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .disable(YAMLGenerator.Feature.SPLIT_LINES));

  private static final Set<String> BUILT_IN_GROUPS = Set.of("", "v1", "apps", "batch", "policy", "storage.k8s.io",
      "rbac.authorization.k8s.io", "networking.k8s.io", "apiextensions.k8s.io", "admissionregistration.k8s.io",
      "scheduling.k8s.io", "coordination.k8s.io", "autoscaling", "node.k8s.io", "discovery.k8s.io");

  private ManifestWriter() {}

  /** Apply order: Namespaces, CRDs, cluster-wide RBAC and ServiceAccounts, config, workloads, custom resources. */
  public static List<HasMetadata> ordered(List<HasMetadata> resources) {
    List<HasMetadata> sorted = new ArrayList<>(resources);
    sorted.sort(Comparator.comparingInt(ManifestWriter::rank)); // stable: facet order kept within a rank
    return List.copyOf(sorted);
  }

  static int rank(HasMetadata r) {
    switch (r.getKind()) {
      case "Namespace":
        return 0;
      case "CustomResourceDefinition":
        return 1;
      case "ServiceAccount":
      case "ClusterRole":
      case "Role":
        return 2;
      case "ClusterRoleBinding":
      case "RoleBinding":
        return 3;
      case "ConfigMap":
      case "Secret":
        return 4;
      default:
        return isCustom(r) ? 6 : 5;
    }
  }

  /** Whether {@code r} is a custom resource, whose CRD must be established before it can be applied. */
  public static boolean isCustom(HasMetadata r) {
    String apiVersion = r.getApiVersion();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return !BUILT_IN_GROUPS.contains(group);
  }

  /** One YAML document per resource, keyed by file name, in apply order. */
  public static Map<String, String> files(List<HasMetadata> resources) {
    Map<String, String> files = new LinkedHashMap<>();
    int index = 0;
    for (HasMetadata r : resources) {
      String ns = r.getMetadata().getNamespace();
      String name = String.format(Locale.ROOT, "%02d-%s-%s%s.yaml", index++, r.getKind().toLowerCase(Locale.ROOT),
          ns == null || ns.isEmpty() ? "" : ns + "-", r.getMetadata().getName());
      files.put(name, toYaml(r));
    }
    return files;
  }

  /** The {@code kustomization.yaml} listing every file in order. */
  public static String kustomization(List<HasMetadata> resources) {
    StringBuilder b = new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n");
    for (String file : files(resources).keySet()) {
      b.append("- ").append(file).append('\n');
    }
    return b.toString();
  }

  /** The resource as YAML without {@code status} or empty fields; the same bytes for the same object. */
  public static String toYaml(HasMetadata r) {
    JsonNode tree = SERIALIZATION.convertValue(r, JsonNode.class);
    if (tree instanceof ObjectNode) {
      ((ObjectNode) tree).remove("status");
      prune(tree);
    }
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new SubstrateException("cannot write " + r.getKind() + " " + r.getMetadata().getName() + " as YAML", e);
    }
  }

  /** {@code value} (maps, lists, scalars) as YAML, with the same style as the resources. */
  public static String yaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new SubstrateException("cannot write " + value.getClass().getSimpleName() + " as YAML", e);
    }
  }

  private static void prune(JsonNode node) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        prune(field.getValue());
        JsonNode v = field.getValue();
        if (v.isNull() || (v.isContainerNode() && v.isEmpty() && isDroppable(field.getKey()))) {
          it.remove();
        }
      }
    } else if (node.isArray()) {
      node.forEach(ManifestWriter::prune);
    }
  }

  private static boolean isDroppable(String key) {
    // Empty maps that Fabric8 emits by default; an empty spec or data map is kept as meaningful.
    return key.equals("metadata") || key.equals("annotations") || key.equals("labels")
        || key.equals("additionalProperties") || key.equals("finalizers") || key.equals("ownerReferences")
        || key.equals("managedFields");
  }
}
