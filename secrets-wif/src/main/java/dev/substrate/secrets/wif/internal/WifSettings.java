package dev.substrate.secrets.wif.internal;

import dev.substrate.ConfigException;
import dev.substrate.SubstrateConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  /** A workload identity pool provider's full name; pool and provider ids are 4-32 lowercase letters, digits, hyphens. */
  public static final Pattern AUDIENCE = Pattern.compile("//iam\\.googleapis\\.com/projects/\\d+/locations/global/"
      + "workloadIdentityPools/[a-z0-9-]{4,32}/providers/[a-z0-9-]{4,32}");

  /** What {@link #AUDIENCE} must be, for error messages. */
  public static final String AUDIENCE_FORM = "the workload identity pool provider, //iam.googleapis.com/projects/"
      + "NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER (POOL and PROVIDER 4-32 lowercase "
      + "letters, digits or hyphens)";
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
    if (!AUDIENCE.matcher(audience).matches()) {
      problems.add("wif.audience was '" + audience + "' but must be " + AUDIENCE_FORM);
    }
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
