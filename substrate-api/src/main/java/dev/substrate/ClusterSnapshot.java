package dev.substrate;

import dev.substrate.internal.SnapshotReader;
import dev.substrate.internal.SnapshotViews;
import dev.substrate.spi.Redaction;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * An immutable, read-once view of the cluster that doctor checks read instead of calling the API themselves.
 * Reading costs one paginated LIST per kind, whatever the number of checks. Doctor hands each check a snapshot of only
 * the kinds it declared in {@link dev.substrate.spi.Check#reads()}; reading another kind throws a
 * {@link SubstrateException} (the testkit's {@code DeclaredReads} runs checks the same way in tests).
 *
 * <pre>{@code
 * ClusterSnapshot snapshot = ClusterSnapshot.read(client, Set.of(ResourceKind.NODES, ResourceKind.STORAGE_CLASSES));
 * List<Node> nodes = snapshot.list(ResourceKind.NODES, Node.class);
 * }</pre>
 */
public final class ClusterSnapshot {
  /** How reading one kind went. */
  public enum ReadState {
    /** Listed completely. */
    READ,
    /** The API server does not serve the kind (its CRD is not installed). */
    ABSENT,
    /** The caller may not list the kind (HTTP 403). */
    FORBIDDEN,
    /** Listing failed for another reason. */
    FAILED,
    /** The snapshot was loaded from a dump that does not contain the kind. */
    NOT_CAPTURED
  }

  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static {
    SnapshotViews.install(ClusterSnapshot::new);
  }

  private final String source;
  /** The objects of each kind as read: Fabric8 model objects for built-in kinds, generic ones for the rest. */
  private final Map<ResourceKind, List<?>> items;
  private final Map<ResourceKind, ReadState> states;
  private final Map<ResourceKind, String> problems;
  private final int apiRequests;
  /** Lists converted to another type than they were read as; shared with restricted views, which see the same items. */
  private final Map<String, List<?>> typedCache;
  /** The kinds a restricted view may read; null for every kind. */
  private final Set<ResourceKind> readable;
  private final String readerId;

  private ClusterSnapshot(Builder b) {
    this.source = b.source;
    Map<ResourceKind, List<?>> copy = new LinkedHashMap<>();
    b.items.forEach((k, v) -> copy.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
    this.items = Collections.unmodifiableMap(copy);
    this.states = Map.copyOf(b.states);
    this.problems = Map.copyOf(b.problems);
    this.apiRequests = b.apiRequests;
    this.typedCache = new ConcurrentHashMap<>();
    this.readable = null;
    this.readerId = null;
  }

  /** A restricted view: {@code from}'s data for the {@code declared} kinds only. */
  private ClusterSnapshot(ClusterSnapshot from, Set<ResourceKind> declared, String readerId) {
    this.source = from.source;
    this.apiRequests = from.apiRequests;
    Map<ResourceKind, List<?>> kept = new LinkedHashMap<>();
    Map<ResourceKind, ReadState> keptStates = new LinkedHashMap<>();
    Map<ResourceKind, String> keptProblems = new LinkedHashMap<>();
    for (ResourceKind kind : declared) {
      if (from.readable != null && !from.readable.contains(kind)) {
        continue;
      }
      keptStates.put(kind, from.state(kind));
      from.problem(kind).ifPresent(p -> keptProblems.put(kind, p));
      if (from.items.containsKey(kind)) {
        kept.put(kind, from.items.get(kind));
      }
    }
    this.items = Collections.unmodifiableMap(kept);
    this.states = Map.copyOf(keptStates);
    this.problems = Map.copyOf(keptProblems);
    this.typedCache = from.typedCache;
    this.readable = Set.copyOf(keptStates.keySet());
    this.readerId = Objects.requireNonNull(readerId, "readerId");
  }

  /** The same view with {@code nodes} in place of its nodes: what the checks of one node pool see. */
  private ClusterSnapshot(ClusterSnapshot from, List<?> nodes) {
    this.source = from.source;
    this.apiRequests = from.apiRequests;
    Map<ResourceKind, List<?>> replaced = new LinkedHashMap<>(from.items);
    replaced.put(ResourceKind.NODES, List.copyOf(nodes));
    this.items = Collections.unmodifiableMap(replaced);
    this.states = from.states;
    this.problems = from.problems;
    this.typedCache = new ConcurrentHashMap<>();
    this.readable = from.readable;
    this.readerId = from.readerId;
  }

  /** This snapshot, or view of one, holding only {@code nodes} (which it read) as its nodes. */
  ClusterSnapshot withNodes(List<?> nodes) {
    return new ClusterSnapshot(this, nodes);
  }

  /** Lists every kind once through {@code client}, 500 items a page. */
  public static ClusterSnapshot read(KubernetesClient client, Collection<ResourceKind> kinds) {
    return read(client, kinds, message -> {});
  }

  /** As {@link #read(KubernetesClient, Collection)}, reporting each step to {@code progress}. */
  public static ClusterSnapshot read(KubernetesClient client, Collection<ResourceKind> kinds, Consumer<String> progress) {
    return new SnapshotReader(client, progress).read(kinds);
  }

  /**
   * Loads a snapshot from {@code kubectl get ... -o json} (or YAML) output, so doctor can run offline on a support
   * bundle. Kinds the files do not contain read as {@link ReadState#NOT_CAPTURED}.
   *
   * @throws ConfigException naming the file and the line and column when a file is empty, not UTF-8, not JSON or
   *     YAML, holds a YAML alias, or holds anything but Kubernetes objects (each with apiVersion and kind) and Lists
   */
  public static ClusterSnapshot fromDump(Path... files) {
    return SnapshotReader.fromDump(List.of(files));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Where the snapshot came from: the API server URL or the dump files. */
  public String source() {
    return source;
  }

  /** The kinds this snapshot knows something about, read or not. */
  public Set<ResourceKind> kinds() {
    Set<ResourceKind> all = new TreeSet<>(states.keySet());
    all.addAll(items.keySet());
    return Collections.unmodifiableSet(all);
  }

  public ReadState state(ResourceKind kind) {
    guard(kind);
    return states.getOrDefault(kind, items.containsKey(kind) ? ReadState.READ : ReadState.NOT_CAPTURED);
  }

  /** Why {@code kind} was not read, when it was not. */
  public Optional<String> problem(ResourceKind kind) {
    return Optional.ofNullable(problems.get(kind));
  }

  /**
   * Every object of {@code kind}; empty when the kind is absent or was not read. Built-in kinds are held as Fabric8
   * model objects and converted on the first call: read them with {@link #list(ResourceKind, Class)}.
   */
  public List<GenericKubernetesResource> list(ResourceKind kind) {
    return list(kind, GenericKubernetesResource.class);
  }

  /**
   * Every object of {@code kind} as a Fabric8 model type such as {@code Node}. Built-in kinds are read as their model
   * types, so asking for that type converts nothing; any other type is converted once and kept.
   */
  @SuppressWarnings("unchecked")
  public <T> List<T> list(ResourceKind kind, Class<T> type) {
    guard(kind);
    List<?> held = items.getOrDefault(kind, List.of());
    if (held.stream().allMatch(type::isInstance)) {
      return (List<T>) held;
    }
    return (List<T>) typedCache.computeIfAbsent(kind.qualifiedName() + "/" + type.getName(), key -> {
      List<T> typed = new ArrayList<>(held.size());
      for (Object o : held) {
        typed.add(type.isInstance(o) ? type.cast(o) : SERIALIZATION.convertValue(o, type));
      }
      return Collections.unmodifiableList(typed);
    });
  }

  /** The LIST requests made to build this snapshot, pages included; 0 for a dump. */
  public int apiRequests() {
    return apiRequests;
  }

  private void guard(ResourceKind kind) {
    if (readable != null && !readable.contains(kind)) {
      throw new UndeclaredReadException(readerId, kind);
    }
  }

  /** Builds snapshots by hand, for tests and for readers of other sources. */
  public static final class Builder {
    private String source = "in-memory";
    private final Map<ResourceKind, List<Object>> items = new LinkedHashMap<>();
    private final Map<ResourceKind, ReadState> states = new LinkedHashMap<>();
    private final Map<ResourceKind, String> problems = new LinkedHashMap<>();
    private int apiRequests;

    /** Where the snapshot came from; a URL's user info, query and fragment, which may be credentials, are dropped. */
    public Builder source(String source) {
      this.source = Redaction.url(source);
      return this;
    }

    /** Adds objects of {@code kind}; the kind reads as {@link ReadState#READ}. */
    public Builder add(ResourceKind kind, Collection<GenericKubernetesResource> resources) {
      items.computeIfAbsent(kind, k -> new ArrayList<>()).addAll(resources);
      states.put(kind, ReadState.READ);
      return this;
    }

    /**
     * Adds Fabric8 model objects (a {@code Node}, a {@code StorageClass}...) of {@code kind}. Like {@link #add}, it
     * keeps the objects themselves, not copies; anything but a Kubernetes object (a {@code Map}...) is converted to a
     * {@link GenericKubernetesResource}.
     */
    public Builder addObjects(ResourceKind kind, Collection<?> objects) {
      List<Object> kept = items.computeIfAbsent(kind, k -> new ArrayList<>());
      for (Object o : objects) {
        kept.add(o instanceof KubernetesResource ? o : SERIALIZATION.convertValue(o, GenericKubernetesResource.class));
      }
      states.put(kind, ReadState.READ);
      return this;
    }

    /** Records that {@code kind} could not be read, and why. */
    public Builder unread(ResourceKind kind, ReadState state, String problem) {
      if (state == ReadState.READ) {
        throw new IllegalArgumentException("use add() for a kind that was read");
      }
      items.remove(kind);
      states.put(kind, state);
      problems.put(kind, problem);
      return this;
    }

    /** Copies every kind {@code other} knows about, read or not, replacing what this builder had for them. */
    public Builder addAll(ClusterSnapshot other) {
      for (ResourceKind kind : other.kinds()) {
        if (other.state(kind) == ReadState.READ) {
          other.guard(kind);
          items.put(kind, new ArrayList<>(other.items.getOrDefault(kind, List.of())));
          states.put(kind, ReadState.READ);
          problems.remove(kind);
        } else {
          unread(kind, other.state(kind), other.problem(kind).orElse(kind.qualifiedName() + " was not read"));
        }
      }
      return this;
    }

    public Builder apiRequests(int apiRequests) {
      this.apiRequests = apiRequests;
      return this;
    }

    public ClusterSnapshot build() {
      return new ClusterSnapshot(this);
    }
  }
}
