package dev.substrate.cloudfakes.google;

import dev.substrate.cloudfakes.FakeHttpServer;
import dev.substrate.cloudfakes.FakeService;
import dev.substrate.cloudfakes.Faults;
import dev.substrate.cloudfakes.Journal;
import dev.substrate.cloudfakes.TestTls;
import dev.substrate.cloudfakes.google.internal.StsService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An in-process Google Security Token Service ({@code sts.googleapis.com}) for workload identity federation: the RFC
 * 8693 token exchange at {@code POST /v1/token} of an OIDC subject token (a Kubernetes service-account token) for a
 * federated access token, served over HTTPS on the loopback interface with {@link TestTls}'s certificate
 * (google-auth-library refuses plain-http token URLs; trust {@link TestTls#trustStore()} in the client).
 *
 * <pre>{@code
 * try (FakeGoogleSts sts = FakeGoogleSts.start()) {
 *   sts.provider(audience)                              // //iam.googleapis.com/projects/N/locations/global/...
 *       .issuer(cluster.oidc().issuer())
 *       .jwks(cluster.oidc().jwksJson())                // an uploaded JWKS; jwks(cluster.oidc()::jwksJson) for a live one
 *       .add();
 *   // token URL: sts.tokenUrl()                        // https://127.0.0.1:PORT/v1/token
 * }
 * }</pre>
 *
 * <p>It checks what STS checks: {@code grant_type} {@code urn:ietf:params:oauth:grant-type:token-exchange},
 * {@code requested_token_type} {@code urn:ietf:params:oauth:token-type:access_token}, {@code subject_token_type}
 * {@code ...:jwt} or {@code ...:id_token}, {@code audience} a registered pool provider, a {@code scope}; and of the
 * subject token: an RS256 or ES256 signature by the key its {@code kid} names in the provider's JWKS, {@code iss} the
 * provider's issuer, an {@code aud} among the provider's allowed audiences (by default its own name, with or without
 * {@code https:}), {@code exp} not passed, {@code iat} and {@code nbf} not in the future, a {@code sub} of at most
 * 127 bytes (mapped as {@code google.subject=assertion.sub}), and the attribute condition if any. It answers
 * {@code {"access_token":"ya29.d...","issued_token_type":"urn:ietf:params:oauth:token-type:access_token",
 * "token_type":"Bearer","expires_in":3600}}; refusals are OAuth errors with HTTP 400,
 * {@code {"error":"invalid_grant","error_description":"..."}} (also {@code invalid_request}, {@code invalid_target},
 * {@code invalid_scope}, {@code unsupported_grant_type}, {@code unauthorized_client}), whose descriptions never quote
 * the subject token. The federated token's principal is
 * {@code principal://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/POOL/subject/SUB}
 * ({@link #principal(String, String)}); {@link FakeIamCredentials} accepts the tokens while they live. Not checked: a
 * maximum subject-token lifetime, attribute mappings other than {@code google.subject}, workforce pools, SAML/AWS
 * subject tokens, {@code options}.
 *
 * <p>Injected failures answer OAuth errors too ({@code temporarily_unavailable} for 429 and 503,
 * {@code server_error} for other 5xx). The journal records method, path, query and status, never a body, so never a
 * token. Thread-safe.
 */
public final class FakeGoogleSts implements FakeService {
  /** {@code grant_type} of an RFC 8693 token exchange. */
  public static final String GRANT_TYPE_TOKEN_EXCHANGE = StsService.TOKEN_EXCHANGE;
  /** The only {@code requested_token_type} and the {@code issued_token_type}. */
  public static final String TOKEN_TYPE_ACCESS_TOKEN = StsService.ACCESS_TOKEN;
  /** {@code subject_token_type} of a Kubernetes service-account token. */
  public static final String TOKEN_TYPE_JWT = StsService.JWT;
  /** {@code subject_token_type} of an OIDC ID token. */
  public static final String TOKEN_TYPE_ID_TOKEN = StsService.ID_TOKEN;

  /**
   * A federated token the fake issued, as STS knows it (never the token itself).
   *
   * @param principal {@code principal://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/subject/SUB}
   * @param subject the subject token's {@code sub}
   * @param audience the pool provider it was exchanged at
   * @param scopes the scopes asked for
   * @param expiresAt when it stops being accepted
   */
  public record IssuedToken(String principal, String subject, String audience, List<String> scopes,
      Instant expiresAt) {}

  private final StsService service;
  private final FakeHttpServer server;

  private FakeGoogleSts(Builder b) {
    this.service = new StsService(b.clock, b.tokenLifetime);
    this.server = b.http.handler(service).failures(service).start();
  }

  /** Starts a fake over HTTPS on a free loopback port. */
  public static FakeGoogleSts start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The token endpoint, {@code https://127.0.0.1:PORT/v1/token}: a credential configuration's {@code token_url}. */
  public String tokenUrl() {
    return server.url() + "/v1/token";
  }

  public int port() {
    return server.port();
  }

  /**
   * Starts registering the pool provider {@code audience}
   * ({@code //iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER});
   * {@link ProviderBuilder#add()} registers it (replacing one of the same name).
   *
   * @throws IllegalArgumentException when {@code audience} is not such a name
   */
  public ProviderBuilder provider(String audience) {
    StsService.provider(audience);
    return new ProviderBuilder(audience);
  }

  /**
   * Registers the pool provider {@code audience} for {@code issuer}, reading its JWKS from {@code jwks} at each
   * exchange as Google reads a public issuer's, so the provider follows key rotations:
   * {@code sts.trust(audience, oidc.issuer(), oidc::jwksJson)} with the embedded cluster's {@code OidcIssuer}.
   */
  public FakeGoogleSts trust(String audience, String issuer, Supplier<String> jwks) {
    return provider(audience).issuer(issuer).jwks(jwks).add();
  }

  /** Removes a pool provider; exchanges at it then fail with {@code invalid_target}. */
  public boolean removeProvider(String audience) {
    return service.removeProvider(audience);
  }

  /** What the fake knows of {@code accessToken} while it is live: issued here and not expired. */
  public Optional<IssuedToken> lookup(String accessToken) {
    return service.lookup(accessToken).map(i -> new IssuedToken(i.principal(), i.subject(), i.audience(),
        i.scopes(), i.expiresAt()));
  }

  Optional<StsService.Issued> issued(String accessToken) {
    return service.lookup(accessToken);
  }

  /** Forgets every issued token: IAM Credentials refuses them from now on. */
  public void revokeTokens() {
    service.revokeAll();
  }

  /** How many exchanges succeeded since start. */
  public int exchangeCount() {
    return service.exchanges();
  }

  /**
   * The principal of a federated token for {@code subject} at the pool of provider {@code audience}:
   * {@code principal://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/POOL/subject/SUBJECT}.
   */
  public static String principal(String audience, String subject) {
    return StsService.principal(audience, Objects.requireNonNull(subject, "subject"));
  }

  /**
   * Every identity of the pool of provider {@code audience}:
   * {@code principalSet://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/POOL/*}.
   */
  public static String principalSet(String audience) {
    return StsService.principalSet(audience);
  }

  @Override
  public FakeHttpServer server() {
    return server;
  }

  @Override
  public String toString() {
    return "FakeGoogleSts[" + url() + "]";
  }

  /** Registers one OIDC pool provider: its issuer, its JWKS, and optionally audiences and an attribute condition. */
  public final class ProviderBuilder {
    private final String audience;
    private String issuer;
    private Supplier<String> jwks;
    private final List<String> allowedAudiences = new ArrayList<>();
    private Predicate<Map<String, Object>> condition;

    private ProviderBuilder(String audience) {
      this.audience = audience;
    }

    /** The issuer URL the subject tokens' {@code iss} must equal ({@code --issuer-uri}). */
    public ProviderBuilder issuer(String value) {
      this.issuer = Objects.requireNonNull(value, "issuer");
      return this;
    }

    /** An uploaded JWKS ({@code --jwk-json-path}): fixed, so a key rotation on the issuer breaks exchanges. */
    public ProviderBuilder jwks(String uploaded) {
      Objects.requireNonNull(uploaded, "uploaded");
      this.jwks = () -> uploaded;
      return this;
    }

    /** A JWKS read at each exchange, as Google reads a public issuer's {@code jwks_uri}. */
    public ProviderBuilder jwks(Supplier<String> live) {
      this.jwks = Objects.requireNonNull(live, "live");
      return this;
    }

    /**
     * The {@code aud} values accepted ({@code --allowed-audiences}, at most 10); none (the default) accepts the
     * provider's own name, {@code https://iam.googleapis.com/projects/...} or {@code //iam.googleapis.com/projects/...}.
     */
    public ProviderBuilder allowedAudiences(String... values) {
      for (String v : values) {
        allowedAudiences.add(Objects.requireNonNull(v, "audience"));
      }
      if (allowedAudiences.size() > 10) {
        throw new IllegalArgumentException("a provider allows at most 10 audiences, got " + allowedAudiences.size());
      }
      return this;
    }

    /**
     * An attribute condition over the subject token's claims ({@code --attribute-condition}); tokens it refuses are
     * answered {@code unauthorized_client}.
     */
    public ProviderBuilder attributeCondition(Predicate<Map<String, Object>> value) {
      this.condition = Objects.requireNonNull(value, "condition");
      return this;
    }

    /** Registers the provider. */
    public FakeGoogleSts add() {
      if (issuer == null || jwks == null) {
        throw new IllegalStateException("provider " + audience + " needs an issuer and a JWKS");
      }
      service.addProvider(new StsService.Provider(audience, issuer, jwks, List.copyOf(allowedAudiences), condition));
      return FakeGoogleSts.this;
    }
  }

  /** Options: the port, HTTPS (default) or plain HTTP, the clock, and the federated tokens' lifetime. */
  public static final class Builder {
    private final FakeHttpServer.Builder http = FakeHttpServer.builder("fake-google-sts").https(true);
    private Clock clock = Clock.systemUTC();
    private Duration tokenLifetime = Duration.ofHours(1);

    private Builder() {}

    /** The port to listen on (loopback only); 0, the default, picks a free one. */
    public Builder port(int value) {
      http.port(value);
      return this;
    }

    /** Serves plain HTTP instead of HTTPS (for clients that are not google-auth-library). */
    public Builder plainHttp() {
      http.https(false);
      return this;
    }

    /** The clock expiry checks use; the system clock by default. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** The federated tokens' lifetime ({@code expires_in}); one hour by default. */
    public Builder tokenLifetime(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("token lifetime must be positive: " + value);
      }
      this.tokenLifetime = value;
      return this;
    }

    public FakeGoogleSts start() {
      return new FakeGoogleSts(this);
    }
  }
}
