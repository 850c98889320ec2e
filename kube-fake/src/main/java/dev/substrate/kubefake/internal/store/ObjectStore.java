package dev.substrate.kubefake.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.substrate.kubefake.internal.http.ApiPath;
import dev.substrate.kubefake.internal.http.ApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fabric8's CRUD store, extended: every write also lands in an index by resource type, sorted by
 * namespace and name (for paginated LISTs and O(log n) reads), dry-run writes are discarded, and
 * CustomResourceDefinitions are established as they are stored.
 *
 * <p>Not thread-safe on its own: {@link ApiServer} serialises writes and guards reads with its lock.
 */
public final class ObjectStore extends KubernetesCrudDispatcher {

  /** One stored object: its JSON and what LISTs filter and sort on. */
  public record Stored(String json, String namespace, String name, Map<String, String> labels) {

    /** The index key: namespace, NUL, name; sorts by namespace then name. */
    public String key() {
      return key(namespace, name);
    }

    static String key(String namespace, String name) {
      return (namespace == null ? "" : namespace) + '\u0000' + name;
    }
  }

  private final Json json;
  private final ResourceRegistry registry;
  private final CrdStatus crdStatus;
  private final Map<String, TreeMap<String, Stored>> index = new HashMap<>();
  private final AtomicLong latestResourceVersion = new AtomicLong();
  private boolean dryRun;

  public ObjectStore(Json json, ResourceRegistry registry) {
    this.json = json;
    this.registry = registry;
    this.crdStatus = new CrdStatus(json);
  }

  /** Discards writes while set; the dispatcher sets it around a dry-run request under its write lock. */
  public void setDryRun(boolean dryRun) {
    this.dryRun = dryRun;
  }

  @Override
  public long requestResourceVersion() {
    long v = super.requestResourceVersion();
    latestResourceVersion.accumulateAndGet(v, Math::max);
    return v;
  }

