package dev.substrate.cloudfakes.google.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.substrate.cloudfakes.FakeHttpServer;
import dev.substrate.cloudfakes.internal.JwtSignatures;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google STS's {@code POST /v1/token} for workload identity pool OIDC providers: RFC 8693 token exchange of an OIDC
 * JWT (a Kubernetes service-account token) for a federated access token, checked as STS checks it. Errors are OAuth
 * JSON ({@code error}, {@code error_description}) with status 400; a description never quotes the subject token.
 */
public final class StsService implements FakeHttpServer.Handler, FakeHttpServer.FailureAnswers {
  public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
  public static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
  public static final String JWT = "urn:ietf:params:oauth:token-type:jwt";
  public static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
  /** A workload identity pool provider's full resource name, as the {@code audience} parameter names it. */
  public static final Pattern PROVIDER = Pattern.compile("//iam\\.googleapis\\.com/projects/(\\d+)/locations/global/"
      + "workloadIdentityPools/([a-z0-9-]{4,32})/providers/([a-z0-9-]{4,32})");
  /** The largest {@code google.subject} STS maps: 127 bytes. */
  public static final int MAX_SUBJECT_BYTES = 127;

  /** A pool provider the fake trusts. */
  public record Provider(String audience, String issuer, Supplier<String> jwks, List<String> allowedAudiences,
      Predicate<Map<String, Object>> condition) {
    /** The {@code aud} values a subject token may carry: the allowed audiences, else the provider's name. */
    public List<String> acceptedAudiences() {
      return allowedAudiences.isEmpty()
          ? List.of("https:" + audience, audience)
          : allowedAudiences;
    }
  }

  /** A federated token the fake issued (the value itself is the map key, never part of this). */
  public record Issued(String principal, String subject, String audience, List<String> scopes, Instant expiresAt) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

  private final Map<String, Provider> providers = new ConcurrentHashMap<>();
  private final Map<String, Issued> issued = new ConcurrentHashMap<>();
  private final AtomicInteger exchanges = new AtomicInteger();
  private final Clock clock;
  private final Duration lifetime;

  public StsService(Clock clock, Duration lifetime) {
    this.clock = clock;
    this.lifetime = lifetime;
  }

  public void addProvider(Provider provider) {
    providers.put(provider.audience(), provider);
  }

  public boolean removeProvider(String audience) {
    return providers.remove(audience) != null;
  }

  /** The token's record while it is live (issued here and not expired). */
  public Optional<Issued> lookup(String token) {
    Issued i = token == null ? null : issued.get(token);
    return i != null && clock.instant().isBefore(i.expiresAt()) ? Optional.of(i) : Optional.empty();
  }

  /** Forgets every issued token: they are refused from now on. */
  public void revokeAll() {
    issued.clear();
  }

  /** How many exchanges succeeded. */
  public int exchanges() {
    return exchanges.get();
  }

  /** {@code principal://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/subject/SUB}. */
  public static String principal(String audience, String subject) {
    Matcher m = provider(audience);
    return "principal://iam.googleapis.com/projects/" + m.group(1) + "/locations/global/workloadIdentityPools/"
        + m.group(2) + "/subject/" + subject;
  }

  /** {@code principalSet://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/*}. */
  public static String principalSet(String audience) {
    Matcher m = provider(audience);
    return "principalSet://iam.googleapis.com/projects/" + m.group(1) + "/locations/global/workloadIdentityPools/"
        + m.group(2) + "/*";
  }

