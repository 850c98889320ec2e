package dev.substrate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.substrate.ConfigException;
import dev.substrate.SecretStore.PutResult;
import dev.substrate.SecretStore;
import dev.substrate.SecretValue;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.SubstrateException;
import dev.substrate.Substrates;
import dev.substrate.secrets.gcp.GoogleConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code substrate secrets}: seed and list secrets through the secret backend's own client
 * ({@code substrate.secrets().store()}). Values are read from a file and never printed.
 */
@Command(name = "secrets", description = "Seed and list secrets in the secret backend, through its own client.",
    subcommands = {SecretsCommand.Seed.class, SecretsCommand.ListSecrets.class})
final class SecretsCommand implements Runnable {
  @Override
  public void run() {
    throw new CliException("secrets needs a subcommand: seed or list");
  }

  /** The substrate for a secrets command, with its cluster (if one was given) open until it closes. */
  private static final class Session implements AutoCloseable {
    final Substrate substrate;
    final SecretStore store;
    private final ClusterAccess access;

    private Session(Substrate substrate, SecretStore store, ClusterAccess access) {
      this.substrate = substrate;
      this.store = store;
      this.access = access;
    }

    static Session open(SubstrateConfig loaded, ClusterOptions cluster, PrintWriter err, String command) {
      cluster.validate();
      ClusterAccess access = cluster.given() ? ClusterAccess.open(cluster, err) : null;
      try {
        Substrate substrate;
        if (access != null) {
          substrate = access.call(client -> Substrates.builder().config(loaded).client(client).build());
          substrate.detection().ifPresent(d -> ConfigOptions.progress(err, "detected substrate " + d.substrateId()
              + ": " + d.evidence()));
        } else if (loaded.substrate().isPresent()) {
          substrate = Substrates.create(loaded);
        } else {
          throw new CliException("no substrate chosen: pass --substrate ID or a config (-c FILE) with substrate.id, "
              + "or a cluster to detect it from (--kubeconfig FILE or --embedded PRESET)");
        }
        SecretStore store;
        try {
          store = substrate.secrets().store();
        } catch (ConfigException e) {
          if (access == null && String.valueOf(e.getMessage()).contains("needs a Kubernetes cluster")) {
            throw new CliException(command + " with secret backend " + substrate.secrets().id()
                + " needs a cluster: pass --kubeconfig FILE [--context NAME] or --embedded PRESET");
          }
          throw e;
        }
        return new Session(substrate, store, access);
      } catch (RuntimeException e) {
        if (access != null) {
          access.close();
        }
        throw e;
      }
    }

    String backend() {
      return substrate.secrets().id();
    }

    @Override
    public void close() {
      if (store instanceof AutoCloseable) {
        try {
          ((AutoCloseable) store).close();
        } catch (Exception ignored) {
          // closing is best effort: the run's outcome is already decided
        }
      }
      if (access != null) {
        access.close();
      }
    }
  }

  /** {@code substrate secrets seed --from FILE}. */
  @Command(name = "seed", description = {
      "Store every NAME: VALUE of a YAML or JSON file as a secret, several at once: a secret is created when missing "
          + "and gets a new version only when its value differs.",
      "Prints one line per name, in the file's order: created, updated or unchanged NAME, or failed NAME REASON; "
          + "never a value. Exit 0 when every name was stored, 1 when any failed, 2 for a bad file or config.",
      "For the gcp-secret-manager backend, secret_manager.endpoint and secret_manager.access_token_file in the config "
          + "point it at another endpoint (a local fake) with a fixed bearer token; otherwise it uses Application "
          + "Default Credentials.",
      "For aws-secrets-manager, aws.secrets_manager.endpoint and aws.secrets_manager.credentials_file do the same "
          + "(an AWS shared credentials file); otherwise it uses the AWS SDK's default credentials chain."})
  static final class Seed implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin ConfigOptions config;
    @Mixin ClusterOptions cluster;

    @Option(names = "--from", paramLabel = "FILE", required = true,
        description = "A YAML or JSON mapping of secret names to string values, e.g. {hf-token: hf_..., "
            + "db-password: ...}. Quote values YAML would read as numbers or booleans.")
    Path from;

