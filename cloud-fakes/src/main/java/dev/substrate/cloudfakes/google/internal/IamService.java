package dev.substrate.cloudfakes.google.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.cloudfakes.FakeHttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IAM Credentials' {@code POST /v1/projects/-/serviceAccounts/{email}:generateAccessToken}: the bearer must be a live
 * token of the linked STS (or of this fake), whose principal was granted {@code roles/iam.workloadIdentityUser} (or
 * {@code roles/iam.serviceAccountTokenCreator}) on the service account; it answers {@code accessToken} and
 * {@code expireTime} ({@code yyyy-MM-ddTHH:mm:ssZ}, UTC). Errors are Google's JSON errors.
 */
public final class IamService implements FakeHttpServer.Handler, FakeHttpServer.FailureAnswers {
  /** The permission a caller needs, as IAM names it in its errors. */
  public static final String PERMISSION = "iam.serviceAccounts.getAccessToken";
  /** The scopes that let a token call IAM Credentials. */
  public static final Set<String> CALLER_SCOPES = Set.of("https://www.googleapis.com/auth/cloud-platform",
      "https://www.googleapis.com/auth/iam");
  /** {@code expireTime} as IAM writes it (without fractional seconds, which old google-auth-library cannot parse). */
  public static final DateTimeFormatter EXPIRE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);

  private static final Pattern PATH = Pattern.compile("/v1/projects/([^/]+)/serviceAccounts/([^/:]+):(\\w+)");
  private static final Pattern LIFETIME = Pattern.compile("(\\d+)(\\.\\d{1,9})?s");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An access token this fake issued for a service account (the value itself is the map key). */
  public record Issued(String serviceAccount, String caller, List<String> scopes, Instant expiresAt) {}

  private final Function<String, Optional<StsService.Issued>> sts;
  private final Clock clock;
  private final Duration maxLifetime;
  private final Map<String, Set<String>> grants = new ConcurrentHashMap<>();
  private final Map<String, Issued> issued = new ConcurrentHashMap<>();
  private final AtomicInteger generated = new AtomicInteger();

  public IamService(Function<String, Optional<StsService.Issued>> sts, Clock clock, Duration maxLifetime) {
    this.sts = sts;
    this.clock = clock;
    this.maxLifetime = maxLifetime;
  }

  public void grant(String email, String principal) {
    grants.computeIfAbsent(email, e -> ConcurrentHashMap.newKeySet()).add(principal);
  }

  public boolean revoke(String email, String principal) {
    Set<String> members = grants.get(email);
    return members != null && members.remove(principal);
  }

  /** The token's record while it is live. */
  public Optional<Issued> lookup(String token) {
    Issued i = token == null ? null : issued.get(token);
    return i != null && clock.instant().isBefore(i.expiresAt()) ? Optional.of(i) : Optional.empty();
  }

  public void revokeAll() {
    issued.clear();
  }

  /** How many access tokens were generated. */
  public int generated() {
    return generated.get();
  }

  /** Whether {@code principal} may get tokens for {@code email}: granted itself or through its pool's principalSet. */
  public boolean allowed(String email, String principal) {
    Set<String> members = grants.getOrDefault(email, Set.of());
    if (members.contains(principal)) {
      return true;
    }
    for (String member : members) {
      if (member.startsWith("principalSet://") && member.endsWith("/*")) {
        String pool = "principal://" + member.substring("principalSet://".length(), member.length() - 1);
        if (principal.startsWith(pool + "subject/")) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public FakeHttpServer.Answer handle(FakeHttpServer.Call call) {
    try {
      return generate(call);
    } catch (GoogleError e) {
      return error(e.httpStatus(), e.status(), e.getMessage(), null);
    } catch (Denied d) {
      return error(403, "PERMISSION_DENIED", d.getMessage(), d.reason);
    }
  }

  @Override
  public FakeHttpServer.Answer failure(int httpStatus) {
    GoogleError e = GoogleError.of(httpStatus);
    return error(httpStatus, e.status(), e.getMessage(), null);
  }

  private FakeHttpServer.Answer generate(FakeHttpServer.Call call) {
    Matcher m = PATH.matcher(call.path());
    if (!m.matches()) {
      throw GoogleError.notFound("The fake IAM Credentials does not serve " + call.method() + " " + call.path());
    }
    if (!m.group(3).equals("generateAccessToken")) {
      throw new GoogleError(501, "UNIMPLEMENTED", "The fake IAM Credentials serves generateAccessToken only, not "
          + m.group(3));
    }
    if (!call.method().equals("POST")) {
      throw GoogleError.notFound("The fake IAM Credentials does not serve " + call.method() + " " + call.path());
    }
    if (!m.group(1).equals("-")) {
      throw GoogleError.invalid("The project in the resource name must be the wildcard '-': projects/-/serviceAccounts/"
          + "{ACCOUNT_EMAIL_OR_UNIQUEID}");
    }
    String email = m.group(2);
    String caller = authenticate(call.header("Authorization"));

    JsonNode body;
    try {
      body = call.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(call.body());
    } catch (IOException e) {
      throw GoogleError.invalid("Invalid JSON payload received.");
    }
    if (!body.isObject()) {
      throw GoogleError.invalid("Invalid JSON payload received. Expected an object.");
    }
    List<String> scopes = new ArrayList<>();
    body.path("scope").forEach(s -> scopes.add(s.asText()));
    if (scopes.isEmpty()) {
      throw GoogleError.invalid("Scope required.");
    }
    if (body.path("delegates").size() > 0) {
      throw GoogleError.invalid("The fake IAM Credentials does not support delegation chains (delegates).");
    }
    Duration lifetime = lifetime(body.path("lifetime"));
    if (!allowed(email, caller)) {
      throw new Denied("Permission '" + PERMISSION + "' denied on resource (or it may not exist).",
          "IAM_PERMISSION_DENIED");
    }
    Instant expiry = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(lifetime);
    String token = "ya29.c." + StsService.random(160);
    issued.put(token, new Issued(email, caller, List.copyOf(scopes), expiry));
    generated.incrementAndGet();
    ObjectNode answer = JSON.createObjectNode();
    answer.put("accessToken", token);
    answer.put("expireTime", EXPIRE_TIME.format(expiry));
    return FakeHttpServer.Answer.json(200, answer.toString());
  }

  /** The caller's principal: a live STS token's, or {@code serviceAccount:EMAIL} for a token of this fake. */
  private String authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new GoogleError(401, "UNAUTHENTICATED", "Request is missing required authentication credential. "
          + "Expected OAuth 2 access token, login cookie or other valid authentication credential.");
    }
    String token = authorization.substring(7).trim();
    Optional<StsService.Issued> federated = sts.apply(token);
    String principal;
    List<String> scopes;
    if (federated.isPresent()) {
      principal = federated.get().principal();
      scopes = federated.get().scopes();
    } else {
      Issued own = lookup(token).orElseThrow(() -> GoogleError.of(401));
      principal = "serviceAccount:" + own.serviceAccount();
      scopes = own.scopes();
    }
    if (scopes.stream().noneMatch(CALLER_SCOPES::contains)) {
      throw new Denied("Request had insufficient authentication scopes.", "ACCESS_TOKEN_SCOPE_INSUFFICIENT");
    }
    return principal;
  }

  private Duration lifetime(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return Duration.ofHours(1);
    }
    Matcher m = LIFETIME.matcher(node.asText());
    if (!m.matches()) {
      throw GoogleError.invalid("Invalid value at 'lifetime' (type.googleapis.com/google.protobuf.Duration), \""
          + node.asText() + "\"");
    }
    BigDecimal seconds = new BigDecimal(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
    if (seconds.signum() <= 0 || seconds.compareTo(BigDecimal.valueOf(maxLifetime.toSeconds())) > 0) {
      throw GoogleError.invalid("The lifetime requested (" + node.asText() + ") is not valid: it must be between 1s and "
          + maxLifetime.toSeconds() + "s.");
    }
    return Duration.ofSeconds(seconds.longValue());
  }

  private static FakeHttpServer.Answer error(int status, String statusName, String message, String reason) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("code", status);
    error.put("message", message);
    error.put("status", statusName);
    if (reason != null) {
      ArrayNode details = error.putArray("details");
      ObjectNode info = details.addObject();
      info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
      info.put("reason", reason);
      info.put("domain", "iam.googleapis.com");
      if (reason.equals("IAM_PERMISSION_DENIED")) {
        info.putObject("metadata").put("permission", PERMISSION);
      }
    }
    FakeHttpServer.Answer answer = FakeHttpServer.Answer.json(status, root.toString());
    return status == 401 ? answer.withHeader("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\"")
        : answer;
  }

  /** A 403 PERMISSION_DENIED with an ErrorInfo reason. */
  private static final class Denied extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    Denied(String message, String reason) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }
}
