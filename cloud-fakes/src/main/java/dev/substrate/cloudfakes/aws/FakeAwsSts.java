package dev.substrate.cloudfakes.aws;

import dev.substrate.cloudfakes.FakeHttpServer;
import dev.substrate.cloudfakes.FakeService;
import dev.substrate.cloudfakes.aws.internal.StsApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An in-process AWS STS serving {@code AssumeRoleWithWebIdentity} over its query API (form {@code POST /} or
 * {@code GET /?Action=...}, {@code Version=2011-06-15}, an XML answer) on plain HTTP on the loopback interface: the
 * AWS SDK v2 ({@code StsClient} with {@code endpointOverride}) and {@code aws sts assume-role-with-web-identity
 * --endpoint-url} work against it. The call is unsigned, as on AWS.
 *
 * <pre>{@code
 * try (FakeAwsSts sts = FakeAwsSts.start()) {
 *   sts.role("arn:aws:iam::123456789012:role/eso")
 *       .trustIssuer(oidc.issuer(), oidc::jwksJson)          // the IAM OIDC provider, its JWKS read at each call
 *       .audience("sts.amazonaws.com")                       // its client ID list
 *       .subject("system:serviceaccount:ns:name")            // the trust policy's sub condition
 *       .add();
 * }
 * }</pre>
 *
 * <p>It checks what STS checks, with STS's codes (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html):
 * {@code RoleArn}, {@code RoleSessionName} ({@code [\w+=,.@-]}, 2-64), {@code WebIdentityToken} and
 * {@code DurationSeconds} (900 to the role's maximum, one hour by default) else 400 {@code ValidationError}; of the
 * token: a signed JWT (RS256/ES256) whose {@code iss} some role trusts (else 400 {@code InvalidIdentityToken} "No
 * OpenIDConnect provider found"), a role that trusts that issuer (else 403 {@code AccessDenied}), a signature by the
 * key its {@code kid} names in the issuer's JWKS (else 400 {@code InvalidIdentityToken}, as after a key rotation), an
 * {@code aud} among the role's audiences (else 400 {@code InvalidIdentityToken} "Incorrect token audience"),
 * {@code exp} not passed (else 400 {@code ExpiredTokenException}), and a {@code sub} among the role's subjects when
 * any are set (else 403 {@code AccessDenied}). Errors are {@code <ErrorResponse><Error><Type>Sender</Type><Code>...
 * </Code><Message>...</Message></Error><RequestId>...}; no message quotes the token. It answers
 * {@code AssumeRoleWithWebIdentityResponse} with {@code Credentials} ({@code ASIA...} access key id, secret key,
 * session token, {@code Expiration}), {@code SubjectFromWebIdentityToken}, {@code Audience}, {@code Provider} (the
 * token's {@code iss}) and {@code AssumedRoleUser} ({@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}).
 * {@link FakeAwsSecretsManager#trust(FakeAwsSts, String)} accepts the credentials while they live. Not served: other
 * actions (400 {@code InvalidAction}), session policies, tags, {@code ProviderId} (OAuth 2.0 providers).
 *
 * <p>Injected failures answer STS XML errors too ({@code Throttling} for 429, {@code ServiceUnavailable} for 503,
 * {@code InternalFailure} for other 5xx). The journal records method, path, query (a {@code WebIdentityToken} in it
 * shown as {@code REDACTED}) and status, never a body. Thread-safe.
 */
public final class FakeAwsSts implements FakeService {
  /**
   * Credentials the fake issued, as STS knows them (never the secret key or session token).
   *
   * @param accessKeyId {@code ASIA...}
   * @param roleArn the role assumed
   * @param assumedRoleArn {@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}
   * @param subject the web identity token's {@code sub}
   * @param expiration when they stop being accepted
   */
  public record IssuedCredentials(String accessKeyId, String roleArn, String assumedRoleArn, String subject,
      Instant expiration) {}

  private final StsApi api;
  private final FakeHttpServer server;

  private FakeAwsSts(Builder b) {
    this.api = new StsApi(b.clock);
    this.server = b.http.redactQueryParameters("WebIdentityToken").handler(api).failures(api).start();
  }

  /** Starts a fake on a free loopback port. */
  public static FakeAwsSts start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int port() {
    return server.port();
  }

  /**
   * Starts registering the role {@code roleArn} ({@code arn:aws:iam::ACCOUNT:role/NAME});
   * {@link RoleBuilder#add()} registers it, replacing one of the same ARN.
   *
   * @throws IllegalArgumentException when {@code roleArn} is not a role ARN
   */
  public RoleBuilder role(String roleArn) {
    if (roleArn == null || !StsApi.ROLE_ARN.matcher(roleArn).matches()) {
      throw new IllegalArgumentException("not an IAM role ARN: '" + roleArn + "' (expected "
          + "arn:aws:iam::ACCOUNT:role/NAME)");
    }
    return new RoleBuilder(roleArn);
  }

  /** Removes a role; assuming it is then refused with AccessDenied. */
  public boolean removeRole(String roleArn) {
    return api.removeRole(roleArn);
  }

  /** What the fake knows of {@code accessKeyId} while its credentials live. */
  public Optional<IssuedCredentials> lookup(String accessKeyId) {
    return api.session(accessKeyId).map(s -> new IssuedCredentials(s.accessKeyId(), s.roleArn(), s.assumedRoleArn(),
        s.subject(), s.expiration()));
  }

  /** Whether {@code sessionToken} is the session token issued with {@code accessKeyId}, and it lives. */
  boolean sessionTokenMatches(String accessKeyId, String sessionToken) {
    return api.session(accessKeyId).map(s -> s.sessionToken().equals(sessionToken)).orElse(false);
  }

  /** Forgets every issued credential: {@link FakeAwsSecretsManager#trust} refuses them from now on. */
  public void revokeCredentials() {
    api.revokeAll();
  }

  /** How many {@code AssumeRoleWithWebIdentity} calls succeeded since start. */
  public int assumeCount() {
    return api.assumed();
  }

  @Override
  public FakeHttpServer server() {
    return server;
  }

  @Override
  public String toString() {
    return "FakeAwsSts[" + url() + "]";
  }

  /** Registers one role with a web-identity trust: the OIDC issuer, its JWKS, the audiences and subjects. */
  public final class RoleBuilder {
    private final String arn;
    private String issuer;
    private Supplier<String> jwks;
    private final List<String> audiences = new ArrayList<>();
    private final List<String> subjects = new ArrayList<>();
    private Duration maxSession = Duration.ofHours(1);

    private RoleBuilder(String arn) {
      this.arn = arn;
    }

    /**
     * The IAM OIDC provider the trust policy names: the issuer URL tokens' {@code iss} must equal, and its JWKS, read
     * at each call ({@code oidc::jwksJson} follows key rotations; {@code () -> fixed} does not).
     */
    public RoleBuilder trustIssuer(String issuerUrl, Supplier<String> jwksJson) {
      this.issuer = Objects.requireNonNull(issuerUrl, "issuerUrl");
      this.jwks = Objects.requireNonNull(jwksJson, "jwksJson");
      return this;
    }

    /** An accepted {@code aud} (the OIDC provider's client ID list); at least one is needed. */
    public RoleBuilder audience(String value) {
      audiences.add(Objects.requireNonNull(value, "audience"));
      return this;
    }

    /**
     * An accepted {@code sub} (a {@code StringEquals} condition on {@code ISSUER:sub}); none (the default) accepts
     * every subject of the issuer.
     */
    public RoleBuilder subject(String value) {
      subjects.add(Objects.requireNonNull(value, "subject"));
      return this;
    }

    /** The role's maximum session duration, 1 to 12 hours; one hour by default. */
    public RoleBuilder maxSessionDuration(Duration value) {
      if (value.compareTo(Duration.ofHours(1)) < 0 || value.compareTo(Duration.ofHours(12)) > 0) {
        throw new IllegalArgumentException("a role's maximum session duration is 1 to 12 hours: " + value);
      }
      this.maxSession = value;
      return this;
    }

    /** Registers the role. */
    public FakeAwsSts add() {
      if (issuer == null || audiences.isEmpty()) {
        throw new IllegalStateException("role " + arn + " needs trustIssuer(...) and at least one audience(...)");
      }
      api.addRole(new StsApi.Role(arn, issuer, jwks, List.copyOf(audiences), List.copyOf(subjects), maxSession));
      return FakeAwsSts.this;
    }
  }

  /** Options: the port and the clock. */
  public static final class Builder {
    private final FakeHttpServer.Builder http = FakeHttpServer.builder("fake-aws-sts");
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The port to listen on (loopback only); 0, the default, picks a free one. */
    public Builder port(int value) {
      http.port(value);
      return this;
    }

    /** The clock expiry checks use; the system clock by default. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    public FakeAwsSts start() {
      return new FakeAwsSts(this);
    }
  }
}
