package dev.substrate.cloudfakes.aws.internal;

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
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STS's query API ({@code Version=2011-06-15}) for {@code AssumeRoleWithWebIdentity}: parameters from a form body or
 * the query, an XML answer, errors as {@code <ErrorResponse><Error><Type>Sender</Type><Code>...}. Shapes and codes after
 * botocore's {@code sts/2011-06-15/service-2.json} and
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html. No message quotes the web
 * identity token.
 */
public final class StsApi implements FakeHttpServer.Handler, FakeHttpServer.FailureAnswers {
  public static final String VERSION = "2011-06-15";
  private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
  /** {@code arn:aws:iam::ACCOUNT:role/PATH/NAME}. */
  public static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::(\\d{12}):role/(?:[\\w+=,.@/-]*/)?([\\w+=,.@-]{1,64})");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final String NOT_AUTHORIZED = "Not authorized to perform sts:AssumeRoleWithWebIdentity";

  /** A role and the trust policy that lets web identities of one OIDC issuer assume it. */
  public record Role(String arn, String issuer, Supplier<String> jwks, List<String> audiences, List<String> subjects,
      Duration maxSession) {}

  /** Temporary credentials the fake issued; the secret key and session token are held here, never shown. */
  public record Session(String accessKeyId, String secretAccessKey, String sessionToken, String roleArn,
      String assumedRoleArn, String subject, Instant expiration) {}

  private final Map<String, Role> roles = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicInteger assumed = new AtomicInteger();
  private final Clock clock;

  public StsApi(Clock clock) {
    this.clock = clock;
  }

  public void addRole(Role role) {
    roles.put(role.arn(), role);
  }

  public boolean removeRole(String arn) {
    return roles.remove(arn) != null;
  }

  /** The session of {@code accessKeyId} while it lives. */
  public Optional<Session> session(String accessKeyId) {
    Session s = accessKeyId == null ? null : sessions.get(accessKeyId);
    return s != null && clock.instant().isBefore(s.expiration()) ? Optional.of(s) : Optional.empty();
  }

  public void revokeAll() {
    sessions.clear();
  }

  public int assumed() {
    return assumed.get();
  }

  @Override
  public FakeHttpServer.Answer failure(int httpStatus) {
    String code = httpStatus == 429 || httpStatus == 400 ? "Throttling"
        : httpStatus == 503 ? "ServiceUnavailable"
        : httpStatus >= 500 ? "InternalFailure"
        : httpStatus == 403 ? "AccessDenied"
        : "InvalidAction";
    return error(new Refusal(httpStatus, code, "injected failure (HTTP " + httpStatus + ")"));
  }

