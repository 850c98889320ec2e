package dev.substrate.secrets.wif.internal;

import dev.substrate.SubstrateConfig;
import dev.substrate.spi.ConfigSection;
import java.util.List;
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
    return audienceReason(audience).map(reason -> key + " " + reason);
  }

  private static Optional<String> audienceReason(String audience) {
    if (audience != null && AUDIENCE.matcher(audience).matches()) {
      return Optional.empty();
    }
    Matcher reserved = audience == null ? null : RESERVED.matcher(audience);
    if (reserved != null && reserved.matches()) {
      return Optional.of("was '" + audience + "' but its " + (reserved.group(1).equals("providers")
          ? "provider" : "pool") + " id " + reserved.group(2) + " starts with gcp-, which Google reserves; create the "
          + "pool and provider with other ids");
    }
    return Optional.of("was '" + audience + "' but must be " + AUDIENCE_FORM);
  }
  private static final Pattern EMAIL = Pattern.compile("^.*@.*\\.iam\\.gserviceaccount\\.com$");

  public static WifSettings from(SubstrateConfig config) {
    ConfigSection section = ConfigSection.of(config, "wif", KEYS);
    String audience = section.string("audience", "");
    audienceReason(audience).ifPresent(reason -> section.report("audience", reason));
    Optional<String> email = section.string("service_account_email", e -> EMAIL.matcher(e).matches(),
        "must be a Google service account, NAME@PROJECT.iam.gserviceaccount.com");
    Optional<String> published = section.string("published_jwks");
    published.filter(p -> p.startsWith("http:") || (p.contains("://") && !p.startsWith("https://")))
        .ifPresent(p -> section.report("published_jwks", Shown.urlWas(p) + " must be an https URL or a file path"));
    section.check();
    return new WifSettings(audience, email, published);
  }

  /** The {@code https:} form of the audience, which a pool provider with no allowed audiences also accepts. */
  String httpsAudience() {
    return "https:" + audience;
  }

  /** The IAM principal of a Kubernetes ServiceAccount under this pool (mapping {@code google.subject=assertion.sub}). */
  public String principal(String subject) {
    String pool = audience.substring("//iam.googleapis.com/".length(), audience.indexOf("/providers/"));
    return "principal://iam.googleapis.com/" + pool + "/subject/" + subject;
  }
}
