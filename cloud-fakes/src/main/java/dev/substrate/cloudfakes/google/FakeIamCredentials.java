package dev.substrate.cloudfakes.google;

import dev.substrate.cloudfakes.FakeHttpServer;
import dev.substrate.cloudfakes.FakeService;
import dev.substrate.cloudfakes.Faults;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.cloudfakes.TestTls;
import dev.substrate.cloudfakes.google.internal.IamService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-process IAM Service Account Credentials API ({@code iamcredentials.googleapis.com}) serving
 * {@code POST /v1/projects/-/serviceAccounts/{EMAIL}:generateAccessToken} over HTTPS on the loopback interface with
 * {@link TestTls}'s certificate: service account impersonation by federated tokens of a {@link FakeGoogleSts}.
 *
 * <pre>{@code
 * try (FakeGoogleSts sts = FakeGoogleSts.start(); FakeIamCredentials iam = FakeIamCredentials.start(sts)) {
 *   iam.grant("eso@acme-ml.iam.gserviceaccount.com",
 *       FakeGoogleSts.principal(audience, "system:serviceaccount:external-secrets:external-secrets"));
 *   secretManager.trust(iam, "eso@acme-ml.iam.gserviceaccount.com");  // only its tokens read secrets
 * }
 * }</pre>
 *
 * <p>It checks what IAM checks: {@code Authorization: Bearer} a live token of the linked STS (or one this fake issued,
 * principal {@code serviceAccount:EMAIL}) carrying the {@code cloud-platform} or {@code iam} scope, else 401
 * UNAUTHENTICATED or 403 (ACCESS_TOKEN_SCOPE_INSUFFICIENT); the {@code -} project wildcard; a JSON body with at least
 * one {@code scope} and an optional {@code lifetime} ({@code "3600s"}, at most {@link Builder#maxLifetime} — one hour
 * unless the org policy extension is emulated); and that the caller's principal was granted
 * {@code roles/iam.workloadIdentityUser} on the service account ({@link #grant}), itself or through its pool's
 * {@code principalSet://.../*}, else 403 PERMISSION_DENIED {@code Permission 'iam.serviceAccounts.getAccessToken'
 * denied on resource (or it may not exist).} with an ErrorInfo {@code IAM_PERMISSION_DENIED}. It answers
 * {@code {"accessToken":"ya29.c...","expireTime":"2026-11-21T12:34:56Z"}}, {@code expireTime} exactly
 * {@code yyyy-MM-ddTHH:mm:ssZ} in UTC. Errors are Google's JSON errors
 * ({@code {"error":{"code":403,"message":"...","status":"PERMISSION_DENIED"}}}). Unsupported: {@code delegates},
 * unique ids for emails, the other methods ({@code generateIdToken}, {@code signBlob}, {@code signJwt}).
 *
 * <p>The journal records method, path, query and status, never a body or header. Thread-safe.
 */
public final class FakeIamCredentials implements FakeService {
  /**
   * An access token the fake issued (never the token itself).
   *
   * @param serviceAccount the impersonated service account's email
   * @param caller the principal that asked for it
   * @param scopes its scopes
   * @param expiresAt its {@code expireTime}
   */
  public record IssuedToken(String serviceAccount, String caller, List<String> scopes, Instant expiresAt) {}

  private final IamService service;
  private final FakeHttpServer server;

  private FakeIamCredentials(Builder b) {
    FakeGoogleSts sts = b.sts;
    this.service = new IamService(token -> sts == null ? Optional.empty() : sts.issued(token), b.clock,
        b.maxLifetime);
    this.server = b.http.handler(service).failures(service).start();
  }

  /** Starts a fake over HTTPS on a free loopback port that accepts {@code sts}'s federated tokens. */
  public static FakeIamCredentials start(FakeGoogleSts sts) {
    return builder().trust(sts).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int port() {
    return server.port();
  }

  /**
   * The {@code generateAccessToken} URL for {@code email}, as a credential configuration's
   * {@code service_account_impersonation_url} names it.
   */
  public String generateAccessTokenUrl(String email) {
    return server.url() + "/v1/projects/-/serviceAccounts/" + email + ":generateAccessToken";
  }

  /**
   * Grants {@code principal} {@code roles/iam.workloadIdentityUser} on service account {@code email}: a
   * {@code principal://...} ({@link FakeGoogleSts#principal}), a whole pool's {@code principalSet://.../*}
   * ({@link FakeGoogleSts#principalSet}), or {@code serviceAccount:EMAIL}.
   */
  public FakeIamCredentials grant(String email, String principal) {
    service.grant(Objects.requireNonNull(email, "email"), Objects.requireNonNull(principal, "principal"));
    return this;
  }

  /** Removes a grant; whether there was one. */
  public boolean revoke(String email, String principal) {
    return service.revoke(email, principal);
  }

  /** The service account a live access token of this fake was issued for. */
  public Optional<String> serviceAccountOf(String accessToken) {
    return service.lookup(accessToken).map(IamService.Issued::serviceAccount);
  }

  /** What the fake knows of {@code accessToken} while it is live. */
  public Optional<IssuedToken> lookup(String accessToken) {
    return service.lookup(accessToken).map(i -> new IssuedToken(i.serviceAccount(), i.caller(), i.scopes(),
        i.expiresAt()));
  }

  /** Forgets every issued token. */
  public void revokeTokens() {
    service.revokeAll();
  }

  /** How many access tokens were generated since start. */
  public int generatedCount() {
    return service.generated();
  }

  @Override
  public FakeHttpServer server() {
    return server;
  }

  @Override
  public String toString() {
    return "FakeIamCredentials[" + url() + "]";
  }

  /** Options: the STS whose tokens it accepts, the port, HTTPS (default) or plain HTTP, the clock, the max lifetime. */
  public static final class Builder {
    private FakeGoogleSts sts;
    private final FakeHttpServer.Builder http = FakeHttpServer.builder("fake-iam-credentials").https(true);
    private Clock clock = Clock.systemUTC();
    private Duration maxLifetime = Duration.ofHours(1);

    private Builder() {}

    /** The STS whose live federated tokens are accepted as bearers. */
    public Builder trust(FakeGoogleSts value) {
      this.sts = Objects.requireNonNull(value, "sts");
      return this;
    }

    /** The port to listen on (loopback only); 0, the default, picks a free one. */
    public Builder port(int value) {
      http.port(value);
      return this;
    }

    /** Serves plain HTTP instead of HTTPS. */
    public Builder plainHttp() {
      http.https(false);
      return this;
    }

    /** The clock tokens are stamped and checked with; the system clock by default. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The longest {@code lifetime} accepted: one hour, as IAM; up to 12 hours emulates the org policy
     * {@code constraints/iam.allowServiceAccountCredentialLifetimeExtension}.
     */
    public Builder maxLifetime(Duration value) {
      if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Duration.ofHours(12)) > 0) {
        throw new IllegalArgumentException("max lifetime must be 1 s to 12 h: " + value);
      }
      this.maxLifetime = value;
      return this;
    }

    public FakeIamCredentials start() {
      return new FakeIamCredentials(this);
    }
  }
}
