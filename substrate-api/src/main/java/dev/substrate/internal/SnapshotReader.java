package dev.substrate.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.substrate.SubstrateException;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ConfigException;
import dev.substrate.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesResourceUtil;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URLEncoder;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Reads a {@link ClusterSnapshot}: one paginated LIST per kind from a cluster, or a kubectl dump from files. Each LIST
 * is sent once, without the client's retries, so the request count is what the server saw and a failing server is
 * reported rather than waited out.
 */
public final class SnapshotReader {
  /** Items per LIST page. */
  public static final long PAGE_SIZE = 500;

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final Consumer<String> progress;
  /** Kinds read at once: far below the API server's default --max-requests-inflight of 400. */
  private static final int PARALLEL_KINDS = 4;

  /** Pages parsed beside the reads, shared by every reader; daemon threads, so they never hold a command's exit. */
  private static final ThreadPoolExecutor PARSERS = parsers();
  /** Pages of one read waiting to be parsed, at most. */
  private static final int PAGES_AHEAD = 2;

  private final AtomicInteger requests = new AtomicInteger();
  private final Semaphore ahead = new Semaphore(PAGES_AHEAD);

  public SnapshotReader(KubernetesClient client, Consumer<String> progress) {
    this.client = withoutRetries(client);
    this.progress = progress;
  }

  /** A view of {@code client} that sends each request once: same connection, credentials and timeouts, no retries. */
  public static KubernetesClient withoutRetries(KubernetesClient client) {
    RequestConfig once = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
        .withRequestRetryBackoffLimit(0).build();
    return client.newClient(once).adapt(KubernetesClient.class);
  }

