package dev.substrate.cloudfakes.google;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.SecretValue;
import dev.substrate.cloudfakes.FakeHttpServer;
import dev.substrate.cloudfakes.FakeService;
import dev.substrate.cloudfakes.Faults;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.cloudfakes.google.internal.GoogleError;
import dev.substrate.cloudfakes.google.internal.SecretManagerApi;
import dev.substrate.cloudfakes.google.internal.SecretManagerState.Secret;
import dev.substrate.cloudfakes.google.internal.SecretManagerState.VersionState;
import dev.substrate.cloudfakes.google.internal.SecretManagerState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * An in-process GCP Secret Manager speaking the v1 REST protocol over plain HTTP on the loopback interface, for tests:
 * the Java client (its HTTP/JSON transport) and {@code gcloud} both work against it.
 *
 * <pre>{@code
 * try (FakeSecretManager fake = FakeSecretManager.start()) {
 *   // Java: SecretManagerServiceSettings.newHttpJsonBuilder().setEndpoint(fake.url()) + a bearer fake.token()
 *   // gcloud: CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER=fake.url() + "/", --access-token-file holding fake.token()
 *   fake.faults().failNext(2, 503);             // the next two requests answer 503 UNAVAILABLE
 *   fake.journal().requests();                  // [POST /v1/projects/p/secrets -> 503, ...]
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
public final class FakeSecretManager implements FakeService {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretManagerState state = new SecretManagerState();
  private final FakeHttpServer server;
  private volatile String token;
  private volatile SecretManagerApi.TokenCheck tokenCheck;

  private FakeSecretManager(Builder b) {
    this.token = b.token != null ? b.token : "fake-sm-" + UUID.randomUUID();
    this.tokenCheck = staticToken();
    SecretManagerApi api = new SecretManagerApi(state, () -> tokenCheck);
    this.server = b.http.backlog(512).handler(api)
        .failures(api::failure).start();
  }

  /** Starts a fake on a free loopback port with a random bearer token. */
  public static FakeSecretManager start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int port() {
    return server.port();
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

  @Override
  public FakeHttpServer server() {
    return server;
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

  @Override
  public String toString() {
    return "FakeSecretManager[" + url() + ", " + secretCount() + " secrets]";
  }

  /** Options: the port (0, the default, for a free one) and the bearer token (default: random). */
  public static final class Builder {
    private final FakeHttpServer.Builder http = FakeHttpServer.builder("fake-secret-manager");
    private String token;

    private Builder() {}

    public Builder port(int value) {
      http.port(value);
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
