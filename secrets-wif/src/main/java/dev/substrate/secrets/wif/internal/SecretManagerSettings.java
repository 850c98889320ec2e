package dev.substrate.secrets.wif.internal;

import dev.substrate.ConfigException;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.Redaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code secret_manager:} config section: where the Secret Manager client sends requests and with what, and the
 * Google service account ESO's Kubernetes ServiceAccount acts as under GKE Workload Identity.
 *
 * <pre>{@code
 * secret_manager:
 *   endpoint: https://secretmanager.googleapis.com   # default; http://127.0.0.1:PORT for a local fake
 *   parallelism: 8                                   # requests in flight at once (1-256)
 *   access_token_file: /run/token                    # a bearer token instead of ADC: for fakes and short-lived tokens
 *   service_account_email: eso@acme-ml.iam.gserviceaccount.com   # workload-identity: annotate ESO's ServiceAccount
 * }</pre>
 */
record SecretManagerSettings(String endpoint, int parallelism, Optional<Path> accessTokenFile,
    Optional<String> serviceAccountEmail) {
  static final String SECTION = "secret_manager";
  static final List<String> KEYS = List.of("endpoint", "parallelism", "access_token_file", "service_account_email");
  static final int DEFAULT_PARALLELISM = 8;
  private static final Pattern EMAIL = Pattern.compile("^[a-z0-9-]+@[a-z0-9-]+\\.iam\\.gserviceaccount\\.com$");

  static SecretManagerSettings from(SubstrateConfig config) {
    Map<String, Object> section = config.section(SECTION).orElse(Map.of());
    List<String> problems = new ArrayList<>();
    for (String key : section.keySet()) {
      if (!KEYS.contains(key)) {
        problems.add(SECTION + "." + key + " is not a known key (known: " + String.join(", ", KEYS) + ")");
      }
    }
    String endpoint = text(section.get("endpoint"));
    if (endpoint.isEmpty()) {
      endpoint = SecretManagerEndpoint.DEFAULT;
    } else {
      String problem = SecretManagerEndpoint.problem(endpoint);
      if (problem != null) {
        problems.add(problem);
      }
    }
    int parallelism = DEFAULT_PARALLELISM;
    Object p = section.get("parallelism");
    if (p != null) {
      String text = text(p);
      if (text.matches("[0-9]{1,3}") && Integer.parseInt(text) >= 1 && Integer.parseInt(text) <= 256) {
        parallelism = Integer.parseInt(text);
      } else {
        problems.add(SECTION + ".parallelism was '" + text + "' but must be a whole number from 1 to 256");
      }
    }
    String tokenFile = text(section.get("access_token_file"));
    if (Redaction.looksLikeToken(tokenFile)) {
      problems.add(SECTION + ".access_token_file looks like a token, not a file name (its value is not shown): it must "
          + "name a file holding the token, such as /run/token");
    }
    String email = text(section.get("service_account_email"));
    if (!email.isEmpty() && !EMAIL.matcher(email).matches()) {
      problems.add(SECTION + ".service_account_email was '" + email + "' but must be a Google service account, "
          + "NAME@PROJECT.iam.gserviceaccount.com");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new SecretManagerSettings(endpoint, parallelism,
        tokenFile.isEmpty() ? Optional.empty() : Optional.of(Path.of(tokenFile)),
        email.isEmpty() ? Optional.empty() : Optional.of(email));
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value).trim();
  }
}