  public ClusterSnapshot read(Collection<ResourceKind> kinds) {
    ClusterSnapshot.Builder snapshot = ClusterSnapshot.builder().source(client.getMasterUrl().toString());
    List<ResourceKind> sorted = List.copyOf(new TreeSet<>(kinds));
    if (sorted.size() <= 1) {
      sorted.forEach(kind -> readKind(kind).addTo(snapshot, progress));
      return snapshot.apiRequests(requests.get()).build();
    }
    // Kinds are read side by side (each kind's pages one after another, as a continue token needs its page), and
    // added and reported in order: the same requests and the same snapshot as one after another, in less time.
    ExecutorService readers = Executors.newFixedThreadPool(Math.min(PARALLEL_KINDS, sorted.size()), runnable -> {
      Thread thread = new Thread(runnable, "substrate-snapshot-reader");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<KindRead>> reads = new ArrayList<>();
      for (ResourceKind kind : sorted) {
        reads.add(readers.submit(() -> readKind(kind)));
      }
      for (Future<KindRead> read : reads) {
        join(read).addTo(snapshot, progress);
      }
    } finally {
      readers.shutdownNow();
    }
    return snapshot.apiRequests(requests.get()).build();
  }

  /** Daemon threads, one per core, that end after a few idle seconds: nothing lingers in a long-lived application. */
  private static ThreadPoolExecutor parsers() {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        runnable -> {
          Thread thread = new Thread(runnable, "substrate-page-parser");
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static <T> T join(Future<T> read) {
    try {
      return read.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SubstrateException("interrupted while reading the cluster", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new SubstrateException("reading the cluster failed: " + Causes.why(e.getCause()), e.getCause());
    }
  }

  /** What reading one kind gave: its objects, or why it could not be read; and the progress line to show. */
  private record KindRead(ResourceKind kind, List<HasMetadata> objects, ClusterSnapshot.ReadState state, String problem,
      String progress) {
    void addTo(ClusterSnapshot.Builder snapshot, Consumer<String> progress) {
      if (objects != null) {
        snapshot.addObjects(kind, objects);
      } else {
        snapshot.unread(kind, state, problem);
      }
      progress.accept(this.progress);
    }
  }

  private KindRead readKind(ResourceKind kind) {
    Class<? extends HasMetadata> model = KnownKinds.modelType(kind.apiVersion(), kind.kind());
    // A built-in kind is parsed straight into its model type, once; checks read it so (see KnownKinds).
    @SuppressWarnings("rawtypes")
    Class<? extends KubernetesResourceList> listType =
        model != null ? KubernetesResourceUtil.inferListType(model) : GenericKubernetesResourceList.class;
    NodeStrings nodeStrings = new NodeStrings();
    List<Future<List<HasMetadata>>> parsed = new ArrayList<>();
    String continueToken = null;
    int pages = 0;
    try {
      do {
        byte[] page = fetch(kind, continueToken);
        pages++;
        continueToken = continueToken(page);
        if (continueToken == null || continueToken.isEmpty()) {
          parsed.add(CompletableFuture.completedFuture(parse(page, listType, model != null, nodeStrings)));
        } else {
          // The next page is asked for while this one is parsed, on another core: a page of 500 nodes takes longer to
          // parse than to fetch. At most PAGES_AHEAD pages wait, so memory holds a few pages of text, not a kind's.
          ahead.acquireUninterruptibly();
          parsed.add(PARSERS.submit(() -> {
            try {
              return parse(page, listType, model != null, nodeStrings);
            } finally {
              ahead.release();
            }
          }));
        }
      } while (continueToken != null && !continueToken.isEmpty());
      List<HasMetadata> all = new ArrayList<>();
      for (Future<List<HasMetadata>> page : parsed) {
        all.addAll(join(page));
      }
      return new KindRead(kind, all, null, null,
          "read " + all.size() + " " + kind.qualifiedName() + (pages > 1 ? " (" + pages + " pages)" : ""));
    } catch (KubernetesClientException e) {
      ClusterSnapshot.ReadState state;
      String problem;
      if (e.getCode() == 404) {
        state = ClusterSnapshot.ReadState.ABSENT;
        problem = kind.qualifiedName() + " is not served by the API server (is its CRD installed?)";
      } else if (e.getCode() == 403) {
        state = ClusterSnapshot.ReadState.FORBIDDEN;
        problem = "may not list " + kind.qualifiedName() + " (403 Forbidden): grant list on " + kind.qualifiedName();
      } else if (e.getCode() > 0) {
        state = ClusterSnapshot.ReadState.FAILED;
        problem = "listing " + kind.qualifiedName() + " failed with HTTP " + e.getCode() + ": "
            + (e.getStatus() != null && e.getStatus().getMessage() != null
                ? Causes.firstLine(e.getStatus().getMessage()) : Causes.firstLine(e.getMessage()));
      } else if (timedOut(e)) {
        state = ClusterSnapshot.ReadState.FAILED;
        problem = "listing " + kind.qualifiedName() + " got no answer within the request timeout of "
            + client.getConfiguration().getRequestTimeout() + " ms";
      } else if (Causes.isIo(e) && (reset(e) || !unreachable(e))) {
        state = ClusterSnapshot.ReadState.FAILED;
        problem = "listing " + kind.qualifiedName() + " failed: "
            + (reset(e) ? "the server reset the connection" : Causes.why(e));
      } else {
        throw SubstrateException.fromClient(client.getMasterUrl().toString(), e);
      }
      return new KindRead(kind, null, state, problem, "could not read " + kind.qualifiedName() + " ("
          + (e.getCode() > 0 ? e.getCode() : timedOut(e) ? "timed out" : "error") + ")");
    }
  }

  /** One page of {@code kind}'s LIST, as the server sent it; an error answer is thrown as the client throws it. */
  private byte[] fetch(ResourceKind kind, String continueToken) {
    HttpClient http = client.getHttpClient();
    StringBuilder url = new StringBuilder(URLUtils.join(client.getMasterUrl().toString(),
        kind.group().isEmpty() ? "api" : "apis/" + kind.group(), kind.version(), kind.plural()));
    url.append("?limit=").append(PAGE_SIZE);
    if (continueToken != null) {
      url.append("&continue=").append(URLEncoder.encode(continueToken, StandardCharsets.UTF_8));
    }
    HttpRequest.Builder request = http.newHttpRequestBuilder().uri(url.toString()).header("Accept", "application/json");
    Integer timeout = client.getConfiguration().getRequestTimeout();
    if (timeout != null && timeout > 0) {
      request.timeout(timeout, TimeUnit.MILLISECONDS);
    }
    requests.incrementAndGet();
    HttpResponse<byte[]> response;
    try {
      response = http.sendAsync(request.build(), byte[].class).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SubstrateException("interrupted while reading the cluster", e);
    } catch (ExecutionException e) {
      throw KubernetesClientException.launderThrowable(e.getCause());
    }
    if (!response.isSuccessful()) {
      Status status = status(response.body());
      String message = status != null && status.getMessage() != null ? status.getMessage()
          : "HTTP " + response.code() + " " + response.message();
      throw new KubernetesClientException(message, response.code(), status);
    }
    return response.body();
  }

  /** The API server's Status in an error answer, if it sent one. */
  private Status status(byte[] body) {
    try {
      return body == null || body.length == 0 ? null
          : client.getKubernetesSerialization().unmarshal(new ByteArrayInputStream(body), Status.class);
    } catch (RuntimeException e) {
      return null; // not a Status: the code alone says what happened
    }
  }

  /**
   * The page's {@code metadata.continue}, read without parsing its items: the API server writes a List's metadata
   * before its items, so the scan stops there (were it after them, the items are skipped over to reach it).
   */
  static String continueToken(byte[] page) {
    try (JsonParser parser = JSON.getFactory().createParser(page)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (!"metadata".equals(field)) {
          parser.skipChildren();
          continue;
        }
        String token = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          if ("continue".equals(name) && parser.currentToken() == JsonToken.VALUE_STRING) {
            token = parser.getText();
          } else {
            parser.skipChildren();
          }
        }
        return token;
      }
      return null;
    } catch (IOException e) {
      return null; // not JSON: parsing the page says so
    }
  }

  /** The page's objects as a snapshot keeps them. */
  @SuppressWarnings("rawtypes")
  private List<HasMetadata> parse(byte[] page, Class<? extends KubernetesResourceList> listType, boolean typed,
      NodeStrings nodeStrings) {
    KubernetesResourceList<?> list =
        client.getKubernetesSerialization().unmarshal(new ByteArrayInputStream(page), listType);
    List<HasMetadata> kept = new ArrayList<>(list.getItems().size());
    for (HasMetadata item : list.getItems()) {
      // Dropped as before; a model object gets the empty list its generic-converted copy had.
      item.getMetadata().setManagedFields(typed ? new ArrayList<>() : null);
      if (item instanceof Node) {
        nodeStrings.compact((Node) item);
      }
      kept.add(item instanceof Pod ? PodFields.keep((Pod) item) : item);
    }
    return kept;
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HttpTimeoutException && !(t instanceof HttpConnectTimeoutException)
          || t instanceof SocketTimeoutException || t instanceof TimeoutException
          || t instanceof IOException && t.getMessage() != null && t.getMessage().contains("timed out")) {
        return true;
      }
    }
    return false;
  }

