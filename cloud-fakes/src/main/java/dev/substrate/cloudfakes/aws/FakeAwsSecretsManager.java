package dev.substrate.cloudfakes.aws;

import dev.substrate.SecretValue;
import dev.substrate.cloudfakes.FakeHttpServer;
import dev.substrate.cloudfakes.FakeService;
import dev.substrate.cloudfakes.aws.internal.AwsJsonError;
import dev.substrate.cloudfakes.aws.internal.SecretsManagerApi;
import dev.substrate.cloudfakes.aws.internal.SecretsManagerState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * An in-process AWS Secrets Manager speaking its JSON 1.1 protocol ({@code POST /}, {@code X-Amz-Target:
 * secretsmanager.<Operation>}, {@code Content-Type: application/x-amz-json-1.1}) over plain HTTP on the loopback
 * interface: the AWS SDK v2 ({@code SecretsManagerClient} with {@code endpointOverride}) and {@code aws
 * secretsmanager --endpoint-url} work against it.
 *
 * <pre>{@code
 * try (FakeAwsSecretsManager sm = FakeAwsSecretsManager.start()) {
 *   // SDK: endpointOverride(URI.create(sm.url())), Region.US_EAST_1,
 *   //      StaticCredentialsProvider.create(AwsBasicCredentials.create(sm.accessKeyId(), sm.secretAccessKey()))
 *   sm.faults().failNext(503);                   // the next request answers 503 ServiceUnavailable
 * }
 * }</pre>
 *
 * <p>Operations: {@code CreateSecret}, {@code PutSecretValue} (a new version becomes {@code AWSCURRENT}, the former
 * one {@code AWSPREVIOUS}; {@code ClientRequestToken} is the version id and makes a retry idempotent),
 * {@code GetSecretValue} ({@code SecretString} or base64 {@code SecretBinary}; by {@code VersionId} and/or
 * {@code VersionStage}, {@code AWSCURRENT} by default), {@code DescribeSecret}, {@code ListSecrets} (by name;
 * {@code MaxResults} 1-100, default 100, {@code NextToken}; {@code IncludePlannedDeletion}) and {@code DeleteSecret}
 * ({@code ForceDeleteWithoutRecovery}, or {@code RecoveryWindowInDays} 7-30, default 30). A {@code SecretId} is a name
 * or a full ARN ({@code arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-xxxxxx}). A secret scheduled for deletion is
 * still described, but reading or writing it, or creating one of its name, is refused with
 * {@code InvalidRequestException}, as AWS refuses it. Errors are AWS JSON, {@code {"__type":"...","message":"..."}},
 * HTTP 400 for client errors as the service answers them ({@code ResourceNotFoundException},
 * {@code ResourceExistsException}, {@code InvalidParameterException}, {@code InvalidRequestException},
 * {@code InvalidNextTokenException}, {@code UnrecognizedClientException}, {@code AccessDeniedException}); no message
 * quotes a secret value.
 *
 * <p>Every request needs SigV4 headers of the right form: {@code Authorization: AWS4-HMAC-SHA256
 * Credential=AKID/DATE/REGION/secretsmanager/aws4_request, SignedHeaders=...host..., Signature=<64 hex>} and a matching
 * {@code X-Amz-Date}, else 403 {@code MissingAuthenticationToken} or 400 {@code IncompleteSignature}; a credential
 * scoped to another region or service is 400 {@code InvalidSignatureException}. <b>The signature itself is not
 * verified</b>: the fake checks presence and form, and which access key id signed. By default only
 * {@link #accessKeyId()} is accepted; {@link #acceptAccessKeys} and {@link #trust(FakeAwsSts, String)} replace that
 * check. Not served: rotation, replication, resource policies, tags, KMS, {@code UpdateSecret},
 * {@code RestoreSecret}, {@code Filters} of {@code ListSecrets}.
 *
 * <p>Injected failures answer AWS JSON errors too ({@code ThrottlingException} for 429, {@code ServiceUnavailable}
 * for 503, {@code InternalServiceError} for other 5xx). The journal records method, path, query and status, never a
 * header or body, so never a secret value. Thread-safe.
 */
public final class FakeAwsSecretsManager implements FakeService {
  private static final String UNRECOGNIZED = "The security token included in the request is invalid.";

  private final SecretsManagerState state;
  private final FakeHttpServer server;
  private final String region;
  private final String accessKeyId;
  private final String secretAccessKey;
  private volatile SecretsManagerApi.KeyCheck keyCheck;

  private FakeAwsSecretsManager(Builder b) {
    this.region = b.region;
    this.accessKeyId = b.accessKeyId != null ? b.accessKeyId
        : "AKIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(java.util.Locale.ROOT);
    this.secretAccessKey = "fake-" + UUID.randomUUID();
    this.state = new SecretsManagerState(b.region, b.account, b.clock);
    this.keyCheck = (key, token) -> key.equals(accessKeyId) ? null : unrecognized();
    SecretsManagerApi api = new SecretsManagerApi(state, region, () -> keyCheck);
    this.server = b.http.handler(api).failures(api).start();
  }

  /** Starts a fake in us-east-1, account 123456789012, on a free loopback port, with a random access key id. */
  public static FakeAwsSecretsManager start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int port() {
    return server.port();
  }

  /** The region requests must be scoped to. */
  public String region() {
    return region;
  }

  /** The static access key id accepted by default. */
  public String accessKeyId() {
    return accessKeyId;
  }

  /** A secret access key to sign with; any works, as the signature is not verified. */
  public String secretAccessKey() {
    return secretAccessKey;
  }

  /** Accepts the access key ids {@code accepts} accepts instead; the others get 400 UnrecognizedClientException. */
  public void acceptAccessKeys(Predicate<String> accepts) {
    Objects.requireNonNull(accepts, "accepts");
    this.keyCheck = (key, token) -> accepts.test(key) ? null : unrecognized();
  }

  /**
   * Accepts only live credentials that {@code sts} issued for {@code roleArn}, signed with their access key id and
   * sent with their session token ({@code X-Amz-Security-Token}): other keys or tokens get 400
   * {@code UnrecognizedClientException}, credentials of other roles 400 {@code AccessDeniedException}.
   */
  public void trust(FakeAwsSts sts, String roleArn) {
    Objects.requireNonNull(sts, "sts");
    Objects.requireNonNull(roleArn, "roleArn");
    this.keyCheck = (key, token) -> {
      Optional<FakeAwsSts.IssuedCredentials> issued = sts.lookup(key);
      if (issued.isEmpty() || token == null || !sts.sessionTokenMatches(key, token)) {
        return unrecognized();
      }
      return issued.get().roleArn().equals(roleArn) ? null : new AwsJsonError(400, "AccessDeniedException",
          "User: " + issued.get().assumedRoleArn() + " is not authorized to perform: secretsmanager:* because no "
              + "identity-based policy allows it (only " + roleArn + " has access).");
    };
  }

  private static AwsJsonError unrecognized() {
    return new AwsJsonError(400, "UnrecognizedClientException", UNRECOGNIZED);
  }

  @Override
  public FakeHttpServer server() {
    return server;
  }

  /** How many secrets exist, scheduled for deletion or not. */
  public int secretCount() {
    synchronized (state) {
      return state.secrets().size();
    }
  }

  /** The names of the secrets not scheduled for deletion, sorted. */
  public List<String> secretNames() {
    synchronized (state) {
      return state.secrets().values().stream().filter(s -> s.deletionDate == null).map(s -> s.name).toList();
    }
  }

  /** How many versions secret {@code name} has (0 when it does not exist). */
  public int versionCount(String name) {
    synchronized (state) {
      return state.find(name).map(s -> s.versions.size()).orElse(0);
    }
  }

  /** The {@code AWSCURRENT} value of secret {@code name}, without a request. */
  public Optional<SecretValue> currentValue(String name) {
    synchronized (state) {
      return state.find(name).flatMap(s -> s.byStage(SecretsManagerState.CURRENT))
          .map(v -> v.string() != null ? SecretValue.of(v.string()) : SecretValue.ofBytes(v.binary()));
    }
  }

  /** Creates (if needed) secret {@code name} and puts {@code value} as its new {@code AWSCURRENT} string, without a request. */
  public void seed(String name, SecretValue value) {
    synchronized (state) {
      SecretsManagerState.Secret s = state.find(name).orElseGet(() -> state.create(name, null));
      state.addVersion(s, null, new String(value.revealBytes(), StandardCharsets.UTF_8), null, null);
    }
  }

  /** Removes every secret. */
  public void clear() {
    synchronized (state) {
      state.clear();
    }
  }

  @Override
  public String toString() {
    return "FakeAwsSecretsManager[" + url() + ", " + region + "]";
  }

  /** Options: the port, region, account id, static access key id and clock. */
  public static final class Builder {
    private final FakeHttpServer.Builder http = FakeHttpServer.builder("fake-aws-secrets-manager");
    private String region = "us-east-1";
    private String account = "123456789012";
    private String accessKeyId;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The port to listen on (loopback only); 0, the default, picks a free one. */
    public Builder port(int value) {
      http.port(value);
      return this;
    }

    /** The region of the ARNs and of the credential scope requests must carry; us-east-1 by default. */
    public Builder region(String value) {
      if (value == null || !value.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
        throw new IllegalArgumentException("not an AWS region: '" + value + "'");
      }
      this.region = value;
      return this;
    }

    /** The 12-digit account id of the ARNs; 123456789012 by default. */
    public Builder account(String value) {
      if (value == null || !value.matches("\\d{12}")) {
        throw new IllegalArgumentException("an AWS account id is 12 digits: '" + value + "'");
      }
      this.account = value;
      return this;
    }

    /** The static access key id accepted; random ({@code AKIA...}) by default. */
    public Builder accessKeyId(String value) {
      if (value == null || !value.matches("[A-Za-z0-9]{16,128}")) {
        throw new IllegalArgumentException("an access key id is 16-128 letters and digits");
      }
      this.accessKeyId = value;
      return this;
    }

    /** The clock of dates and deletion windows; the system clock by default. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    public FakeAwsSecretsManager start() {
      return new FakeAwsSecretsManager(this);
    }
  }
}