    @Option(names = "--parallelism", paramLabel = "N",
        description = "How many secrets to store at once, 1 to 256 (default: secret_manager.parallelism, else "
            + GoogleConfig.DEFAULT_PARALLELISM + ").")
    Integer parallelism;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (parallelism != null && (parallelism < 1 || parallelism > 256)) {
        throw new CliException("--parallelism was " + parallelism + " but must be from 1 to 256");
      }
      Map<String, SecretValue> secrets = read(from);
      SubstrateConfig loaded = config.load(cluster, err);
      int workers = parallelism != null ? parallelism : GoogleConfig.parallelism(loaded);
      try (Session session = Session.open(GoogleConfig.withParallelism(loaded, workers), cluster, err, "secrets seed")) {
        ConfigOptions.progress(err, "seeding " + secrets.size() + (secrets.size() == 1 ? " secret" : " secrets")
            + " into " + session.backend() + ", " + workers + " at a time…");
        return seed(session.store, secrets, workers, out, err);
      }
    }

    private static int seed(SecretStore store, Map<String, SecretValue> secrets, int workers, PrintWriter out,
        PrintWriter err) {
      AtomicInteger threads = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, Math.max(1, secrets.size())), r -> {
        Thread t = new Thread(r, "secrets-seed-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      Map<String, Future<PutResult>> pending = new LinkedHashMap<>();
      Map<PutResult, Integer> counts = new EnumMap<>(PutResult.class);
      int failed = 0;
      try {
        secrets.forEach((name, value) -> pending.put(name, pool.submit(() -> store.put(name, value))));
        // In the file's order, each line as soon as its secret (and every one before it) is done.
        for (Map.Entry<String, Future<PutResult>> e : pending.entrySet()) {
          try {
            PutResult result = e.getValue().get();
            counts.merge(result, 1, Integer::sum);
            out.println(result.name().toLowerCase(Locale.ROOT) + "  " + e.getKey());
          } catch (ExecutionException x) {
            failed++;
            out.println("failed  " + e.getKey() + "  " + reason(x.getCause()));
          }
          out.flush();
        }
      } catch (InterruptedException x) {
        Thread.currentThread().interrupt();
        throw new SubstrateException("interrupted while seeding secrets");
      } finally {
        pool.shutdownNow();
      }
      ConfigOptions.progress(err, counts.getOrDefault(PutResult.CREATED, 0) + " created, "
          + counts.getOrDefault(PutResult.UPDATED, 0) + " updated, " + counts.getOrDefault(PutResult.UNCHANGED, 0)
          + " unchanged, " + failed + " failed");
      return failed == 0 ? 0 : SubstrateCli.FAILED;
    }

    private static String reason(Throwable e) {
      String message = e instanceof SubstrateException ? e.getMessage() : SubstrateException.describe(e);
      return message == null ? e.getClass().getSimpleName() : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** The file's names and values, in its order; anything else is one line and exit 2. */
    static Map<String, SecretValue> read(Path file) {
      JsonNode root = YamlInput.read(file, "secrets file");
      if (root == null || root.isMissingNode() || root.isNull() || !root.isObject() || root.isEmpty()) {
        throw new CliException("secrets file " + file + " must be a non-empty mapping of secret names to values, "
            + "e.g. {hf-token: hf_..., db-password: ...}");
      }
      Map<String, SecretValue> secrets = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : root.properties()) {
        JsonNode value = e.getValue();
        if (!value.isTextual()) {
          throw new CliException("secrets file " + file + ": the value of '" + e.getKey() + "' is "
              + (value.isContainerNode() ? "not a single value" : "a " + value.getNodeType().toString()
                  .toLowerCase(Locale.ROOT) + ", not a string: quote it"));
        }
        secrets.put(e.getKey(), SecretValue.of(value.textValue()));
      }
      return secrets;
    }
  }

  /** {@code substrate secrets list}. */
  @Command(name = "list", description = "Print the name of every secret in the backend, sorted; never a value.")
  static final class ListSecrets implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions config;
    @Mixin ClusterOptions cluster;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
        description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (Session session = Session.open(config.load(cluster, err), cluster, err, "secrets list")) {
        List<String> names = session.store.list();
        if (output == OutputFormat.text) {
          names.forEach(out::println);
        } else {
          out.print(output.write(Documents.names(names)));
        }
        out.flush();
      }
      return 0;
    }
  }
}