  /** The connection broke mid-request (the JDK client reports a reset as a {@link ConnectException} too). */
  private static boolean reset(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("Connection reset")) {
        return true;
      }
    }
    return false;
  }

  /** No connection at all: the server is not there, so no kind can be read and doctor stops with one line. */
  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException || t instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Loads {@code kubectl get ... -o json|yaml} output: a {@code List}, a single object, or several YAML documents.
   * A file that is empty, not UTF-8, not JSON or YAML, or holds anything but Kubernetes objects is a
   * {@link ConfigException} naming the file and the position.
   */
  public static ClusterSnapshot fromDump(List<Path> files) {
    Map<String, List<HasMetadata>> byType = new LinkedHashMap<>();
    for (Path file : files) {
      readDump(file, byType);
    }
    NodeStrings nodeStrings = new NodeStrings();
    byType.values().forEach(objects -> objects.forEach(o -> {
      if (o instanceof Node) {
        nodeStrings.compact((Node) o);
      }
    }));
    ClusterSnapshot.Builder snapshot = ClusterSnapshot.builder().source("dump: " + files);
    List<HasMetadata> crds = byType.getOrDefault(
        typeKey(ResourceKind.CUSTOM_RESOURCE_DEFINITIONS.apiVersion(), ResourceKind.CUSTOM_RESOURCE_DEFINITIONS.kind()),
        List.of());
    for (ResourceKind kind : KnownKinds.ALL) {
      List<HasMetadata> found = byType.get(typeKey(kind.apiVersion(), kind.kind()));
      if (found != null) {
        snapshot.addObjects(kind, found);
      } else if (!kind.group().isEmpty() && !crds.isEmpty() && !KnownKinds.BUILT_IN_GROUPS.contains(kind.group())
          && crds.stream().noneMatch(crd -> kind.qualifiedName().equals(crd.getMetadata().getName()))) {
        snapshot.unread(kind, ClusterSnapshot.ReadState.ABSENT, "the dump's CRDs do not include " + kind.qualifiedName());
      } else {
        snapshot.unread(kind, ClusterSnapshot.ReadState.NOT_CAPTURED, "the dump does not contain " + kind.qualifiedName());
      }
    }
    return snapshot.build();
  }

  private static void readDump(Path file, Map<String, List<HasMetadata>> byType) {
    String text;
    try {
      text = YamlTrees.readUtf8(file);
    } catch (YamlTrees.NotUtf8Exception e) {
      throw new ConfigException("dump " + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException("dump " + file + " could not be read: " + Causes.why(e));
    }
    String start = text.stripLeading();
    boolean json = start.startsWith("{") || start.startsWith("[");
    int objects = 0;
    try (JsonParser parser = json ? JSON.getFactory().createParser(text) : YamlTrees.parser(text)) {
      while (parser.nextToken() != null) {
        JsonLocation at = parser.currentTokenLocation();
        JsonNode doc = JSON.readTree(parser);
        if (doc == null || doc.isNull() || doc.isTextual() && doc.asText().isEmpty()) {
          continue; // an empty YAML document
        }
        objects += collect(file, at, doc, byType);
      }
    } catch (YamlTrees.AliasException e) {
      throw new ConfigException("dump " + file + " line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      String message = String.valueOf(e.getOriginalMessage());
      // The parser's message may quote the dump's text: say where and, for a cut-off file, that it ends early.
      throw new ConfigException("dump " + file + " is not valid " + (json ? "JSON" : "YAML") + position(e.getLocation())
          + (message.contains("end-of-input") || message.contains("end of the stream") ? ": it ends early (truncated?)"
              : ""));
    } catch (IOException e) {
      throw new ConfigException("dump " + file + " could not be read: " + Causes.why(e));
    }
    if (objects == 0) {
      throw new ConfigException("dump " + file + " holds no Kubernetes objects: it must be the output of "
          + "kubectl get ... -o json or -o yaml");
    }
  }

  /** Adds the object or List {@code doc}, which starts {@code at}; returns how many documents it counted. */
  private static int collect(Path file, JsonLocation at, JsonNode doc,
      Map<String, List<HasMetadata>> byType) {
    if (!doc.isObject()) {
      throw notAnObject(file, at, "the document", "is a " + type(doc));
    }
    if (doc.has("items") && (!doc.has("kind") || doc.path("kind").asText().endsWith("List"))) {
      if (!doc.get("items").isArray()) {
        throw notAnObject(file, at, "items", "is a " + type(doc.get("items")) + ", not a list");
      }
      for (int i = 0; i < doc.get("items").size(); i++) {
        JsonNode item = doc.get("items").get(i);
        if (!item.isObject()) {
          throw notAnObject(file, at, "items[" + i + "]", "is a " + type(item));
        }
        add(file, at, "items[" + i + "]", item, byType);
      }
      return 1;
    }
    add(file, at, "the document", doc, byType);
    return 1;
  }

  private static void add(Path file, JsonLocation at, String what, JsonNode object,
      Map<String, List<HasMetadata>> byType) {
    for (String field : List.of("apiVersion", "kind")) {
      if (!object.path(field).isTextual() || object.path(field).asText().isBlank()) {
        throw notAnObject(file, at, what, "has no " + field);
      }
    }
    String key = typeKey(object.get("apiVersion").asText(), object.get("kind").asText());
    Class<? extends HasMetadata> model = KnownKinds.modelType(object.get("apiVersion").asText(), object.get("kind").asText());
    HasMetadata r = null;
    if (model != null) {
      try {
        r = SERIALIZATION.convertValue(object, model);
      } catch (IllegalArgumentException e) {
        // kept generic below: the check that reads it as its model type reports the field, as before
      }
    }
    if (r == null) {
      try {
        r = SERIALIZATION.convertValue(object, GenericKubernetesResource.class);
      } catch (IllegalArgumentException e) {
        throw notAnObject(file, at, what, "has fields of the wrong type (metadata must be a mapping)");
      }
    }
    byType.computeIfAbsent(key, k -> new ArrayList<>()).add(r instanceof Pod ? PodFields.keep((Pod) r) : r);
  }

  private static ConfigException notAnObject(Path file, JsonLocation at, String what, String problem) {
    return new ConfigException("dump " + file + position(at) + ": " + what + " " + problem
        + ", but must be a Kubernetes object (apiVersion, kind, metadata) or a List of them");
  }

  private static String position(JsonLocation at) {
    return at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  private static String type(JsonNode node) {
    return node.isArray() ? "list" : node.isObject() ? "mapping" : node.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  private static String typeKey(String apiVersion, String kind) {
    return apiVersion + " " + kind;
  }
}
