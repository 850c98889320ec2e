package dev.substrate.kubefake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.kubefake.internal.http.ApiPath;
import dev.substrate.kubefake.internal.http.ApiServer;
import dev.substrate.kubefake.internal.http.Faults;
import dev.substrate.kubefake.internal.preset.Presets;
import dev.substrate.kubefake.internal.store.Json;
import dev.substrate.kubefake.internal.store.ObjectStore;
import dev.substrate.kubefake.internal.store.ResourceRegistry;
import dev.substrate.kubefake.internal.store.ResourceType;
import dev.substrate.kubefake.internal.tokens.ServiceAccountIssuer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Kubernetes API server seeded like a GKE, Hetzner or bring-your-own cluster, for tests
 * and for running without a cluster; both the Fabric8 client and plain {@code kubectl} work against it.
 *
 * <p>It is Fabric8's CRUD mock server extended with discovery (CRDs included, established on
 * creation), {@code /version} and health endpoints, paginated and selector-filtered LISTs,
 * server-side apply, strategic and JSON merge patches, dry runs, a request journal and fault injection.
 *
 * <pre>{@code
 * try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER).nodes(200).start()) {
 *   KubernetesClient client = cluster.client();
 *   client.nodes().list().getItems();                   // 200 nodes, ~1 in 4 with an NVIDIA GPU
 *   cluster.forbid("external-secrets.io", "clustersecretstores");
 *   cluster.fail("storage.k8s.io", "storageclasses", 503);
 *   cluster.writeKubeconfig(Path.of("kubeconfig"));      // kubectl --kubeconfig kubeconfig get nodes
 * }
 * }</pre>
 *
 * <p>It is also a service-account token issuer, {@link #oidc()}: it serves the OIDC discovery document
 * ({@code GET /.well-known/openid-configuration}) and JWKS ({@code GET /openid/v1/jwks}) as kube-apiserver does
 * (only for an https issuer without query or fragment), and answers TokenRequests
 * ({@code POST /api/v1/namespaces/NS/serviceaccounts/NAME/token}, JSON or protobuf, so {@code kubectl create token}
 * works) with RS256 tokens shaped like projected service-account tokens: 404 when the service account does not
 * exist, {@code expirationSeconds} 3600 by default and at least 600, audiences defaulting to the issuer. The issuer
 * looks like the preset's ({@link Builder#issuer(String)} overrides it).
 *
 * <p>Thread-safe. Not a conformant API server; what it does not do:
 * <ul>
 *   <li>no admission, defaulting or schema validation; a namespace need not exist to create objects in it;
 *   <li>server-side apply merges and tracks field ownership per manager but never reports conflicts;
 *   <li>no garbage collection (deleting a namespace deletes what is in it; nothing else cascades);
 *   <li>Fabric8 watches (WebSocket) stream events; plain HTTP watches (kubectl, client-go) cannot stream
 *       here: a watch from a resourceVersion answers "expired" after a second so informers and
 *       {@code kubectl wait} relist, i.e. poll; {@code kubectl get -w} ends after one round;
 *   <li>no protobuf: kubectl's typed commands ({@code kubectl create configmap ...}, {@code kubectl scale})
 *       fail; {@code kubectl apply/get/patch/label/annotate/edit/delete/wait} work;
 *   <li>only the {@code status} and {@code serviceaccounts/token} subresources (no {@code scale}, {@code log},
 *       {@code exec}); no TokenReview, and tokens are not revoked when their bound object goes.
 * </ul>
 */
public final class EmbeddedCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);

  private final ClusterPreset preset;
  private final KubernetesMockServer server;
  private final Faults faults;
  private final List<ApiRequest> journal = new ArrayList<>();
  private final String url;
  private final KubernetesClient client;
  private final OidcIssuer oidc;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<java.util.logging.Logger> quietLoggers = new ArrayList<>();

  private EmbeddedCluster(Builder b) {
    this.preset = b.preset;
    quiet("io.fabric8.mockwebserver");
    Json json = new Json();
    ResourceRegistry registry = new ResourceRegistry();
    ObjectStore store = new ObjectStore(json, registry);
    this.faults = new Faults();
    long started = System.nanoTime();
    int seeded = seed(json, store, registry, b);
    LOG.debug("seeded {} objects ({} nodes) for preset {} in {} ms", seeded, b.nodes, preset.id(),
        (System.nanoTime() - started) / 1_000_000);
    String gitVersion = Presets.gitVersion(preset);
    MockWebServer web = new MockWebServer();
    ServiceAccountIssuer issuer = new ServiceAccountIssuer(b.issuer != null ? b.issuer : Presets.issuer(preset),
        b.jwksUri);
    ApiServer api = new ApiServer(json, registry, store, faults, versionJson(json, gitVersion), web, this::record,
        issuer);
    this.oidc = new OidcIssuer(issuer, (namespace, name) -> api.readLocked(() -> {
      ObjectStore.Stored sa = store.get("", "serviceaccounts", namespace, name);
      return sa == null ? null : json.read(sa.json()).path("metadata").path("uid").asText(null);
    }));
    this.server = new KubernetesMockServer(new Context(), web, new HashMap<>(), api, false, versionInfo(gitVersion));
    try {
      server.start(InetAddress.getLoopbackAddress(), b.port);
    } catch (RuntimeException e) {
      server.destroy();
      throw e;
    }
    String hostPort = "127.0.0.1:" + server.getPort();
    api.setServerAddress(hostPort);
    this.url = "http://" + hostPort;
    this.client = new KubernetesClientBuilder().withConfig(config()).withHttpClientFactory(new JdkHttpClientFactory())
        .build();
    LOG.info("embedded {} cluster with {} nodes listening on {}", preset.id(), b.nodes, url);
  }

  /** Starts a cluster seeded like the preset, with the preset's default node count. */
  public static EmbeddedCluster start(ClusterPreset preset) {
    return builder().preset(preset).start();
  }

  /** A builder: preset, node count, port and extra objects. */
  public static Builder builder() {
    return new Builder();
  }

  /** The preset this cluster was seeded like. */
  public ClusterPreset preset() {
    return preset;
  }

  /** A Fabric8 client (JDK HTTP client, namespace {@code default}) pointed at this cluster; closed with it. */
  public KubernetesClient client() {
    return client;
  }

  /**
   * The cluster's service-account token issuer: its issuer URL, discovery document and JWKS (as the cluster serves
   * them), key rotation, and tokens minted without a TokenRequest.
   */
  public OidcIssuer oidc() {
    return oidc;
  }

  /** A client configuration for this cluster, for building clients of your own. */
  public Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withNamespace("default")
        .withHttp2Disable(true)
        .withTrustCerts(true)
        .build();
  }

  /** The server URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return url;
  }

  /** The context, cluster and user name the kubeconfig uses: {@code embedded-<preset>}. */
  public String contextName() {
    return "embedded-" + preset.id();
  }

  /** A kubeconfig document for this cluster that kubectl accepts. */
  public String kubeconfig() {
    String name = contextName();
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: " + name + "\n"
        + "  cluster:\n"
        + "    server: " + url + "\n"
        + "contexts:\n"
        + "- name: " + name + "\n"
        + "  context:\n"
        + "    cluster: " + name + "\n"
        + "    user: " + name + "\n"
        + "    namespace: default\n"
        + "current-context: " + name + "\n"
        + "users:\n"
        + "- name: " + name + "\n"
        + "  user:\n"
        + "    token: embedded\n"
        + "preferences: {}\n";
  }

  /** Writes {@link #kubeconfig()} to a file (creating parent directories) and returns the file. */
  public Path writeKubeconfig(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, kubeconfig(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write kubeconfig to " + file, e);
    }
  }

  /** How many requests the journal holds. */
  public int requestCount() {
    synchronized (journal) {
      return journal.size();
    }
  }

  /** The journal: every request answered since start or the last {@link #resetJournal()}, oldest first. */
  public List<ApiRequest> requests() {
    synchronized (journal) {
      return List.copyOf(journal);
    }
  }

  /** How many LIST requests the journal holds for a resource (plural, any group), e.g. {@code nodes}. */
  public int listRequests(String plural) {
    return (int) requests().stream().filter(r -> r.isList() && r.resource().equals(plural)).count();
  }

  /** How many LIST requests the journal holds for a resource of one group ({@code ""} for core). */
  public int listRequests(String group, String plural) {
    return (int) requests().stream()
        .filter(r -> r.isList() && r.resource().equals(plural) && r.group().equals(group)).count();
  }

  /** Empties the journal. */
  public void resetJournal() {
    synchronized (journal) {
      journal.clear();
    }
  }

  /**
   * Makes every request for a resource fail with a Kubernetes 403 Forbidden {@code Status}, as RBAC would.
   *
   * @param group API group, {@code ""} for the core group
   * @param plural resource, e.g. {@code clustersecretstores}
   */
  public void forbid(String group, String plural) {
    faults.forbid(group, plural);
  }

  /**
   * Makes every request for a resource fail with a server error, a Kubernetes {@code Status} with the given code.
   *
   * @param group API group, {@code ""} for the core group
   * @param plural resource, e.g. {@code nodes}
   * @param status 500 to 599
   */
  public void fail(String group, String plural, int status) {
    faults.fail(group, plural, status);
  }

  /** Makes every request (resources, discovery, {@code /version}, issuer documents) fail with a 5xx {@code status}. */
  public void failAll(int status) {
    faults.failAll(status);
  }

  /** Delays every response by the given duration (without blocking the server); zero for none. */
  public void delay(Duration delay) {
    faults.delay(delay);
  }

  /** Removes every injected fault. */
  public void clearFaults() {
    faults.clear();
  }

  /** Stops the server and closes {@link #client()}. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        client.close();
      } finally {
        server.destroy();
      }
    }
  }

  @Override
  public String toString() {
    return "EmbeddedCluster[" + preset.id() + " at " + url + "]";
  }

  private void record(Instant time, String method, ApiPath path, String verb, int status) {
    boolean resource = path.type() == ApiPath.Type.RESOURCE;
    ApiRequest r = new ApiRequest(time, method, path.path(), path.rawQuery(), verb,
        resource ? path.group() : "", resource ? path.plural() : "", status);
    synchronized (journal) {
      journal.add(r);
    }
  }

  private int seed(Json json, ObjectStore store, ResourceRegistry registry, Builder b) {
    Seeder seeder = new Seeder(json, store, registry);
    Presets.seed(preset, b.nodes, Instant.now(), seeder);
    b.objects.forEach(o -> seeder.add(seeder.serialization.clone(o)));
    return seeder.count;
  }

  /** Stamps server-set metadata on seeded objects and stores them directly. */
  private static final class Seeder implements Presets.Sink {
    private final Json json;
    private final ObjectStore store;
    private final ResourceRegistry registry;
    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final String created = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(30)).toString();
    private int count;

    Seeder(Json json, ObjectStore store, ResourceRegistry registry) {
      this.json = json;
      this.store = store;
      this.registry = registry;
    }

    @Override
    public void add(HasMetadata o) {
      ResourceType type = type(o.getApiVersion(), o.getKind());
      ObjectMeta meta = Objects.requireNonNull(o.getMetadata(), "metadata");
      if (!type.namespaced()) {
        meta.setNamespace(null);
      } else if (meta.getNamespace() == null || meta.getNamespace().isEmpty()) {
        meta.setNamespace("default");
      }
      if (meta.getUid() == null) {
        meta.setUid(uid(type, meta.getNamespace(), meta.getName()));
      }
      if (meta.getCreationTimestamp() == null) {
        meta.setCreationTimestamp(created);
      }
      meta.setResourceVersion(String.valueOf(store.requestResourceVersion()));
      if (meta.getGeneration() == null) {
        meta.setGeneration(1L);
      }
      Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
      store.seed(type, meta.getNamespace(), meta.getName(), labels, serialization.asJson(o));
      count++;
    }

    @Override
    public void add(ObjectNode o) {
      ResourceType type = type(o.path("apiVersion").asText(), o.path("kind").asText());
      ObjectNode meta = (ObjectNode) o.get("metadata");
      String name = meta.path("name").asText();
      String namespace = type.namespaced() ? meta.path("namespace").asText("default") : null;
      if (namespace != null) {
        meta.put("namespace", namespace);
      }
      meta.put("uid", uid(type, namespace, name));
      meta.put("resourceVersion", String.valueOf(store.requestResourceVersion()));
      meta.put("creationTimestamp", created);
      Map<String, String> labels = new LinkedHashMap<>();
      meta.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      store.seed(type, namespace, name, labels, json.write(o));
      count++;
    }

    private ResourceType type(String apiVersion, String kind) {
      ResourceType type = registry.byKind(apiVersion, kind);
      if (type == null) {
        throw new IllegalArgumentException("cannot seed " + apiVersion + " " + kind
            + ": no such resource is served (add its CustomResourceDefinition first)");
      }
      return type;
    }

    private static String uid(ResourceType type, String namespace, String name) {
      return UUID.nameUUIDFromBytes((type.qualifiedName() + "/" + namespace + "/" + name)
          .getBytes(StandardCharsets.UTF_8)).toString();
    }
  }

  private static String versionJson(Json json, String gitVersion) {
    String minor = gitVersion.replaceFirst("^v\\d+\\.(\\d+).*$", "$1");
    return json.write(new java.util.LinkedHashMap<>(java.util.Map.of(
        "major", "1", "minor", minor, "gitVersion", gitVersion,
        "gitCommit", "2da5b8a4e7f3b6c1d9e0a8f7b6c5d4e3f2a1b0c9", "gitTreeState", "clean",
        "buildDate", "2025-04-22T16:00:00Z", "goVersion", "go1.23.8", "compiler", "gc", "platform", "linux/amd64")));
  }

  private static VersionInfo versionInfo(String gitVersion) {
    return new VersionInfo.Builder().withMajor("1").withMinor(gitVersion.replaceFirst("^v\\d+\\.(\\d+).*$", "$1"))
        .withGitVersion(gitVersion).build();
  }

  private void quiet(String loggerName) {
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger(loggerName);
    if (jul.getLevel() == null) {
      jul.setLevel(Level.WARNING);
    }
    quietLoggers.add(jul);
  }

  /** Configures and starts an {@link EmbeddedCluster}. */
  public static final class Builder {
    private ClusterPreset preset = ClusterPreset.BARE;
    private Integer nodesOverride;
    private int nodes;
    private int port;
    private String issuer;
    private String jwksUri;
    private final List<HasMetadata> objects = new ArrayList<>();

    private Builder() {
    }

    /** The preset to seed like; {@link ClusterPreset#BARE} by default. */
    public Builder preset(ClusterPreset value) {
      this.preset = Objects.requireNonNull(value, "preset");
      return this;
    }

    /** The number of nodes; the preset keeps its mix (about one GPU node in four). */
    public Builder nodes(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("nodes must be at least 1, was " + count);
      }
      this.nodesOverride = count;
      return this;
    }

    /** The port to listen on (loopback only); 0, the default, picks a free one. */
    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("port out of range: " + value);
      }
      this.port = value;
      return this;
    }

    /**
     * The service-account issuer ({@code --service-account-issuer}): the tokens' {@code iss} and the discovery
     * document's {@code issuer}. By default the preset's: GKE's
     * {@code https://container.googleapis.com/v1/projects/acme-ml/locations/europe-west4/clusters/prod}, else k3s's and
     * kubeadm's {@code https://kubernetes.default.svc.cluster.local} (not a public URL). Like kube-apiserver, the
     * cluster serves the discovery documents only for an https issuer without query or fragment.
     */
    public Builder issuer(String value) {
      String v = Objects.requireNonNull(value, "issuer").trim();
      try {
        java.net.URI uri = new java.net.URI(v);
        if (!uri.isAbsolute() || uri.getHost() == null) {
          throw new IllegalArgumentException("issuer must be an absolute URL, was '" + value + "'");
        }
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("issuer must be an absolute URL, was '" + value + "'", e);
      }
      this.issuer = v;
      return this;
    }

    /**
     * The discovery document's {@code jwks_uri} ({@code --service-account-jwks-uri}); by default the issuer followed
     * by {@code /openid/v1/jwks}. (A real API server without the flag names its own external address instead.)
     */
    public Builder jwksUri(String value) {
      this.jwksUri = Objects.requireNonNull(value, "jwksUri");
      return this;
    }

    /** Extra objects to seed after the preset's (copies are stored; CRDs before their custom resources). */
    public Builder objects(HasMetadata... extra) {
      for (HasMetadata o : extra) {
        objects.add(Objects.requireNonNull(o, "object"));
      }
      return this;
    }

    /** Seeds the store and starts the server. */
    public EmbeddedCluster start() {
      nodes = nodesOverride != null ? nodesOverride : preset.defaultNodes();
      return new EmbeddedCluster(this);
    }
  }
}
