package dev.substrate.secrets.wif.internal;

import dev.substrate.ConfigException;
import dev.substrate.SubstrateConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code wif:} config section: the workload identity pool provider, the Google service account to act as, and
 * where Google reads the cluster's keys.
 *
 * <pre>{@code
 * wif:
 *   audience: //iam.googleapis.com/projects/NUM/locations/global/workloadIdentityPools/POOL/providers/PROVIDER
 *   service_account_email: eso@acme-ml.iam.gserviceaccount.com   # optional: impersonate it
 *   published_jwks: jwks.json     # optional: the JWKS uploaded to the provider (a file) or hosted (an https URL);
 *                                 # default: the issuer's jwks_uri
 * }</pre>
 */
public record WifSettings(String audience, Optional<String> serviceAccountEmail, Optional<String> publishedJwks) {
  static final List<String> KEYS = List.of("audience", "service_account_email", "published_jwks");
  /**
   * A workload identity pool provider's full name; pool and provider ids are 4-32 lowercase letters, digits, hyphens,
   * and do not start with {@code gcp-}, which Google reserves (workloadIdentityPoolId and
   * workloadIdentityPoolProviderId in https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools/create
   * and .../projects.locations.workloadIdentityPools.providers/create).
   */
  public static final Pattern AUDIENCE = Pattern.compile("//iam\\.googleapis\\.com/projects/\\d+/locations/global/"
      + "workloadIdentityPools/(?!gcp-)[a-z0-9-]{4,32}/providers/(?!gcp-)[a-z0-9-]{4,32}");

  /** What {@link #AUDIENCE} must be, for error messages. */
  public static final String AUDIENCE_FORM = "the workload identity pool provider, //iam.googleapis.com/projects/"
      + "NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER (POOL and PROVIDER 4-32 lowercase "
      + "letters, digits or hyphens, not starting with gcp-)";
  private static final Pattern RESERVED = Pattern.compile(".*/(workloadIdentityPools|providers)/(gcp-[^/]*).*");

  /**
   * The problem with {@code audience} given as {@code key}, if any: a one-liner naming the key, and the reserved id
   * when that is what is wrong.
   */
  public static Optional<String> audienceProblem(String key, String audience) {
    if (audience != null && AUDIENCE.matcher(audience).matches()) {
      return Optional.empty();
    }
    Matcher reserved = audience == null ? null : RESERVED.matcher(audience);
    if (reserved != null && reserved.matches()) {
      return Optional.of(key + " was '" + audience + "' but its " + (reserved.group(1).equals("providers")
          ? "provider" : "pool") + " id " + reserved.group(2) + " starts with gcp-, which Google reserves; create the "
          + "pool and provider with other ids");
    }
    return Optional.of(key + " was '" + audience + "' but must be " + AUDIENCE_FORM);
  }
  private static final Pattern EMAIL = Pattern.compile("^.*@.*\\.iam\\.gserviceaccount\\.com$");

  public static WifSettings from(SubstrateConfig config) {
    Map<String, Object> section = config.section("wif").orElse(Map.of());
    List<String> problems = new ArrayList<>();
    for (String key : section.keySet()) {
      if (!KEYS.contains(key)) {
        problems.add("wif." + key + " is not a known key (known: " + String.join(", ", KEYS) + ")");
      }
    }
    String audience = text(section.get("audience"));
    audienceProblem("wif.audience", audience).ifPresent(problems::add);
    String email = text(section.get("service_account_email"));
    if (!email.isEmpty() && !EMAIL.matcher(email).matches()) {
      problems.add("wif.service_account_email was '" + email + "' but must be a Google service account, "
          + "NAME@PROJECT.iam.gserviceaccount.com");
    }
    String published = text(section.get("published_jwks"));
    if (published.startsWith("http:") || (published.contains("://") && !published.startsWith("https://"))) {
      problems.add(Shown.urlKey("wif.published_jwks", published) + " must be an https URL or a file path");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new WifSettings(audience, email.isEmpty() ? Optional.empty() : Optional.of(email),
        published.isEmpty() ? Optional.empty() : Optional.of(published));
  }

  /** The {@code https:} form of the audience, which a pool provider with no allowed audiences also accepts. */
  String httpsAudience() {
    return "https:" + audience;
  }

  /** The IAM principal of a Kubernetes ServiceAccount under this pool (mapping {@code google.subject=assertion.sub}). */
  String principal(String subject) {
    String pool = audience.substring("//iam.googleapis.com/".length(), audience.indexOf("/providers/"));
    return "principal://iam.googleapis.com/" + pool + "/subject/" + subject;
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value).trim();
  }
}
