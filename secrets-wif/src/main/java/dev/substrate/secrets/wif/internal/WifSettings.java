package dev.substrate.secrets.wif.internal;

import dev.substrate.ConfigException;
import dev.substrate.SubstrateConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code wif:} config section: the workload identity pool provider and the Google service account to act as. */
record WifSettings(String audience, Optional<String> serviceAccountEmail) {
  static final List<String> KEYS = List.of("audience", "service_account_email");
  private static final Pattern AUDIENCE = Pattern.compile(
      "//iam\\.googleapis\\.com/projects/\\d+/locations/global/workloadIdentityPools/[a-z0-9-]+/providers/[a-z0-9-]+");
  private static final Pattern EMAIL = Pattern.compile("^.*@.*\\.iam\\.gserviceaccount\\.com$");

  static WifSettings from(SubstrateConfig config) {
    Map<String, Object> section = config.section("wif").orElse(Map.of());
    List<String> problems = new ArrayList<>();
    for (String key : section.keySet()) {
      if (!KEYS.contains(key)) {
        problems.add("wif." + key + " is not a known key (known: " + String.join(", ", KEYS) + ")");
      }
    }
    String audience = text(section.get("audience"));
    if (!AUDIENCE.matcher(audience).matches()) {
      problems.add("wif.audience was '" + audience + "' but must be the workload identity pool provider, "
          + "//iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER");
    }
    String email = text(section.get("service_account_email"));
    if (!email.isEmpty() && !EMAIL.matcher(email).matches()) {
      problems.add("wif.service_account_email was '" + email + "' but must be a Google service account, "
          + "NAME@PROJECT.iam.gserviceaccount.com");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new WifSettings(audience, email.isEmpty() ? Optional.empty() : Optional.of(email));
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value).trim();
  }
}
