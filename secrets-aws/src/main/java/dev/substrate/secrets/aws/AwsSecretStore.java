package dev.substrate.secrets.aws;

import dev.substrate.BackendException;
import dev.substrate.SecretStore;
import dev.substrate.SecretValue;
import dev.substrate.secrets.aws.internal.AwsErrors;
import dev.substrate.spi.Retry;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * A {@link SecretStore} over AWS Secrets Manager, through the AWS SDK v2 {@code SecretsManagerClient}.
 *
 * <pre>{@code
 * try (AwsSecretStore store = AwsSecretStore.builder().region("eu-central-1").build()) {   // the SDK's default chain
 *   store.put("hf-token", SecretValue.of(token));       // CREATED, UPDATED or UNCHANGED
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code put} reads {@code AWSCURRENT}; an equal value is {@code UNCHANGED} (one request). A missing secret is
 *       created with the value ({@code CREATED}); a different one gets a new version ({@code PutSecretValue},
 *       {@code UPDATED}). Values that are UTF-8 text go in {@code SecretString}, others in {@code SecretBinary}. Each
 *       write carries one {@code ClientRequestToken} for all its attempts, so a retry cannot add a second version.
 *   <li>{@code get} is empty for a missing secret and for one scheduled for deletion. {@code list} pages
 *       ({@code MaxResults} 100, {@code NextToken}) and sorts; secrets scheduled for deletion are not listed.
 *       {@code delete} deletes at once ({@code ForceDeleteWithoutRecovery}), as {@link SecretStore#delete} promises,
 *       and says whether the secret existed.
 *   <li>Failures are {@link BackendException}s ({@code aws-secrets-manager}, operation, secret, HTTP status, the
 *       service's error code and message, never a value). Throttling, 5xx and no answer are transient and retried:
 *       4 attempts, 100/200/400 ms by default; the SDK's own retries are off.
 * </ul>
 */
public final class AwsSecretStore implements SecretStore, AutoCloseable {
  static final String PROVIDER = "aws-secrets-manager";

  private final SecretsManagerClient client;
  private final String region;
  private final URI endpoint;
  private final Retry retry;
  private final int pageSize;
  private final AutoCloseable owned;

  private AwsSecretStore(Builder b, SecretsManagerClient client, AutoCloseable owned) {
    this.client = client;
    this.owned = owned;
    this.region = b.region;
    this.endpoint = b.endpoint;
    this.pageSize = b.pageSize;
    this.retry = Retry.of(b.attempts, e -> e instanceof BackendException be && be.isTransient())
        .backoff(b.baseDelay, 2, Duration.ofSeconds(5)).sleeper(b.sleeper);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The region requests go to. */
  public String region() {
    return region;
  }

  /** The endpoint override, if one was set. */
  public Optional<URI> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  private <T> T call(String operation, String name, SecretValue value, Supplier<T> request) {
    return retry.call(() -> {
      try {
        return request.get();
      } catch (SdkException e) {
        throw AwsErrors.map(PROVIDER, operation, name, e, value);
      } catch (BackendException e) {
        throw e;
      } catch (RuntimeException e) {
        // from a credentials provider, such as a web identity token that could not be minted
        throw AwsErrors.credentials(PROVIDER, operation, name, e, value);
      }
    });
  }

  @Override
  public PutResult put(String name, SecretValue value) {
    Objects.requireNonNull(value, "value");
    requireName(name);
    Optional<byte[]> current = read("put", name, value);
    String token = UUID.randomUUID().toString();
    Optional<String> text = text(value);
    if (current.isPresent()) {
      if (Arrays.equals(current.get(), value.revealBytes())) {
        return PutResult.UNCHANGED;
      }
      putVersion(name, value, text, token);
      return PutResult.UPDATED;
    }
    boolean created = call("put", name, value, () -> {
      try {
        client.createSecret(createRequest(name, value, text, token));
        return true;
      } catch (ResourceExistsException e) {
        return false;
      }
    });
    if (!created) {
      // created meanwhile by another writer: add a version to it
      putVersion(name, value, text, token);
      return PutResult.UPDATED;
    }
    return PutResult.CREATED;
  }

  private void putVersion(String name, SecretValue value, Optional<String> text, String token) {
    PutSecretValueRequest.Builder r = PutSecretValueRequest.builder().secretId(name).clientRequestToken(token);
    if (text.isPresent()) {
      r.secretString(text.get());
    } else {
      r.secretBinary(SdkBytes.fromByteArray(value.revealBytes()));
    }
    call("put", name, value, () -> client.putSecretValue(r.build()));
  }

  private static CreateSecretRequest createRequest(String name, SecretValue value, Optional<String> text,
      String token) {
    CreateSecretRequest.Builder r = CreateSecretRequest.builder().name(name).clientRequestToken(token);
    if (text.isPresent()) {
      r.secretString(text.get());
    } else {
      r.secretBinary(SdkBytes.fromByteArray(value.revealBytes()));
    }
    return r.build();
  }

  @Override
  public Optional<SecretValue> get(String name) {
    requireName(name);
    return read("get", name, null).map(SecretValue::ofBytes);
  }

  /** The {@code AWSCURRENT} bytes of {@code name}; empty when it is missing or scheduled for deletion. */
  private Optional<byte[]> read(String operation, String name, SecretValue value) {
    GetSecretValueResponse answer = call(operation, name, value, () -> {
      try {
        return client.getSecretValue(r -> r.secretId(name));
      } catch (ResourceNotFoundException e) {
        return null;
      } catch (InvalidRequestException e) {
        if (scheduledForDeletion(e) && operation.equals("get")) {
          return null;
        }
        throw e;
      }
    });
    if (answer == null) {
      return Optional.empty();
    }
    if (answer.secretString() != null) {
      return Optional.of(answer.secretString().getBytes(StandardCharsets.UTF_8));
    }
    return Optional.of(answer.secretBinary() == null ? new byte[0] : answer.secretBinary().asByteArray());
  }

  private static boolean scheduledForDeletion(InvalidRequestException e) {
    String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    return message != null && message.contains("deletion");
  }

  @Override
  public List<String> list() {
    TreeSet<String> names = new TreeSet<>();
    String next = null;
    do {
      String token = next;
      ListSecretsResponse page = call("list", null, null,
          () -> client.listSecrets(r -> r.maxResults(pageSize).nextToken(token)));
      page.secretList().stream().map(SecretListEntry::name).forEach(names::add);
      next = page.nextToken();
    } while (next != null && !next.isEmpty());
    return List.copyOf(names);
  }

  @Override
  public boolean delete(String name) {
    requireName(name);
    Boolean deleted = call("delete", name, null, () -> {
      try {
        client.deleteSecret(r -> r.secretId(name).forceDeleteWithoutRecovery(true));
        return true;
      } catch (ResourceNotFoundException e) {
        return false;
      }
    });
    return deleted;
  }

  @Override
  public void close() {
    client.close();
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        // closing is best effort: nothing is lost
      }
    }
  }

  @Override
  public String toString() {
    return "AwsSecretStore[" + region + (endpoint == null ? "" : ", " + endpoint) + "]";
  }

  private static void requireName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a secret name must not be empty");
    }
  }

  /** The value as text when it is valid UTF-8, so it is stored as {@code SecretString}. */
  private static Optional<String> text(SecretValue value) {
    byte[] bytes = value.revealBytes();
    if (bytes.length == 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** Options: region (required), endpoint, credentials, retries, page size and request timeout. */
  public static final class Builder {
    private String region;
    private URI endpoint;
    private AwsCredentialsProvider credentials;
    private WebIdentityCredentials.Builder webIdentity;
    private int attempts = 4;
    private Duration baseDelay = Duration.ofMillis(100);
    private Retry.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    private int pageSize = 100;
    private Duration requestTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** The region, such as {@code eu-central-1}. */
    public Builder region(String value) {
      this.region = AwsConfig.region(value).filter(r -> r.equals(value))
          .orElseThrow(() -> new IllegalArgumentException("not an AWS region: '" + value + "'"));
      return this;
    }

    /** Another endpoint than the SDK's for the region, such as {@code http://127.0.0.1:PORT} for a local fake. */
    public Builder endpoint(String value) {
      this.endpoint = URI.create(Objects.requireNonNull(value, "endpoint"));
      return this;
    }

    /** The credentials; the SDK's default chain when not set. */
    public Builder credentials(AwsCredentialsProvider value) {
      this.credentials = Objects.requireNonNull(value, "credentials");
      this.webIdentity = null;
      return this;
    }

    /** Credentials of a role assumed with a web identity token, built by the store and closed with it. */
    public Builder webIdentity(WebIdentityCredentials.Builder value) {
      this.webIdentity = Objects.requireNonNull(value, "webIdentity");
      this.credentials = null;
      return this;
    }

    /** Static credentials from profile {@code profile} of an AWS shared credentials file. */
    public Builder credentialsFile(Path file, String profile) {
      ProfileFile profiles = ProfileFile.builder().content(file).type(ProfileFile.Type.CREDENTIALS).build();
      this.credentials = ProfileCredentialsProvider.builder().profileFile(profiles)
          .profileName(profile == null ? "default" : profile).build();
      this.webIdentity = null;
      return this;
    }

    /** At most {@code attempts} attempts (1-10) per request, waiting {@code baseDelay}, then twice as long each time. */
    public Builder retries(int attempts, Duration baseDelay) {
      if (attempts < 1 || attempts > 10) {
        throw new IllegalArgumentException("attempts must be from 1 to 10: " + attempts);
      }
      this.attempts = attempts;
      this.baseDelay = Objects.requireNonNull(baseDelay, "baseDelay");
      return this;
    }

    /** How to wait between attempts; tests record the waits instead. */
    public Builder sleeper(Retry.Sleeper value) {
      this.sleeper = Objects.requireNonNull(value, "sleeper");
      return this;
    }

    /** Secrets per {@code ListSecrets} page, 1-100 (default 100). */
    public Builder pageSize(int value) {
      if (value < 1 || value > 100) {
        throw new IllegalArgumentException("pageSize must be from 1 to 100: " + value);
      }
      this.pageSize = value;
      return this;
    }

    /** The bound of each attempt (default 30 s). */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = Objects.requireNonNull(value, "requestTimeout");
      return this;
    }

    public AwsSecretStore build() {
      if (region == null) {
        throw new IllegalStateException("AwsSecretStore needs a region");
      }
      WebIdentityCredentials owned = webIdentity == null ? null : webIdentity.build();
      AwsCredentialsProvider provider = owned != null ? owned
          : credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
      SecretsManagerClientBuilder b = SecretsManagerClient.builder().region(Region.of(region))
          .credentialsProvider(provider)
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
              .apiCallAttemptTimeout(requestTimeout).apiCallTimeout(requestTimeout));
      if (endpoint != null) {
        b.endpointOverride(endpoint);
      }
      return new AwsSecretStore(this, b.build(), owned);
    }
  }
}
