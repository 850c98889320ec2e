package dev.substrate.kubefake.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The resources the server serves: the built-in table plus those of every established CRD. */
public final class ResourceRegistry {

  private static final Pattern KUBE_VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

  private final List<ResourceType> builtin = BuiltinResources.all();
  private volatile List<ResourceType> custom = List.of();

  /** The resource type for a group, version and plural, or {@code null} if none is served. */
  public ResourceType lookup(String group, String version, String plural) {
    for (ResourceType t : builtin) {
      if (t.plural().equals(plural) && t.version().equals(version) && t.group().equals(group)) {
        return t;
      }
    }
    for (ResourceType t : custom) {
      if (t.plural().equals(plural) && t.version().equals(version) && t.group().equals(group)) {
        return t;
      }
    }
    return null;
  }

  /** The resource type for an apiVersion and kind, or {@code null} if none is served. */
  public ResourceType byKind(String apiVersion, String kind) {
    for (List<ResourceType> list : List.of(builtin, custom)) {
      for (ResourceType t : list) {
        if (t.kind().equals(kind) && t.apiVersion().equals(apiVersion)) {
          return t;
        }
      }
    }
    return null;
  }

  /** Every served resource of one group/version, built-in first. */
  public List<ResourceType> resources(String group, String version) {
    List<ResourceType> out = new ArrayList<>();
    for (List<ResourceType> list : List.of(builtin, custom)) {
      for (ResourceType t : list) {
        if (t.group().equals(group) && t.version().equals(version)) {
          out.add(t);
        }
      }
    }
    return out;
  }

  /** Every non-core group with its served versions, preferred version first. */
  public Map<String, List<String>> groups() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (List<ResourceType> list : List.of(builtin, custom)) {
      for (ResourceType t : list) {
        if (!t.group().isEmpty()) {
          List<String> versions = out.computeIfAbsent(t.group(), g -> new ArrayList<>());
          if (!versions.contains(t.version())) {
            versions.add(t.version());
          }
        }
      }
    }
    out.values().forEach(v -> v.sort(ResourceRegistry::compareVersionsByPriority));
    return out;
  }

  /** Replaces the custom resources with those of the given CustomResourceDefinitions (served versions). */
  public void setCustomResourceDefinitions(Collection<JsonNode> crds) {
    List<ResourceType> out = new ArrayList<>();
    for (JsonNode crd : crds) {
      out.addAll(typesOf(crd));
    }
    custom = List.copyOf(out);
  }

  /** The resource types one CustomResourceDefinition serves, one per served version. */
  public static List<ResourceType> typesOf(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    String group = spec.path("group").asText("");
    String plural = names.path("plural").asText("");
    String kind = names.path("kind").asText("");
    if (group.isEmpty() || plural.isEmpty() || kind.isEmpty()) {
      return List.of();
    }
    String singular = names.path("singular").asText(kind.toLowerCase(java.util.Locale.ROOT));
    boolean namespaced = !"Cluster".equals(spec.path("scope").asText("Namespaced"));
    List<String> shortNames = texts(names.path("shortNames"));
    List<String> categories = texts(names.path("categories"));
    List<ResourceType> out = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(true)) {
        continue;
      }
      List<String> subs = new ArrayList<>();
      JsonNode sr = v.has("subresources") ? v.path("subresources") : spec.path("subresources");
      if (sr.has("status")) {
        subs.add("status");
      }
      if (sr.has("scale")) {
        subs.add("scale");
      }
      out.add(new ResourceType(group, v.path("name").asText(), plural, singular, kind, namespaced, shortNames,
          categories, subs));
    }
    if (out.isEmpty() && spec.has("version")) {
      out.add(new ResourceType(group, spec.path("version").asText(), plural, singular, kind, namespaced, shortNames,
          categories, List.of()));
    }
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * Orders versions as Kubernetes does: GA before beta before alpha, higher numbers first, then
   * non-Kubernetes-looking versions alphabetically.
   */
  static int compareVersionsByPriority(String a, String b) {
    return Comparator.comparing(ResourceRegistry::priorityKey).compare(a, b);
  }

  private static String priorityKey(String v) {
    Matcher m = KUBE_VERSION.matcher(v);
    if (!m.matches()) {
      return "9" + v;
    }
    int major = Integer.parseInt(m.group(1));
    int stage = m.group(2) == null ? 0 : m.group(2).equals("beta") ? 1 : 2;
    int minor = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    return String.format("%d%06d%06d", stage, 999_999 - major, 999_999 - minor);
  }
}