  @Override
  public FakeHttpServer.Answer handle(FakeHttpServer.Call call) {
    try {
      if (!call.path().equals("/")) {
        throw new Refusal(404, "InvalidAction", "The fake STS serves only /, not " + call.path());
      }
      Map<String, String> params = new LinkedHashMap<>();
      parse(call.query(), params);
      if (call.method().equals("POST")) {
        String type = String.valueOf(call.header("Content-Type")).toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/x-www-form-urlencoded")) {
          throw new Refusal(400, "InvalidAction", "The request body must be application/x-www-form-urlencoded");
        }
        parse(call.bodyText(), params);
      } else if (!call.method().equals("GET")) {
        throw new Refusal(405, "InvalidAction", "Method " + call.method() + " is not allowed; use POST or GET");
      }
      String action = params.getOrDefault("Action", "");
      if (!action.equals("AssumeRoleWithWebIdentity")) {
        throw new Refusal(400, "InvalidAction", "Could not find operation " + action + " for version "
            + params.getOrDefault("Version", "NO_VERSION_SPECIFIED"));
      }
      if (!VERSION.equals(params.get("Version"))) {
        throw new Refusal(400, "InvalidAction", "Could not find operation " + action + " for version "
            + params.getOrDefault("Version", "NO_VERSION_SPECIFIED"));
      }
      return assume(params);
    } catch (Refusal r) {
      return error(r);
    }
  }

  private FakeHttpServer.Answer assume(Map<String, String> params) {
    String roleArn = required(params, "RoleArn", "roleArn");
    String sessionName = required(params, "RoleSessionName", "roleSessionName");
    String token = required(params, "WebIdentityToken", "webIdentityToken");
    if (!SESSION_NAME.matcher(sessionName).matches()) {
      throw new Refusal(400, "ValidationError", "1 validation error detected: Value at 'roleSessionName' failed to "
          + "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and length 2-64");
    }
    Matcher arn = ROLE_ARN.matcher(roleArn);
    if (!arn.matches()) {
      throw new Refusal(400, "ValidationError", "Request ARN is invalid");
    }
    if (token.length() < 4 || token.length() > 20000) {
      throw new Refusal(400, "ValidationError", "1 validation error detected: Value at 'webIdentityToken' failed to "
          + "satisfy constraint: Member must have length between 4 and 20000");
    }
    JWTClaimsSet claims = parseToken(token);
    String issuer = claims.getIssuer();
    if (issuer == null || roles.values().stream().noneMatch(r -> r.issuer().equals(issuer))) {
      throw new Refusal(400, "InvalidIdentityToken", "No OpenIDConnect provider found in your account for "
          + issuer);
    }
    Role role = roles.get(roleArn);
    if (role == null || !role.issuer().equals(issuer)) {
      throw new Refusal(403, "AccessDenied", NOT_AUTHORIZED);
    }
    verifySignature(token, role);
    List<String> aud = claims.getAudience();
    if (aud == null || aud.stream().noneMatch(role.audiences()::contains)) {
      throw new Refusal(400, "InvalidIdentityToken", "Incorrect token audience");
    }
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null || !now.isBefore(exp.toInstant())) {
      throw new Refusal(400, "ExpiredTokenException", "Token expired: current date/time " + now
          + " must be before the expiration date/time " + (exp == null ? "(none)" : exp.toInstant()));
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().isAfter(now)) {
      throw new Refusal(400, "InvalidIdentityToken", "Token is not valid before " + nbf.toInstant());
    }
    String sub = claims.getSubject();
    if (sub == null || !role.subjects().isEmpty() && !role.subjects().contains(sub)) {
      throw new Refusal(403, "AccessDenied", NOT_AUTHORIZED);
    }
    Duration duration = Duration.ofSeconds(3600);
    if (params.containsKey("DurationSeconds")) {
      long seconds;
      try {
        seconds = Long.parseLong(params.get("DurationSeconds"));
      } catch (NumberFormatException e) {
        seconds = -1;
      }
      if (seconds < 900 || seconds > 43200) {
        throw new Refusal(400, "ValidationError", "1 validation error detected: Value at 'durationSeconds' failed "
            + "to satisfy constraint: Member must have value between 900 and 43200");
      }
      duration = Duration.ofSeconds(seconds);
      if (duration.compareTo(role.maxSession()) > 0) {
        throw new Refusal(400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set "
            + "for this role.");
      }
    }
    String account = arn.group(1);
    String roleName = arn.group(2);
    String assumedArn = "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName;
    Session session = new Session("ASIA" + random(KEY_CHARS, 16), random(null, 40), "FQoGZXIvYXdzE" + random(null, 300),
        roleArn, assumedArn, sub, now.plus(duration).truncatedTo(ChronoUnit.SECONDS));
    sessions.put(session.accessKeyId(), session);
    assumed.incrementAndGet();
    String audience = aud.stream().filter(role.audiences()::contains).findFirst().orElseThrow();
    String roleId = "AROA" + Integer.toHexString(Math.abs(roleArn.hashCode())).toUpperCase(Locale.ROOT);
    String body = "<AssumeRoleWithWebIdentityResponse xmlns=\"" + NS + "\">\n"
        + "  <AssumeRoleWithWebIdentityResult>\n"
        + "    <Audience>" + xml(audience) + "</Audience>\n"
        + "    <AssumedRoleUser>\n"
        + "      <AssumedRoleId>" + xml(roleId + ":" + sessionName) + "</AssumedRoleId>\n"
        + "      <Arn>" + xml(assumedArn) + "</Arn>\n"
        + "    </AssumedRoleUser>\n"
        + "    <Provider>" + xml(issuer) + "</Provider>\n"
        + "    <Credentials>\n"
        + "      <AccessKeyId>" + session.accessKeyId() + "</AccessKeyId>\n"
        + "      <SecretAccessKey>" + session.secretAccessKey() + "</SecretAccessKey>\n"
        + "      <SessionToken>" + session.sessionToken() + "</SessionToken>\n"
        + "      <Expiration>" + DateTimeFormatter.ISO_INSTANT.format(session.expiration()) + "</Expiration>\n"
        + "    </Credentials>\n"
        + "    <SubjectFromWebIdentityToken>" + xml(sub) + "</SubjectFromWebIdentityToken>\n"
        + "  </AssumeRoleWithWebIdentityResult>\n"
        + "  <ResponseMetadata>\n"
        + "    <RequestId>" + UUID.randomUUID() + "</RequestId>\n"
        + "  </ResponseMetadata>\n"
        + "</AssumeRoleWithWebIdentityResponse>\n";
    return new FakeHttpServer.Answer(200, "text/xml", body, Map.of());
  }

  private static JWTClaimsSet parseToken(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
        throw new Refusal(400, "InvalidIdentityToken", "The web identity token is signed with "
            + jwt.getHeader().getAlgorithm() + "; supported: RS256, ES256.");
      }
      return jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new Refusal(400, "InvalidIdentityToken", "The web identity token is not a signed JWT.");
    }
  }

  private static void verifySignature(String token, Role role) {
    SignedJWT jwt;
    JWK key;
    try {
      jwt = SignedJWT.parse(token);
      String kid = jwt.getHeader().getKeyID();
      key = kid == null ? null : JWKSet.parse(role.jwks().get()).getKeyByKeyId(kid);
    } catch (ParseException | RuntimeException e) {
      key = null;
      jwt = null;
    }
    if (key == null) {
      throw new Refusal(400, "InvalidIdentityToken", "Couldn't retrieve verification key from your identity "
          + "provider, please reference AssumeRoleWithWebIdentity documentation for requirements");
    }
    if (JwtSignatures.verifies(jwt, key)) {
      return;
    }
    throw new Refusal(400, "InvalidIdentityToken", "The web identity token's signature does not verify against "
        + "the key its kid names in the provider's JWKS.");
  }

  private static String required(Map<String, String> params, String name, String member) {
    String v = params.get(name);
    if (v == null || v.isEmpty()) {
      throw new Refusal(400, "ValidationError", "1 validation error detected: Value null at '" + member
          + "' failed to satisfy constraint: Member must not be null");
    }
    return v;
  }

  private static void parse(String encoded, Map<String, String> out) {
    if (encoded == null) {
      return;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new Refusal(400, "MalformedQueryString", "The request is not URL-encoded.");
      }
    }
  }

  private static String random(char[] alphabet, int length) {
    if (alphabet == null) {
      byte[] bytes = new byte[length];
      RANDOM.nextBytes(bytes);
      return java.util.Base64.getEncoder().withoutPadding().encodeToString(bytes).substring(0, length);
    }
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(alphabet[RANDOM.nextInt(alphabet.length)]);
    }
    return b.toString();
  }

  static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static FakeHttpServer.Answer error(Refusal r) {
    String type = r.status >= 500 ? "Receiver" : "Sender";
    String body = "<ErrorResponse xmlns=\"" + NS + "\">\n"
        + "  <Error>\n"
        + "    <Type>" + type + "</Type>\n"
        + "    <Code>" + r.code + "</Code>\n"
        + "    <Message>" + xml(r.getMessage()) + "</Message>\n"
        + "  </Error>\n"
        + "  <RequestId>" + UUID.randomUUID() + "</RequestId>\n"
        + "</ErrorResponse>\n";
    return new FakeHttpServer.Answer(r.status, "text/xml", body, Map.of());
  }

  /** A request refused with an STS error code. */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    Refusal(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }
}