  /** Matches {@code audience} against {@link #PROVIDER}; an {@link IllegalArgumentException} when it does not. */
  public static Matcher provider(String audience) {
    Matcher m = PROVIDER.matcher(audience == null ? "" : audience);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a workload identity pool provider name: '" + audience + "' (expected "
          + "//iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER)");
    }
    return m;
  }

  @Override
  public FakeHttpServer.Answer handle(FakeHttpServer.Call call) {
    if (!call.path().equals("/v1/token")) {
      return error(404, "invalid_request", "The fake STS does not serve " + call.method() + " " + call.path());
    }
    if (!call.method().equals("POST")) {
      return error(405, "invalid_request", "Method " + call.method() + " is not allowed; use POST");
    }
    String contentType = call.header("Content-Type") == null ? "" : call.header("Content-Type").toLowerCase(java.util.Locale.ROOT);
    if (!contentType.startsWith("application/x-www-form-urlencoded")) {
      return error(400, "invalid_request", "The request body must be application/x-www-form-urlencoded");
    }
    Map<String, String> form = form(call.bodyText());
    try {
      return exchange(form);
    } catch (Rejection r) {
      return error(400, r.error, r.getMessage());
    }
  }

  @Override
  public FakeHttpServer.Answer failure(int httpStatus) {
    String error = httpStatus == 503 || httpStatus == 429 ? "temporarily_unavailable"
        : httpStatus >= 500 ? "server_error"
        : httpStatus == 401 ? "invalid_client"
        : httpStatus == 403 ? "access_denied"
        : "invalid_request";
    return error(httpStatus, error, "injected failure (HTTP " + httpStatus + ")");
  }

  private FakeHttpServer.Answer exchange(Map<String, String> form) {
    String grantType = form.getOrDefault("grant_type", "");
    if (!grantType.equals(TOKEN_EXCHANGE)) {
      throw new Rejection("unsupported_grant_type", "Invalid value for \"grant_type\": '" + grantType
          + "'. Expected \"" + TOKEN_EXCHANGE + "\".");
    }
    String requested = form.getOrDefault("requested_token_type", "");
    if (!requested.equals(ACCESS_TOKEN)) {
      throw new Rejection("invalid_request", "Invalid value for \"requested_token_type\": '" + requested
          + "'. Expected \"" + ACCESS_TOKEN + "\".");
    }
    String subjectTokenType = form.getOrDefault("subject_token_type", "");
    if (!subjectTokenType.equals(JWT) && !subjectTokenType.equals(ID_TOKEN)) {
      throw new Rejection("invalid_request", "Invalid value for \"subject_token_type\": '" + subjectTokenType
          + "'. An OIDC provider takes \"" + JWT + "\" or \"" + ID_TOKEN + "\".");
    }
    String audience = form.getOrDefault("audience", "");
    if (!PROVIDER.matcher(audience).matches()) {
      throw new Rejection("invalid_request", "Invalid value for \"audience\". This value should be the full resource "
          + "name of the Identity Provider. See https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token "
          + "for the list of possible formats.");
    }
    Provider provider = providers.get(audience);
    if (provider == null) {
      throw new Rejection("invalid_target", "The target service indicated by the \"audience\" parameters is invalid. "
          + "This might either be because the pool or provider is disabled or deleted or because it doesn't exist.");
    }
    String scope = form.getOrDefault("scope", "").trim();
    if (scope.isEmpty()) {
      throw new Rejection("invalid_scope", "Scope(s) must be provided.");
    }
    String subjectToken = form.getOrDefault("subject_token", "");
    if (subjectToken.isEmpty()) {
      throw new Rejection("invalid_request", "Invalid value for \"subject_token\": it must not be empty.");
    }
    JWTClaimsSet claims = verify(subjectToken, provider);
    String subject = claims.getSubject();
    String principal = principal(audience, subject);
    String token = "ya29.d." + random(96);
    List<String> scopes = List.of(scope.split("\\s+"));
    issued.put(token, new Issued(principal, subject, audience, scopes, clock.instant().plus(lifetime)));
    exchanges.incrementAndGet();
    ObjectNode answer = JSON.createObjectNode();
    answer.put("access_token", token);
    answer.put("issued_token_type", ACCESS_TOKEN);
    answer.put("token_type", "Bearer");
    answer.put("expires_in", lifetime.toSeconds());
    return FakeHttpServer.Answer.json(200, answer.toString());
  }

  private JWTClaimsSet verify(String subjectToken, Provider provider) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(subjectToken);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new Rejection("invalid_grant", "Unable to parse the ID Token: it is not a signed JWT.");
    }
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!ALGORITHMS.contains(alg)) {
      throw new Rejection("invalid_grant", "The ID Token is signed with " + alg + "; supported: RS256, ES256.");
    }
    String kid = jwt.getHeader().getKeyID();
    if (kid == null || kid.isEmpty()) {
      throw new Rejection("invalid_grant", "The ID Token's header has no \"kid\".");
    }
    JWKSet keys;
    try {
      keys = JWKSet.parse(provider.jwks().get());
    } catch (ParseException | RuntimeException e) {
      throw new Rejection("invalid_grant", "Unable to read the JWKS of issuer " + provider.issuer() + ".");
    }
    JWK key = keys.getKeyByKeyId(kid);
    if (key == null) {
      throw new Rejection("invalid_grant", "Invalid JWT signature: the provider's JWKS has no key with kid \"" + kid
          + "\" (issuer " + provider.issuer() + "; was the signing key rotated?).");
    }
    if (!JwtSignatures.verifies(jwt, key)) {
      throw new Rejection("invalid_grant", "Invalid JWT signature.");
    }
    if (!provider.issuer().equals(claims.getIssuer())) {
      throw new Rejection("invalid_grant", "The issuer in ID Token [" + claims.getIssuer()
          + "] does not match the expected ones: [" + provider.issuer() + "].");
    }
    List<String> aud = claims.getAudience();
    List<String> accepted = provider.acceptedAudiences();
    if (aud.stream().noneMatch(accepted::contains)) {
      throw new Rejection("invalid_grant", "The audience in ID Token " + aud
          + " does not match the expected audience " + accepted.get(0) + ".");
    }
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    Date iat = claims.getIssueTime();
    Date nbf = claims.getNotBeforeTime();
    if (exp == null || iat == null) {
      throw new Rejection("invalid_grant", "The ID Token must carry \"exp\" and \"iat\".");
    }
    if (!now.isBefore(exp.toInstant())) {
      throw new Rejection("invalid_grant", "The ID Token expired at " + exp.toInstant() + " (now " + now + ").");
    }
    if (iat.toInstant().isAfter(now) || nbf != null && nbf.toInstant().isAfter(now)) {
      throw new Rejection("invalid_grant", "The ID Token is not valid yet: issued at " + iat.toInstant()
          + (nbf == null ? "" : ", not before " + nbf.toInstant()) + " (now " + now + ").");
    }
    String sub = claims.getSubject();
    if (sub == null || sub.isEmpty()) {
      throw new Rejection("invalid_grant", "The ID Token has no \"sub\" to map to google.subject.");
    }
    if (sub.getBytes(StandardCharsets.UTF_8).length > MAX_SUBJECT_BYTES) {
      throw new Rejection("invalid_request", "The size of mapped attribute google.subject exceeds the "
          + MAX_SUBJECT_BYTES + " bytes limit.");
    }
    if (provider.condition() != null && !provider.condition().test(claims.getClaims())) {
      throw new Rejection("unauthorized_client", "The given credential is rejected by the attribute condition.");
    }
    return claims;
  }


  static String random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, length);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        out.putIfAbsent(k, v);
      }
    }
    return out;
  }

  static FakeHttpServer.Answer error(int status, String error, String description) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", error);
    body.put("error_description", description);
    return FakeHttpServer.Answer.json(status, body.toString());
  }

  /** An exchange refused with an OAuth error code. */
  private static final class Rejection extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String error;

    Rejection(String error, String description) {
      super(description, null, false, false);
      this.error = error;
    }
  }

  @Override
  public String toString() {
    return "StsService" + Arrays.toString(providers.keySet().toArray());
  }
}