  /** The latest resourceVersion handed out. */
  public long currentResourceVersion() {
    return latestResourceVersion.get();
  }

  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    if (dryRun) {
      return;
    }
    ApiPath p = ApiPath.parse(path);
    String state = newState;
    if (state != null && oldAttributes == null) {
      state = withRandomUid(state);
    }
    if (state != null && p.isCrd()) {
      state = crdStatus.establish(state);
    }
    super.processEvent(path, pathAttributes, oldAttributes, resource, state);
    if (p.type() != ApiPath.Type.RESOURCE) {
      return;
    }
    TreeMap<String, Stored> collection = index.computeIfAbsent(typeKey(p.group(), p.plural()), k -> new TreeMap<>());
    if (state == null) {
      if (oldAttributes != null) {
        collection.remove(Stored.key(value(oldAttributes, KubernetesAttributesExtractor.METADATA_NAMESPACE),
            value(oldAttributes, KubernetesAttributesExtractor.METADATA_NAME)));
      }
    } else {
      Stored stored = stored(state);
      collection.put(stored.key(), stored);
    }
    if (p.isCrd()) {
      refreshCrds();
    }
  }

  /** Stores an object directly, skipping the request path; for seeding many objects fast. */
  public void seed(ResourceType type, String namespace, String name, Map<String, String> labels, String objectJson) {
    String ns = type.namespaced() ? namespace : null;
    String path = new ApiPath(ApiPath.Type.RESOURCE, "", "", Map.of(), type.group(), type.version(), ns,
        type.plural(), null, null).objectPath(name);
    if (type.group().equals("apiextensions.k8s.io") && type.plural().equals("customresourcedefinitions")) {
      processEvent(path, getKey(path), null, null, objectJson);
      return;
    }
    // the attributes Fabric8's KubernetesAttributesExtractor would extract, without parsing the JSON again
    List<Attribute> attributes = new ArrayList<>();
    if (!type.group().isEmpty()) {
      attributes.add(new Attribute(KubernetesAttributesExtractor.API, type.group()));
    }
    attributes.add(new Attribute(KubernetesAttributesExtractor.VERSION, type.version()));
    attributes.add(new Attribute(KubernetesAttributesExtractor.PLURAL, type.plural()));
    attributes.add(new Attribute(KubernetesAttributesExtractor.NAME, name));
    attributes.add(new Attribute(KubernetesAttributesExtractor.METADATA_NAME, name));
    if (ns != null) {
      attributes.add(new Attribute(KubernetesAttributesExtractor.NAMESPACE, ns));
      attributes.add(new Attribute(KubernetesAttributesExtractor.METADATA_NAMESPACE, ns));
    }
    labels.forEach((k, v) -> attributes.add(new Attribute("labels:" + k, v)));
    map.put(new AttributeSet(attributes), objectJson);
    Stored stored = new Stored(objectJson, ns, name, Collections.unmodifiableMap(new LinkedHashMap<>(labels)));
    index.computeIfAbsent(typeKey(type.group(), type.plural()), k -> new TreeMap<>()).put(stored.key(), stored);
  }

  /** One object, or {@code null}. */
  public Stored get(String group, String plural, String namespace, String name) {
    TreeMap<String, Stored> c = index.get(typeKey(group, plural));
    return c == null ? null : c.get(Stored.key(namespace, name));
  }

  /** Every object of a resource type, sorted by namespace and name; a live view. */
  public NavigableMap<String, Stored> collection(String group, String plural) {
    TreeMap<String, Stored> c = index.get(typeKey(group, plural));
    return c == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(c);
  }

  /** The paths of every namespaced object in a namespace, for cascading a namespace deletion. */
  public List<String> objectPathsIn(String namespace) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, TreeMap<String, Stored>> e : index.entrySet()) {
      String[] gp = e.getKey().split("/", 2);
      for (Stored s : e.getValue().values()) {
        if (namespace.equals(s.namespace())) {
          String apiVersion = json.read(s.json()).path("apiVersion").asText();
          String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
          out.add((gp[0].isEmpty() ? "/api/" + version : "/apis/" + gp[0] + "/" + version) + "/namespaces/"
              + namespace + "/" + gp[1] + "/" + s.name());
        }
      }
    }
    return out;
  }

  @Override
  public void reset() {
    super.reset();
    index.clear();
    registry.setCustomResourceDefinitions(List.of());
  }

  private void refreshCrds() {
    List<JsonNode> crds = new ArrayList<>();
    for (Stored s : collection("apiextensions.k8s.io", "customresourcedefinitions").values()) {
      crds.add(json.read(s.json()));
    }
    registry.setCustomResourceDefinitions(crds);
  }

  /** Fabric8's mock numbers UIDs 00000000-0000-0000-0000-000000000001, ...; real ones are random. */
  private String withRandomUid(String state) {
    if (!state.contains("\"00000000-0000-0000-0000-")) {
      return state;
    }
    JsonNode n = json.read(state);
    JsonNode meta = n.path("metadata");
    if (meta instanceof com.fasterxml.jackson.databind.node.ObjectNode
        && meta.path("uid").asText("").startsWith("00000000-0000-0000-0000-")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) meta).put("uid", java.util.UUID.randomUUID().toString());
      return json.write(n);
    }
    return state;
  }

  private Stored stored(String state) {
    JsonNode n = json.read(state);
    JsonNode meta = n.path("metadata");
    Map<String, String> labels = new LinkedHashMap<>();
    meta.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    String ns = meta.path("namespace").asText("");
    return new Stored(state, ns.isEmpty() ? null : ns, meta.path("name").asText(),
        Collections.unmodifiableMap(labels));
  }

  private static String value(AttributeSet attributes, String key) {
    Attribute a = attributes.getAttribute(key);
    return a == null || a.getValues().isEmpty() ? null : a.getValues().get(0).toString();
  }

  private static String typeKey(String group, String plural) {
    return group + "/" + plural;
  }
}
