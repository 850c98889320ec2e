package dev.substrate.secrets.wif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import com.google.auth.Retryable;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ExternalAccountCredentials.SubjectTokenTypes;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.IdentityPoolCredentialSource;
import com.google.auth.oauth2.IdentityPoolCredentials;
import dev.substrate.ConfigException;
import dev.substrate.spi.Retry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * Short-lived Google access tokens through workload identity federation: a Kubernetes service-account token (the
 * subject token, from a projected token file or a supplier) is exchanged at STS for a federated token and, with a
 * service account, that for the service account's access token through IAM Credentials {@code generateAccessToken}
 * &mdash; google-auth-library's {@link IdentityPoolCredentials} does both calls.
 *
 * <pre>{@code
 * FederatedCredentials creds = FederatedCredentials.builder()
 *     .audience("//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/pool/providers/prov")
 *     .serviceAccountEmail("eso@acme-ml.iam.gserviceaccount.com")
 *     .subjectTokenFile(Path.of("/var/run/secrets/tokens/gcp-token"))
 *     .build();
 * FederatedToken token = creds.token();                       // cached until 5 min before it expires
 * GcpSecretStore store = GcpSecretStore.create("acme-ml", GcpSecretStore.DEFAULT_ENDPOINT, creds.asGoogleCredentials());
 * }</pre>
 *
 * <p>The token is cached until {@link Builder#refreshSkew(Duration) refreshSkew} (5 min) before its expiry. Callers
 * that find it stale at the same time share one refresh: one STS exchange, one IAM call. A failed refresh is not
 * cached: the callers waiting on it get its failure, the next caller tries again. Within a refresh, transient
 * failures (no answer, 429, 5xx) are retried with exponential backoff, 4 attempts, 100/200/400 ms by default. Each
 * refresh re-reads the subject token, so a rotated projected token is picked up. Tokens never appear in
 * {@code toString}s or exceptions. Thread-safe.
 */
public final class FederatedCredentials {
  /** The OAuth scope requested by default. */
  public static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

  /** Gives the current subject token (a JWT). */
  @FunctionalInterface
  public interface SubjectTokenSupplier {
    String get() throws IOException;
  }

  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");
  private static final Pattern BEARER = Pattern.compile("ya29\\.[A-Za-z0-9._-]+");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String audience;
  private final Optional<String> serviceAccountEmail;
  private final Optional<Integer> tokenLifetimeSeconds;
  private final String tokenUrl;
  private final List<String> scopes;
  private final SubjectTokenSupplier subjectToken;
  private final Map<String, Object> credentialSource;
  private final String sourceDescription;
  private final HttpTransportFactory transportFactory;
  private final Duration refreshSkew;
  private final Clock clock;
  private final int maxAttempts;
  private final Retry retry;

  private final Object lock = new Object();
  private volatile FederatedToken cached;
  private CompletableFuture<FederatedToken> inFlight;

  private FederatedCredentials(Builder b) {
    this.audience = b.audience;
    this.serviceAccountEmail = Optional.ofNullable(b.serviceAccountEmail);
    this.tokenLifetimeSeconds = Optional.ofNullable(b.tokenLifetimeSeconds);
    this.tokenUrl = b.tokenUrl;
    this.scopes = List.copyOf(b.scopes);
    this.subjectToken = b.subjectToken;
    this.credentialSource = b.credentialSource;
    this.sourceDescription = b.sourceDescription;
    this.transportFactory = b.transportFactory;
    this.refreshSkew = b.refreshSkew;
    this.clock = b.clock;
    this.maxAttempts = b.maxAttempts;
    // never capped: with at most 10 attempts the longest wait is initialBackoff * 2^8
    this.retry = Retry.of(b.maxAttempts, e -> !(e instanceof FederatedTokenException) && isTransient(e, status(e)))
        .backoff(b.initialBackoff, 2, b.initialBackoff.multipliedBy(1L << 8)).sleeper(b.sleeper);
  }

  public static Builder builder() {
    return new Builder();
  }

  public String audience() {
    return audience;
  }

  public Optional<String> serviceAccountEmail() {
    return serviceAccountEmail;
  }

  /**
   * A valid access token: the cached one while it is more than the refresh skew from expiry, else a new one (one
   * refresh shared by all callers that ask meanwhile).
   *
   * @throws FederatedTokenException when the refresh failed (after its retries)
   */
  public FederatedToken token() {
    FederatedToken t = cached;
    if (fresh(t)) {
      return t;
    }
    CompletableFuture<FederatedToken> mine;
    CompletableFuture<FederatedToken> running;
    synchronized (lock) {
      t = cached;
      if (fresh(t)) {
        return t;
      }
      running = inFlight;
      mine = running == null ? new CompletableFuture<>() : null;
      if (running == null) {
        inFlight = mine;
      }
    }
    if (running != null) {
      return await(running);
    }
    try {
      FederatedToken fetched = refreshWithRetries();
      cached = fetched;
      mine.complete(fetched);
      return fetched;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      synchronized (lock) {
        inFlight = null;
      }
    }
  }

  /** Forgets the cached token; the next {@link #token()} refreshes. */
  public void invalidate() {
    cached = null;
  }

  /**
   * These credentials as google-auth {@link GoogleCredentials} for Google's clients (for example
   * {@link dev.substrate.secrets.gcp.GcpSecretStore#create}); their refreshes go through {@link #token()}.
   */
  public GoogleCredentials asGoogleCredentials() {
    return new GoogleCredentials() {
      @Override
      public AccessToken refreshAccessToken() throws IOException {
        FederatedToken t = token();
        return new AccessToken(t.value(), t.expiresAt().map(java.util.Date::from).orElse(null));
      }

      @Override
      public String toString() {
        return FederatedCredentials.this.toString();
      }
    };
  }

  private boolean fresh(FederatedToken t) {
    return t != null && t.expiresAt().isPresent() && clock.instant().isBefore(t.expiresAt().get().minus(refreshSkew));
  }

  private static FederatedToken await(CompletableFuture<FederatedToken> running) {
    try {
      return running.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  private FederatedToken refreshWithRetries() {
    int[] attempts = {0};
    try {
      return retry.call(() -> {
        attempts[0]++;
        return refreshOnce();
      });
    } catch (FederatedTokenException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      int status = status(e);
      boolean transientFailure = isTransient(e, status);
      if (transientFailure && attempts[0] < maxAttempts) {
        // a transient failure with attempts left: waiting to retry it was interrupted
        throw new FederatedTokenException("obtaining a federated access token for " + principal()
            + " was interrupted: " + describe(e), status, transientFailure, attempts[0]);
      }
      throw new FederatedTokenException("obtaining a federated access token for " + principal() + " from "
          + sourceDescription + " failed: " + describe(e), status, transientFailure, attempts[0]);
    }
  }

  private FederatedToken refreshOnce() throws IOException {
    IdentityPoolCredentials.Builder b = IdentityPoolCredentials.newBuilder()
        .setAudience(audience)
        .setSubjectTokenType(SubjectTokenTypes.JWT)
        .setTokenUrl(tokenUrl)
        .setScopes(scopes);
    if (subjectToken != null) {
      // google-auth asks twice per refresh when it impersonates; one subject token (one TokenRequest) serves both
      String[] minted = new String[1];
      b.setSubjectTokenSupplier(context -> minted[0] != null ? minted[0] : (minted[0] = subjectToken.get()));
    } else {
      b.setCredentialSource(new IdentityPoolCredentialSource(credentialSource));
    }
    if (transportFactory != null) {
      b.setHttpTransportFactory(transportFactory);
    }
    serviceAccountEmail.ifPresent(e -> b.setServiceAccountImpersonationUrl(
        CredentialConfiguration.impersonationUrl(e)));
    tokenLifetimeSeconds.ifPresent(s -> b.setServiceAccountImpersonationOptions(Map.of("token_lifetime_seconds", s)));
    AccessToken token = b.build().refreshAccessToken();
    if (token == null || token.getTokenValue() == null || token.getTokenValue().isEmpty()) {
      throw new FederatedTokenException("obtaining a federated access token for " + principal()
          + " failed: the answer carried no token", 0, false, 1);
    }
    Optional<Instant> expiry = Optional.ofNullable(token.getExpirationTime()).map(java.util.Date::toInstant);
    return new FederatedToken(token.getTokenValue(), expiry, principal());
  }

  private String principal() {
    return serviceAccountEmail.orElse(audience);
  }

  private static int status(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof HttpResponseException h) {
        return h.getStatusCode();
      }
    }
    return 0;
  }

  private static boolean isTransient(Throwable e, int status) {
    if (status > 0) {
      return status == 408 || status == 429 || status >= 500;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c.getClass().getName().equals("com.google.auth.oauth2.OAuthException")) {
        // STS's OAuth error (the HTTP status is not kept): RFC 6749's two transient codes
        String m = String.valueOf(c.getMessage());
        return m.contains("temporarily_unavailable") || m.contains("server_error");
      }
      if (c instanceof Retryable r) {
        return r.isRetryable();
      }
      if (c instanceof NoSuchFileException) {
        return false;
      }
    }
    return e instanceof IOException;
  }

  /** The failure's messages along its cause chain, with token-shaped text scrubbed, on one line. */
  private String describe(Throwable e) {
    StringBuilder chain = new StringBuilder();
    int depth = 0;
    for (Throwable c = e; c != null && depth < 4; c = c.getCause(), depth++) {
      String m = c instanceof HttpResponseException h ? googleError(h)
          : c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
      if (chain.indexOf(m) < 0) {
        chain.append(chain.length() == 0 ? "" : ": ").append(m);
      }
    }
    String message = chain.toString();
    message = JWT.matcher(message).replaceAll("<redacted>");
    message = BEARER.matcher(message).replaceAll("<redacted>");
    FederatedToken t = cached;
    if (t != null) {
      message = message.replace(t.value(), "<redacted>");
    }
    message = message.replaceAll("\\s+", " ").trim();
    return message.length() > 300 ? message.substring(0, 300) + "..." : message;
  }

  /**
   * An HTTP failure as {@code HTTP 403 PERMISSION_DENIED: message} when its body is Google's JSON error (as IAM
   * Credentials answers), rather than the raw request line and body.
   */
  private static String googleError(HttpResponseException h) {
    try {
      JsonNode error = h.getContent() == null ? null : JSON.readTree(h.getContent()).path("error");
      if (error != null && error.isObject() && error.path("message").isTextual()) {
        return "HTTP " + h.getStatusCode() + " " + error.path("status").asText("") + ": "
            + error.path("message").asText();
      }
    } catch (IOException | RuntimeException ignored) {
      // not JSON: fall back to the exception's own message
    }
    return h.getMessage() == null ? "HTTP " + h.getStatusCode() : h.getMessage();
  }

  @Override
  public String toString() {
    return "FederatedCredentials{audience=" + audience + ", serviceAccount=" + serviceAccountEmail.orElse("none")
        + ", source=" + sourceDescription + "}";
  }

  /** Builds {@link FederatedCredentials}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private String audience;
    private String serviceAccountEmail;
    private Integer tokenLifetimeSeconds;
    private String tokenUrl = CredentialConfiguration.TOKEN_URL;
    private List<String> scopes = List.of(CLOUD_PLATFORM);
    private SubjectTokenSupplier subjectToken;
    private Map<String, Object> credentialSource;
    private String sourceDescription;
    private HttpTransportFactory transportFactory;
    private Duration refreshSkew = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();
    private Retry.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    private int maxAttempts = 4;
    private Duration initialBackoff = Duration.ofMillis(100);

    private Builder() {}

    /** Everything from a credential configuration: audience, service account, lifetime and its source. */
    public Builder configuration(CredentialConfiguration config) {
      this.audience = config.audience();
      this.serviceAccountEmail = config.serviceAccountEmail().orElse(null);
      this.tokenLifetimeSeconds = config.tokenLifetimeSeconds().orElse(null);
      this.subjectToken = null;
      this.credentialSource = new LinkedHashMap<>(config.credentialSource());
      this.sourceDescription = config.file().map(f -> "file " + f).orElseGet(() -> "url " + config.url().orElse(""));
      return this;
    }

    /** The pool provider, {@code //iam.googleapis.com/projects/NUM/locations/global/workloadIdentityPools/...}. */
    public Builder audience(String audience) {
      this.audience = audience;
      return this;
    }

    /** The service account to impersonate; none means the federated token itself is used. */
    public Builder serviceAccountEmail(String email) {
      this.serviceAccountEmail = email == null || email.isBlank() ? null : email;
      return this;
    }

    /** The impersonated token's lifetime, 600-43200 s (Google's default 3600). */
    public Builder tokenLifetimeSeconds(int seconds) {
      this.tokenLifetimeSeconds = seconds;
      return this;
    }

    /** STS's token endpoint; https only (google-auth-library rejects anything else). */
    public Builder tokenUrl(String tokenUrl) {
      this.tokenUrl = tokenUrl;
      return this;
    }

    public Builder scopes(List<String> scopes) {
      this.scopes = List.copyOf(scopes);
      return this;
    }

    /** The subject token is this file's content (a projected service-account token), re-read on each refresh. */
    public Builder subjectTokenFile(Path file) {
      Objects.requireNonNull(file, "file");
      this.credentialSource = null;
      this.sourceDescription = "file " + file;
      this.subjectToken = () -> {
        String token = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (token.isEmpty()) {
          throw new IOException("the subject token file " + file + " is empty");
        }
        return token;
      };
      return this;
    }

    /** The subject token comes from this supplier (for example a TokenRequest), asked on each refresh. */
    public Builder subjectTokenSupplier(SubjectTokenSupplier supplier) {
      this.credentialSource = null;
      this.sourceDescription = "a subject token supplier";
      this.subjectToken = Objects.requireNonNull(supplier, "supplier");
      return this;
    }

    /** The HTTP transport for STS and IAM; tests inject a mock. */
    public Builder transportFactory(HttpTransportFactory factory) {
      this.transportFactory = factory;
      return this;
    }

    /** How long before expiry a cached token is replaced; 5 min by default. */
    public Builder refreshSkew(Duration skew) {
      this.refreshSkew = Objects.requireNonNull(skew, "skew");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Attempts per refresh for transient failures (1-10, default 4) and the first backoff (doubling). */
    public Builder retries(int maxAttempts, Duration initialBackoff) {
      this.maxAttempts = maxAttempts;
      this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
      return this;
    }

    /** How refreshes wait between attempts (default {@link Thread#sleep}); tests inject one that does not. */
    public Builder sleeper(Retry.Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    public FederatedCredentials build() {
      List<String> problems = new ArrayList<>();
      try {
        CredentialConfiguration.Builder check = CredentialConfiguration.builder()
            .audience(audience == null ? "" : audience).serviceAccountEmail(serviceAccountEmail).file("/check");
        if (tokenLifetimeSeconds != null) {
          check.tokenLifetimeSeconds(tokenLifetimeSeconds);
        }
        check.build();
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
      if (subjectToken == null && credentialSource == null) {
        problems.add("a subject token source is needed: subjectTokenFile, subjectTokenSupplier or configuration");
      }
      if (tokenUrl == null || !tokenUrl.startsWith("https://")) {
        problems.add("token URL was '" + tokenUrl + "' but must be https");
      }
      if (scopes.isEmpty()) {
        problems.add("at least one scope is needed");
      }
      if (maxAttempts < 1 || maxAttempts > 10) {
        problems.add("attempts was " + maxAttempts + " but must be 1-10");
      }
      if (refreshSkew.isNegative()) {
        problems.add("refresh skew must not be negative");
      }
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
      return new FederatedCredentials(this);
    }
  }
}
