package dev.substrate.secrets.gcp;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.httpjson.HttpJsonTransportChannel;
import com.google.api.gax.httpjson.ManagedHttpJsonChannel;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.StatusCode.Code;
import com.google.auth.Credentials;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.AddSecretVersionRequest;
import com.google.cloud.secretmanager.v1.CreateSecretRequest;
import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.ListSecretsResponse;
import com.google.cloud.secretmanager.v1.ProjectName;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.secretmanager.v1.SecretName;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersionName;
import com.google.cloud.secretmanager.v1.stub.HttpJsonSecretManagerServiceStub;
import com.google.cloud.secretmanager.v1.stub.SecretManagerServiceStubSettings;
import com.google.protobuf.ByteString;
import dev.substrate.BackendException;
import dev.substrate.ConfigException;
import dev.substrate.SecretStore;
import dev.substrate.SecretValue;
import dev.substrate.SubstrateException;
import dev.substrate.secrets.gcp.internal.SecretManagerCalls;
import dev.substrate.secrets.gcp.internal.SecretManagerEndpoint;
import dev.substrate.spi.Retry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A {@link SecretStore} over GCP Secret Manager's Java client on its HTTP/JSON (REST) transport. Provider id
 * {@code gcp-secret-manager}; {@code substrate.secrets().store()} returns one configured from {@code cluster.projectID}
 * and the {@code secret_manager:} section. Build one yourself for tests or embedding:
 *
 * <pre>{@code
 * try (GcpSecretStore store = GcpSecretStore.builder().projectId("acme-ml").build()) {   // ADC, secretmanager.googleapis.com
 *   store.put("hf-token", SecretValue.of(token));                                       // CREATED, UPDATED or UNCHANGED
 * }
 * GcpSecretStore local = GcpSecretStore.create("p", fake.url(), GoogleCredentials.create(new AccessToken(fake.token(), null)));
 * }</pre>
 *
 * <p>{@code put} creates the secret (automatic replication) when it is missing and adds a version only when the
 * latest enabled version's value differs; payloads carry a CRC32C, and accessed payloads are checked against theirs.
 * Failures are {@link BackendException}s with provider id {@code gcp-secret-manager}, the operation, the secret name,
 * the HTTP status and whether the failure is transient (429, 500, 503, 504, connection failures); transient failures
 * are retried with exponential backoff (4 attempts, 100 ms, 200 ms, 400 ms by default) before they are thrown. A value
 * never appears in a message, a log line or a {@code toString}; the client's own request logging is not installed.
 *
 * <p>Thread-safe; at most {@link Builder#parallelism(int) parallelism} requests are in flight at once. Close it to
 * release its threads and connections.
 */
public final class GcpSecretStore implements SecretStore, AutoCloseable {
  /** Secret Manager's production endpoint. */
  public static final String DEFAULT_ENDPOINT = SecretManagerEndpoint.DEFAULT;
  /** The provider id errors carry. */
  public static final String PROVIDER_ID = "gcp-secret-manager";

  private static final Pattern SECRET_ID = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
  private static final Pattern VERSION = Pattern.compile("latest|[1-9][0-9]{0,8}");

  private final String projectId;
  private final String endpoint;
  private final int pageSize;
  private final ExecutorService executor;
  private final ManagedHttpJsonChannel channel;
  private final SecretManagerServiceClient client;
  private final SecretManagerCalls calls;

  private GcpSecretStore(Builder b) throws IOException {
    this.projectId = b.projectId;
    this.endpoint = b.endpoint;
    this.pageSize = b.pageSize;
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(b.parallelism, r -> {
      Thread t = new Thread(r, "gcp-secret-store-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    // The channel is built here rather than by InstantiatingHttpJsonChannelProvider: that one always installs
    // gax's request/response logging interceptor (on with GOOGLE_SDK_JAVA_LOGGING=true), which logs payloads, i.e.
    // secret values. The JDK's HttpURLConnection transport needs no Conscrypt.
    this.channel = ManagedHttpJsonChannel.newBuilder().setEndpoint(endpoint).setExecutor(executor)
        .setHttpTransport(new NetHttpTransport()).build();
    try {
      // The HTTP/JSON stub is created directly: SecretManagerServiceClient.create(settings) asks gax-grpc's
      // GrpcTransportChannel for its transport name first, and the gRPC transport is not on the class path.
      SecretManagerServiceStubSettings.Builder settings = SecretManagerServiceStubSettings.newHttpJsonBuilder()
          .setEndpoint(endpoint)
          .setTransportChannelProvider(FixedTransportChannelProvider.create(HttpJsonTransportChannel.create(channel)))
          .setCredentialsProvider(b.credentialsProvider());
      // One attempt per call, bounded by the request timeout: retries are this class's, so they are counted,
      // bounded and testable.
      RetrySettings once = RetrySettings.newBuilder().setMaxAttempts(1)
          .setInitialRpcTimeoutDuration(b.requestTimeout).setMaxRpcTimeoutDuration(b.requestTimeout)
          .setRpcTimeoutMultiplier(1.0).setTotalTimeoutDuration(b.requestTimeout).build();
      settings.applyToAllUnaryMethods(method -> {
        method.setRetryableCodes(Collections.emptySet()).setRetrySettings(once);
        return null;
      });
      this.client = SecretManagerServiceClient.create(HttpJsonSecretManagerServiceStub.create(settings.build()));
    } catch (IOException | RuntimeException e) {
      channel.shutdownNow();
      executor.shutdownNow();
      throw e;
    }
    this.calls = new SecretManagerCalls(PROVIDER_ID, b.maxAttempts, b.retryBaseDelay, b.sleeper);
  }

  /** A store for {@code projectId} at {@code endpoint} (e.g. {@code http://127.0.0.1:8085}) with {@code credentials}. */
  public static GcpSecretStore create(String projectId, String endpoint, Credentials credentials) {
    return builder().projectId(projectId).endpoint(endpoint).credentials(credentials).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The project the secrets live in. */
  public String projectId() {
    return projectId;
  }

  /** The endpoint requests go to. */
  public String endpoint() {
    return endpoint;
  }

  @Override
  public PutResult put(String name, SecretValue value) {
    Objects.requireNonNull(value, "value");
    String id = secretId("put", name);
    byte[] bytes = value.revealBytes();
    SecretManagerCalls.Scope scope = calls.scope("put", id, bytes);
    Optional<SecretValue> latest = scope.callOrEmpty(() -> access(id, "latest"), Code.NOT_FOUND,
        Code.FAILED_PRECONDITION).map(response -> payload(scope, response));
    if (latest.isPresent() && latest.get().equals(value)) {
      return PutResult.UNCHANGED;
    }
    boolean created = false;
    if (latest.isEmpty()) {
      CreateSecretRequest create = CreateSecretRequest.newBuilder().setParent(ProjectName.of(projectId).toString())
          .setSecretId(id)
          .setSecret(Secret.newBuilder().setReplication(Replication.newBuilder()
              .setAutomatic(Replication.Automatic.getDefaultInstance())))
          .build();
      created = scope.callOrEmpty(() -> client.createSecret(create), Code.ALREADY_EXISTS).isPresent();
    }
    AddSecretVersionRequest add = AddSecretVersionRequest.newBuilder()
        .setParent(SecretName.of(projectId, id).toString())
        .setPayload(SecretPayload.newBuilder().setData(ByteString.copyFrom(bytes)).setDataCrc32C(crc32c(bytes)))
        .build();
    scope.call(() -> client.addSecretVersion(add));
    return created ? PutResult.CREATED : PutResult.UPDATED;
  }

  @Override
  public Optional<SecretValue> get(String name) {
    return get(name, "latest");
  }

  /**
   * The value of version {@code version} ({@code latest} or a version number such as {@code 3}) of {@code name}, or
   * empty when the secret or that version does not exist or the version is disabled or destroyed.
   */
  public Optional<SecretValue> get(String name, String version) {
    String id = secretId("get", name);
    if (version == null || !VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("version must be 'latest' or a version number, but was '" + version + "'");
    }
    SecretManagerCalls.Scope scope = calls.scope("get", id, null);
    return scope.callOrEmpty(() -> access(id, version), Code.NOT_FOUND, Code.FAILED_PRECONDITION)
        .map(response -> payload(scope, response));
  }

  @Override
  public List<String> list() {
    SecretManagerCalls.Scope scope = calls.scope("list", null, null);
    List<String> names = new ArrayList<>();
    String token = "";
    do {
      ListSecretsRequest request = ListSecretsRequest.newBuilder().setParent(ProjectName.of(projectId).toString())
          .setPageSize(pageSize).setPageToken(token).build();
      ListSecretsResponse page = scope.call(() -> client.listSecretsCallable().call(request));
      for (Secret s : page.getSecretsList()) {
        names.add(s.getName().substring(s.getName().lastIndexOf('/') + 1));
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    Collections.sort(names);
    return names;
  }

  @Override
  public boolean delete(String name) {
    String id = secretId("delete", name);
    SecretManagerCalls.Scope scope = calls.scope("delete", id, null);
    return scope.callOrEmpty(() -> {
      client.deleteSecret(SecretName.of(projectId, id));
      return Boolean.TRUE;
    }, Code.NOT_FOUND).isPresent();
  }

  private AccessSecretVersionResponse access(String id, String version) {
    return client.accessSecretVersion(SecretVersionName.of(projectId, id, version));
  }

  private static SecretValue payload(SecretManagerCalls.Scope scope, AccessSecretVersionResponse response) {
    SecretPayload payload = response.getPayload();
    byte[] data = payload.getData().toByteArray();
    if (payload.hasDataCrc32C() && payload.getDataCrc32C() != crc32c(data)) {
      throw scope.failure(0, true, "DATA_LOSS: the payload does not match its CRC32C checksum");
    }
    return SecretValue.ofBytes(data);
  }

  private static long crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return crc.getValue();
  }

  private static String secretId(String operation, String name) {
    if (name == null || !SECRET_ID.matcher(name).matches()) {
      throw new BackendException(PROVIDER_ID, operation, name, 0, false,
          "not a Secret Manager secret id: 1 to 255 letters, digits, '-' or '_'", null);
    }
    return name;
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      channel.shutdown();
      executor.shutdown();
      try {
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
          executor.shutdownNow();
        }
      } catch (InterruptedException e) {
        executor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "GcpSecretStore[project=" + projectId + ", endpoint=" + endpoint + "]";
  }

  /**
   * Options. Only {@link #projectId} is required; without {@link #credentials} the store uses Application Default
   * Credentials.
   */
  public static final class Builder {
    private String projectId;
    private String endpoint = DEFAULT_ENDPOINT;
    private Credentials credentials;
    private boolean noCredentials;
    private Path accessTokenFile;
    private int parallelism = 8;
    private int pageSize = 500;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxAttempts = 4;
    private Duration retryBaseDelay = Duration.ofMillis(100);
    private Retry.Sleeper sleeper = d -> Thread.sleep(d.toMillis());

    private Builder() {}

    public Builder projectId(String value) {
      this.projectId = Objects.requireNonNull(value, "projectId");
      return this;
    }

    /**
     * Where requests go: {@code https://host[:port]} or, for a local fake, {@code http://host:port}; default
     * {@value #DEFAULT_ENDPOINT}.
     */
    public Builder endpoint(String value) {
      this.endpoint = Objects.requireNonNull(value, "endpoint");
      return this;
    }

    /** Fixed credentials, e.g. {@code GoogleCredentials.create(new AccessToken(token, null))}. */
    public Builder credentials(Credentials value) {
      this.credentials = Objects.requireNonNull(value, "credentials");
      this.noCredentials = false;
      this.accessTokenFile = null;
      return this;
    }

    /**
     * A bearer token read from {@code file} when the store is built (like gcloud's {@code --access-token-file}):
     * for fakes and short-lived tokens; it is never refreshed.
     */
    public Builder accessTokenFile(Path file) {
      this.accessTokenFile = Objects.requireNonNull(file, "file");
      this.credentials = null;
      this.noCredentials = false;
      return this;
    }

    /** Sends no {@code Authorization} header at all. */
    public Builder noCredentials() {
      this.noCredentials = true;
      this.credentials = null;
      this.accessTokenFile = null;
      return this;
    }

    /** The most requests in flight at once (default 8). */
    public Builder parallelism(int value) {
      if (value < 1 || value > 256) {
        throw new IllegalArgumentException("parallelism must be 1 to 256: " + value);
      }
      this.parallelism = value;
      return this;
    }

    /** Secrets asked for per list page (default 500). */
    public Builder pageSize(int value) {
      if (value < 1 || value > 25_000) {
        throw new IllegalArgumentException("pageSize must be 1 to 25000: " + value);
      }
      this.pageSize = value;
      return this;
    }

    /** How long one request may take (default 30 s); past it the attempt fails with DEADLINE_EXCEEDED. */
    public Builder requestTimeout(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be positive: " + value);
      }
      this.requestTimeout = value;
      return this;
    }

    /** Attempts per call for transient failures (default 4) and the first backoff, doubled each time (100 ms). */
    public Builder retries(int attempts, Duration baseDelay) {
      if (attempts < 1 || attempts > 10) {
        throw new IllegalArgumentException("attempts must be 1 to 10: " + attempts);
      }
      if (baseDelay.isNegative()) {
        throw new IllegalArgumentException("baseDelay must not be negative: " + baseDelay);
      }
      this.maxAttempts = attempts;
      this.retryBaseDelay = baseDelay;
      return this;
    }

    /** How the store waits between attempts (default {@link Thread#sleep}); tests inject one that does not. */
    public Builder sleeper(Retry.Sleeper value) {
      this.sleeper = Objects.requireNonNull(value, "sleeper");
      return this;
    }

    /**
     * Builds the store. A missing project, an endpoint that is not an http(s) URL or an unreadable token file is a
     * {@link ConfigException}; missing Application Default Credentials are a {@link BackendException}.
     */
    public GcpSecretStore build() {
      List<String> problems = new ArrayList<>();
      if (projectId == null || projectId.isBlank()) {
        problems.add("the Secret Manager project was '' but must be a GCP project id (cluster.projectID)");
      }
      String endpointProblem = SecretManagerEndpoint.problem(endpoint);
      if (endpointProblem != null) {
        problems.add(endpointProblem);
      }
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
      endpoint = SecretManagerEndpoint.normalize(endpoint);
      try {
        return new GcpSecretStore(this);
      } catch (IOException e) {
        throw new BackendException(PROVIDER_ID, "connect", null, 0, false,
            "cannot create the Secret Manager client: " + SubstrateException.describe(e), e);
      }
    }

    private CredentialsProvider credentialsProvider() throws IOException {
      if (noCredentials) {
        return NoCredentialsProvider.create();
      }
      if (credentials != null) {
        return FixedCredentialsProvider.create(credentials);
      }
      if (accessTokenFile != null) {
        return FixedCredentialsProvider.create(GoogleCredentials.create(new AccessToken(readToken(accessTokenFile),
            null)));
      }
      try {
        return FixedCredentialsProvider.create(GoogleCredentials.getApplicationDefault()
            .createScoped(SecretManagerServiceSettings.getDefaultServiceScopes()));
      } catch (IOException e) {
        throw new BackendException(PROVIDER_ID, "authenticate", null, 0, false,
            "no Application Default Credentials: run 'gcloud auth application-default login', set "
                + "GOOGLE_APPLICATION_CREDENTIALS, or run where a metadata server or workload identity provides them",
            null);
      }
    }

    private static String readToken(Path file) {
      if (dev.substrate.spi.Redaction.looksLikeToken(file.toString())) {
        throw new ConfigException("secret_manager.access_token_file looks like a token, not a file name (its value is "
            + "not shown): it must name a file holding the token, such as /run/token");
      }
      String token;
      try {
        token = Files.readString(file).trim();
      } catch (IOException e) {
        throw new ConfigException("secret_manager.access_token_file was '" + file
            + "' but must be a readable file holding a bearer token (" + SubstrateException.describe(e)
            + ")");
      }
      if (token.isEmpty() || token.contains("\n")) {
        throw new ConfigException("secret_manager.access_token_file was '" + file
            + "' but must hold exactly one bearer token");
      }
      return token;
    }
  }
}
