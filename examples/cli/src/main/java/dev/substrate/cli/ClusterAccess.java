package dev.substrate.cli;

import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.substrate.ApplyOptions;
import dev.substrate.ApplyResult;
import dev.substrate.ClusterAccessException;
import dev.substrate.ClusterSnapshot;
import dev.substrate.GpuCapacity;
import dev.substrate.Report;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.SubstrateException;
import dev.substrate.Substrates;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import dev.substrate.spi.Redaction;
import io.fabric8.kubernetes.api.model.NamedExtension;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A Kubernetes client for one run, from a kubeconfig file or an embedded cluster, closing what it opened. Requests
 * are bounded: 5 s to connect, 15 s per request, no retries; an unreachable server is one line naming it. Whatever
 * takes the client happens here, not in the command classes: picocli reflects over those for every run, {@code --help}
 * included, and a method that names a Fabric8 type there would load it.
 */
final class ClusterAccess implements AutoCloseable {
  static final int CONNECT_TIMEOUT_MS = 5_000;
  static final int REQUEST_TIMEOUT_MS = 15_000;

  private final KubernetesClient client;
  private final String server;
  private final AutoCloseable owned;

  private ClusterAccess(KubernetesClient client, String server, AutoCloseable owned) {
    this.client = client;
    this.server = server;
    this.owned = owned;
  }

  static ClusterAccess open(ClusterOptions options, PrintWriter err) {
    return options.embedded != null ? embedded(options.embedded, err) : kubeconfig(options.kubeconfig, options.context);
  }

  /** Starts an in-process cluster seeded like {@code preset}; it stops when this closes. */
  static ClusterAccess embedded(ClusterPreset preset, PrintWriter err) {
    ConfigOptions.progress(err, "starting an embedded " + preset.id() + " cluster…");
    EmbeddedCluster cluster = EmbeddedCluster.start(preset);
    return new ClusterAccess(cluster.client(), cluster.url(), cluster);
  }

  /** The in-process cluster, when this is one. */
  java.util.Optional<EmbeddedCluster> embedded() {
    return owned instanceof EmbeddedCluster e ? java.util.Optional.of(e) : java.util.Optional.empty();
  }

