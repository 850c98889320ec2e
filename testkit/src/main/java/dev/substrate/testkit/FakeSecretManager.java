package dev.substrate.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.substrate.SecretValue;
import dev.substrate.testkit.internal.secretmanager.GoogleError;
import dev.substrate.testkit.internal.secretmanager.SecretManagerApi;
import dev.substrate.testkit.internal.secretmanager.SecretManagerFaults;
import dev.substrate.testkit.internal.secretmanager.SecretManagerState;
import dev.substrate.testkit.internal.secretmanager.SecretManagerState.Secret;
import dev.substrate.testkit.internal.secretmanager.SecretManagerState.VersionState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-process GCP Secret Manager speaking the v1 REST protocol over plain HTTP on the loopback interface, for tests:
 * the Java client (its HTTP/JSON transport) and {@code gcloud} both work against it.
 *
 * <pre>{@code
 * try (FakeSecretManager fake = FakeSecretManager.start()) {
 *   // Java: SecretManagerServiceSettings.newHttpJsonBuilder().setEndpoint(fake.url()) + a bearer fake.token()
 *   // gcloud: CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER=fake.url() + "/", --access-token-file holding fake.token()
 *   fake.failNext(2, 503);                      // the next two requests answer 503 UNAVAILABLE
 *   fake.journal();                             // [POST /v1/projects/p/secrets -> 503, ...]
 * }
 * }</pre>
 *
 * <p>What it serves, under {@code /v1/projects/{project}/secrets}: create ({@code POST ?secretId=}), get, list
 * ({@code pageSize} default 25, {@code pageToken}, {@code nextPageToken}, {@code totalSize}), delete;
 * {@code {secret}:addVersion} (payload up to 64 KiB; {@code dataCrc32c} checked when sent); {@code {secret}/versions}
 * list (newest first) and get; {@code versions/{v}:access} ({@code v} a number or {@code latest}; the payload carries
 * {@code dataCrc32c} as gcloud verifies it), {@code :enable}, {@code :disable}, {@code :destroy}. Any project id is
 * accepted; each has its own secrets.
 *
 * <p>Every request needs {@code Authorization: Bearer <token()>}, else 401 UNAUTHENTICATED; {@link #acceptTokens} and
 * {@link #trust(FakeIamCredentials, String)} replace that check (the latter accepts only access tokens a
 * {@link FakeIamCredentials} issued for one service account). Errors are Google's JSON
 * error bodies with the usual HTTP statuses: 400 INVALID_ARGUMENT or FAILED_PRECONDITION, 401, 403 PERMISSION_DENIED
 * (injected), 404 NOT_FOUND, 409 ALREADY_EXISTS, 429 RESOURCE_EXHAUSTED, 503 UNAVAILABLE (injected). The journal
 * records method, path, query and status, never a body. Differences from the service: {@code latest} is the newest
 * enabled version; no IAM, locations (regional secrets), aliases, labels updates, rotation, expiry or etag checks.
 *
 * <p>Thread-safe; requests are served concurrently.
 */
public final class FakeSecretManager implements AutoCloseable {

  /** One request the fake answered. */
  public record Request(Instant time, String method, String path, String query, int status) {
    @Override
    public String toString() {
      return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " -> " + status;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK server flushes a response's headers before its body; with Nagle's algorithm on, the body then waits for
    // the client's delayed ACK (~40 ms a request). The property is read once, when the first JDK server starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final SecretManagerState state = new SecretManagerState();
  private final SecretManagerFaults faults = new SecretManagerFaults();
  private final List<Request> journal = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final HttpServer server;
  private final ExecutorService executor;
  private final String url;
  private volatile String token;
  private volatile SecretManagerApi.TokenCheck tokenCheck;

  private FakeSecretManager(Builder b) {
    this.token = b.token != null ? b.token : "fake-sm-" + UUID.randomUUID();
    this.tokenCheck = staticToken();
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-secret-manager-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 512);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + b.port, e);
    }
    server.setExecutor(executor);
    server.createContext("/", new SecretManagerApi(state, faults, () -> tokenCheck, this::record));
    server.start();
    this.url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Starts a fake on a free loopback port with a random bearer token. */
  public static FakeSecretManager start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The base URL, e.g. {@code http://127.0.0.1:41234}: the Java client's endpoint. gcloud wants it with a trailing
   * slash in {@code CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER}.
   */
  public String url() {
    return url;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The only bearer token the fake accepts. */
  public String token() {
    return token;
  }

  /**
   * Accepts {@code value} as the bearer token from now on (the old one is then refused with 401), replacing any
   * {@link #acceptTokens} or {@link #trust} check.
   */
  public void token(String value) {
    this.token = Objects.requireNonNull(value, "token");
    this.tokenCheck = staticToken();
  }

  /** Accepts the bearer tokens {@code accepts} accepts, instead of {@link #token()}; the others get 401. */
  public void acceptTokens(Predicate<String> accepts) {
    Objects.requireNonNull(accepts, "accepts");
    this.tokenCheck = t -> accepts.test(t) ? null : GoogleError.of(401);
  }

  /**
   * Accepts only live access tokens that {@code iam} issued for {@code serviceAccountEmail}, instead of
   * {@link #token()}: other tokens get 401 UNAUTHENTICATED, tokens of other service accounts 403 PERMISSION_DENIED.
   */
  public void trust(FakeIamCredentials iam, String serviceAccountEmail) {
    Objects.requireNonNull(iam, "iam");
    Objects.requireNonNull(serviceAccountEmail, "serviceAccountEmail");
    this.tokenCheck = t -> {
      Optional<String> sa = iam.serviceAccountOf(t);
      if (sa.isEmpty()) {
        return GoogleError.of(401);
      }
      return sa.get().equals(serviceAccountEmail) ? null : new GoogleError(403, "PERMISSION_DENIED",
          "Permission denied: the caller " + sa.get() + " has no Secret Manager access in this project (only "
              + serviceAccountEmail + " has).");
    };
  }

  private SecretManagerApi.TokenCheck staticToken() {
    return t -> t.equals(token) ? null : GoogleError.of(401);
  }

  /** Makes the next request fail with {@code httpStatus} (400-599) and Google's error body for it. */
  public void failNext(int httpStatus) {
    faults.failNext(1, httpStatus);
  }

  /** Makes the next {@code count} requests fail with {@code httpStatus}. */
  public void failNext(int count, int httpStatus) {
    faults.failNext(count, httpStatus);
  }

  /**
   * Makes the next request whose path ends with {@code pathSuffix} (e.g. {@code ":addVersion"}) fail with
   * {@code httpStatus}; such aimed failures are used before those of {@link #failNext(int, int)}.
   */
  public void failNextOn(String pathSuffix, int httpStatus) {
    faults.failNextOn(pathSuffix, httpStatus);
  }

  /** Delays every answer by {@code value} ({@link Duration#ZERO} for none). */
  public void delay(Duration value) {
    faults.delay(value);
  }

  /** Removes every queued failure and the delay. */
  public void clearFaults() {
    faults.clear();
  }

  /** Every request answered since start or the last {@link #resetJournal()}, oldest first. */
  public List<Request> journal() {
    synchronized (journal) {
      return List.copyOf(journal);
    }
  }

  public int requestCount() {
    synchronized (journal) {
      return journal.size();
    }
  }

  public void resetJournal() {
    synchronized (journal) {
      journal.clear();
    }
  }

  /** How many secrets exist, over every project. */
  public int secretCount() {
    return state.secretCount();
  }

  /** The secret ids of {@code project}, sorted. */
  public List<String> secretIds(String project) {
    return state.list(project).stream().map(Secret::id).toList();
  }

  /** How many versions {@code project}'s secret {@code id} has (0 when it does not exist). */
  public int versionCount(String project, String id) {
    return state.get(project, id).map(s -> s.versions().size()).orElse(0);
  }

  /** The newest enabled version's value, without going through the API. */
  public Optional<SecretValue> latestValue(String project, String id) {
    return state.version(project, id, "latest").filter(v -> v.state() == VersionState.ENABLED)
        .map(v -> SecretValue.ofBytes(v.data()));
  }

  /** Creates (if needed) {@code project}'s secret {@code id} and adds {@code value} as a new version, without a request. */
  public void seed(String project, String id, SecretValue value) {
    ObjectNode replication = JSON.createObjectNode();
    replication.putObject("automatic");
    state.create(project, id, replication, null);
    byte[] data = value.revealBytes();
    state.addVersion(project, id, data, SecretManagerApi.crc32c(data), false);
  }

  /** Removes every secret. */
  public void clear() {
    state.clear();
  }

  private void record(String method, String path, String query, int status) {
    synchronized (journal) {
      journal.add(new Request(Instant.now(), method, path, query, status));
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "FakeSecretManager[" + url + ", " + secretCount() + " secrets]";
  }

  /** Options: the port (0, the default, for a free one) and the bearer token (default: random). */
  public static final class Builder {
    private int port;
    private String token;

    private Builder() {}

    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("port must be 0-65535: " + value);
      }
      this.port = value;
      return this;
    }

    public Builder token(String value) {
      this.token = Objects.requireNonNull(value, "token");
      return this;
    }

    public FakeSecretManager start() {
      return new FakeSecretManager(this);
    }
  }
}
