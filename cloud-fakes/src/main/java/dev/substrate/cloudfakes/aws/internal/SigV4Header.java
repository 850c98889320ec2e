package dev.substrate.cloudfakes.aws.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of an {@code Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
 * SignedHeaders=..., Signature=HEX} header (the form of
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html). Its form is checked, not the
 * signature's value.
 */
public record SigV4Header(String accessKeyId, String date, String region, String service) {
  private static final Pattern FORM = Pattern.compile("AWS4-HMAC-SHA256\\s+Credential=([A-Za-z0-9]{16,128})/(\\d{8})/"
      + "([a-z0-9-]+)/([a-z0-9-]+)/aws4_request,\\s*SignedHeaders=([a-z0-9;-]+),\\s*Signature=([0-9a-f]{64})");

  /** Why a request is not signed as AWS asks: an error code, its HTTP status and a message. */
  public record Problem(String code, int status, String message) {}

  /** The parsed header, or null when {@code value} does not have the form (see {@link #check}). */
  public static SigV4Header parse(String value) {
    Matcher m = value == null ? null : FORM.matcher(value.trim());
    if (m == null || !m.matches()) {
      return null;
    }
    if (!(";" + m.group(5) + ";").contains(";host;")) {
      return null;
    }
    return new SigV4Header(m.group(1), m.group(2), m.group(3), m.group(4));
  }

  /**
   * Checks presence and form of the signature headers of a request to {@code service} in {@code region}: null when
   * they are well formed, else the problem as AWS words it (MissingAuthenticationToken 403, IncompleteSignature 400,
   * InvalidSignatureException 400 for a credential scoped to another service or region).
   */
  public static Problem check(String authorization, String amzDate, String service, String region) {
    if (authorization == null || authorization.isBlank()) {
      return new Problem("MissingAuthenticationToken", 403, "Missing Authentication Token");
    }
    SigV4Header h = parse(authorization);
    if (h == null) {
      return new Problem("IncompleteSignature", 400, "Authorization header requires 'Credential', 'SignedHeaders' "
          + "(with host) and 'Signature' parameters in the AWS4-HMAC-SHA256 form.");
    }
    if (amzDate == null || !amzDate.matches("\\d{8}T\\d{6}Z") || !amzDate.startsWith(h.date())) {
      return new Problem("IncompleteSignature", 400, "Authorization header requires an X-Amz-Date header "
          + "(yyyyMMddTHHmmssZ) of the credential scope's date.");
    }
    if (!h.service().equals(service)) {
      return new Problem("InvalidSignatureException", 400, "Credential should be scoped to correct service: '"
          + service + "'.");
    }
    if (!h.region().equals(region)) {
      return new Problem("InvalidSignatureException", 400, "Credential should be scoped to a valid region, not '"
          + h.region() + "'.");
    }
    return null;
  }
}