  /** A client built from {@code file} alone, with bounded timeouts. */
  static ClusterAccess kubeconfig(Path file, String context) {
    if (!Files.exists(file)) {
      throw new CliException("kubeconfig file " + file + " does not exist");
    }
    checkContext(file, YamlInput.read(file, "kubeconfig file"), context);
    Config config;
    try {
      plainExtensions();
      // Config.empty() plus this file: no KUBECONFIG, ~/.kube/config, environment or system properties.
      config = Config.fromKubeconfig(context, file.toAbsolutePath().toFile());
    } catch (RuntimeException e) {
      throw new CliException("kubeconfig file " + file + " cannot be used: " + why(e));
    }
    checkFile(file, "certificate-authority", config.getCaCertFile());
    checkFile(file, "client-certificate", config.getClientCertFile());
    checkFile(file, "client-key", config.getClientKeyFile());
    if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
      throw new CliException("kubeconfig file " + file + " names no server for context "
          + (context == null ? "(current-context)" : context));
    }
    config.setConnectionTimeout(CONNECT_TIMEOUT_MS);
    config.setRequestTimeout(REQUEST_TIMEOUT_MS);
    config.setRequestRetryBackoffLimit(0);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    ClusterAccess access = new ClusterAccess(client, Redaction.url(config.getMasterUrl()), client);
    try {
      access.probe();
    } catch (RuntimeException e) {
      access.close();
      throw e;
    }
    return access;
  }

  /**
   * Has Fabric8 read a kubeconfig's {@code extensions} as plain data. Its model reads each one as a Kubernetes object
   * by kind, and the deserializer that does so first loads every kind Fabric8 knows (~800 classes, a quarter of a
   * second of start-up); the client does not use extensions. A mix-in on the mapper {@code Config.fromKubeconfig}
   * uses (Fabric8's static {@link Serialization}); it takes effect only if that mapper has not read one yet.
   */
  @SuppressWarnings("deprecation") // the static mapper is deprecated for callers' own use, but it is what Config reads with
  private static void plainExtensions() {
    Serialization.jsonMapper().addMixIn(NamedExtension.class, PlainExtension.class);
  }

  /** Overrides {@link NamedExtension}'s deserializer: untyped (maps, lists, scalars). */
  private abstract static class PlainExtension {
    @JsonDeserialize(using = JsonDeserializer.None.class)
    private Object extension;

    @JsonDeserialize(using = JsonDeserializer.None.class)
    abstract void setExtension(Object extension);
  }

  /** Asks the server for its version, so that a server that cannot be reached fails before any work starts. */
  private void probe() {
    try {
      call(KubernetesClient::getKubernetesVersion);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401) {
        throw new ClusterAccessException("the Kubernetes API server at " + server
            + " does not accept the kubeconfig's credentials (HTTP 401 Unauthorized)", e);
      }
      // Any other answer means the server is there; what the caller may do is for the real requests to find out.
    }
  }

  /** Checks that the context exists, so a typo is an error rather than a different cluster. */
  private static void checkContext(Path file, JsonNode root, String context) {
    if (root == null || !root.isObject()) {
      throw new CliException("kubeconfig file " + file + " is not a kubeconfig (a YAML mapping with clusters, "
          + "contexts and users)");
    }
    List<String> contexts = new ArrayList<>();
    root.path("contexts").forEach(c -> contexts.add(c.path("name").asText()));
    String wanted = context != null ? context : root.path("current-context").asText("");
    if (wanted.isEmpty()) {
      throw new CliException("kubeconfig file " + file + " has no current-context: pass --context NAME (contexts: "
          + (contexts.isEmpty() ? "none" : String.join(", ", contexts)) + ")");
    }
    if (!contexts.contains(wanted)) {
      throw new CliException("kubeconfig file " + file + " has no context '" + wanted + "' (contexts: "
          + (contexts.isEmpty() ? "none" : String.join(", ", contexts)) + ")");
    }
  }

  /** A file the kubeconfig names must exist; the client would otherwise fail later with a stack of causes. */
  private static void checkFile(Path kubeconfig, String key, String named) {
    if (named != null && !named.isBlank() && !Files.isRegularFile(Path.of(named))) {
      throw new CliException("kubeconfig file " + kubeconfig + ": " + key + " " + named + " does not exist or is not "
          + "a file");
    }
  }

  KubernetesClient client() {
    return client;
  }

  /** The API server's URL. */
  String server() {
    return server;
  }

  /**
   * Runs {@code action} on the client. A server that cannot be reached becomes one line naming it; a request the
   * client could not even make (a kind the server does not serve) becomes one line saying so.
   */
  <T> T call(Function<KubernetesClient, T> action) {
    try {
      return action.apply(client);
    } catch (KubernetesClientException e) {
      if (e.getCode() > 0) {
        throw e;
      }
      throw SubstrateException.fromClient(server, e);
    }
  }

  /** The substrate {@code loaded} names, else the one detected from the cluster's nodes, saying what it saw. */
  Substrate substrate(SubstrateConfig loaded, PrintWriter err) {
    if (loaded.substrate().isEmpty()) {
      ConfigOptions.progress(err, "detecting the substrate from the cluster's nodes…");
    }
    return substrate(loaded, ClusterSnapshot.builder().build(), err);
  }

  /** As {@link #substrate(SubstrateConfig, PrintWriter)}, detecting from {@code nodes} if it has them. */
  Substrate substrate(SubstrateConfig loaded, ClusterSnapshot nodes, PrintWriter err) {
    Substrates.Builder builder = Substrates.builder().config(loaded).client(client);
    if (nodes.kinds().contains(ResourceKind.NODES)) {
      builder.nodes(nodes);
    }
    Substrate chosen = call(c -> builder.build());
    chosen.detection().ifPresent(d -> ConfigOptions.progress(err, "detected substrate " + chosen.describe() + ": "
        + d.evidence()));
    return chosen;
  }

  /** The cluster's nodes, read as doctor reads every kind. */
  ClusterSnapshot nodes(Consumer<String> progress) {
    return call(c -> ClusterSnapshot.read(c, Set.of(ResourceKind.NODES), progress));
  }

  /** {@code substrate}'s doctor on this cluster, reusing the nodes in {@code read}. */
  Report doctor(Substrate substrate, ClusterSnapshot read, Consumer<String> progress) {
    return call(c -> substrate.doctor(c, read, progress));
  }

  /**
   * The cluster's GPUs, reusing the nodes in {@code read}; {@link GpuCapacity#apiRequests()} counts every request,
   * the probe of a kubeconfig's server ({@code GET /version}) included.
   */
  GpuCapacity gpus(Substrate substrate, ClusterSnapshot read, Consumer<String> progress) {
    int probes = embedded().isPresent() ? 0 : 1;
    ClusterSnapshot counted = ClusterSnapshot.builder().addAll(read).apiRequests(read.apiRequests() + probes).build();
    return call(c -> GpuCapacity.read(substrate, c, counted, progress));
  }

  /** {@code substrate}'s layer applied to this cluster. */
  ApplyResult apply(Substrate substrate, ApplyOptions options) {
    return call(c -> substrate.apply(c, options));
  }

  /** Why a request failed, in words. */
  static String why(Throwable e) {
    return SubstrateException.describe(e);
  }

  @Override
  public void close() {
    try {
      owned.close();
    } catch (Exception ignored) {
      // closing is best effort: the run's outcome is already decided
    }
  }
}
