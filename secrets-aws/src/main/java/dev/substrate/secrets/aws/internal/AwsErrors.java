package dev.substrate.secrets.aws.internal;

import dev.substrate.BackendException;
import dev.substrate.SecretValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Maps AWS SDK failures to {@link BackendException}: the service's status and error code, transient for throttling,
 * 5xx and no answer at all. The message is built here from the error code and the service's one-line message, with
 * anything that could be the value (as text or base64) or a token scrubbed; the SDK exception is not kept as the cause.
 */
public final class AwsErrors {
  /** Error codes AWS answers when a request may succeed later (Secrets Manager and STS, JSON and query protocols). */
  private static final Set<String> TRANSIENT_CODES = Set.of("ThrottlingException", "Throttling",
      "TooManyRequestsException", "RequestLimitExceeded", "ServiceUnavailable", "ServiceUnavailableException",
      "InternalServiceError", "InternalServiceErrorException", "InternalFailure", "IDPCommunicationError");
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  private static final int MAX_DETAIL = 300;

  private AwsErrors() {}

  /** {@code e} as a {@link BackendException} of {@code provider} for {@code operation} on {@code secret}. */
  public static BackendException map(String provider, String operation, String secret, SdkException e,
      SecretValue value) {
    if (e instanceof AwsServiceException service) {
      String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      String message = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorMessage();
      int status = service.statusCode();
      boolean transientFailure = status == 429 || status >= 500 || service.isThrottlingException()
          || (code != null && TRANSIENT_CODES.contains(code));
      String detail = (code == null ? "" : code) + (message == null || message.isBlank() ? "" : ": " + message);
      if (e instanceof StsException) {
        detail = "STS refused the credentials (AssumeRoleWithWebIdentity): " + detail;
      }
      return new BackendException(provider, operation, secret, status, transientFailure, scrub(detail, value), null);
    }
    String why = e instanceof SdkClientException ? "no answer: " + rootMessage(e) : rootMessage(e);
    return new BackendException(provider, operation, secret, 0, true, scrub(why, value), null);
  }

  /**
   * A failure to obtain credentials that is not the SDK's, such as a web identity token that could not be minted:
   * transient, but for a refused TokenRequest ({@link TokenRequests.Refused}), which keeps its status.
   */
  public static BackendException credentials(String provider, String operation, String secret, RuntimeException e,
      SecretValue value) {
    int status = 0;
    boolean transientFailure = true;
    if (e instanceof TokenRequests.Refused refused) {
      status = refused.status();
      transientFailure = false;
    }
    return new BackendException(provider, operation, secret, status, transientFailure,
        scrub("could not obtain credentials: " + rootMessage(e), value), null);
  }

  /** {@code e} in one scrubbed line: {@code (status N) CODE: message}, or {@code no answer: ...}. */
  public static String describe(SdkException e) {
    BackendException mapped = map("", "", null, e, null);
    return mapped.status().isPresent() ? "(status " + mapped.status().getAsInt() + ") " + detail(mapped)
        : detail(mapped);
  }

  private static String detail(BackendException e) {
    String message = e.getMessage();
    int colon = message.indexOf("failed");
    String rest = message.substring(colon + "failed".length());
    rest = rest.replaceFirst("^ \\(status \\d+\\)", "");
    return rest.startsWith(": ") ? rest.substring(2) : rest.strip();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
  }

  /** {@code text} without the value (as text or base64) and without JWT-shaped tokens, on one line, bounded. */
  static String scrub(String text, SecretValue value) {
    String out = text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
    if (value != null && value.length() > 0) {
      byte[] bytes = value.revealBytes();
      String plain = new String(bytes, StandardCharsets.UTF_8);
      if (!plain.isBlank()) {
        out = out.replace(plain, "<redacted>");
      }
      out = out.replace(Base64.getEncoder().encodeToString(bytes), "<redacted>");
    }
    out = JWT.matcher(out).replaceAll("<token>");
    return out.length() > MAX_DETAIL ? out.substring(0, MAX_DETAIL) + "…" : out;
  }
}
