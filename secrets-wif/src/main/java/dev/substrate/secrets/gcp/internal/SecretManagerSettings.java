package dev.substrate.secrets.gcp.internal;

import dev.substrate.SubstrateConfig;
import dev.substrate.spi.ConfigSection;
import java.nio.file.Path;
import java.util.List;
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
    ConfigSection section = ConfigSection.of(config, SECTION, KEYS);
    String endpoint = section.string("endpoint", SecretManagerEndpoint.DEFAULT);
    String reason = SecretManagerEndpoint.reason(endpoint);
    if (reason != null) {
      section.report("endpoint", reason);
    }
    int parallelism = section.integer("parallelism", DEFAULT_PARALLELISM, 1, 256);
    Optional<String> tokenFile = section.secretFile("access_token_file", "/run/token");
    Optional<String> email = section.string("service_account_email", e -> EMAIL.matcher(e).matches(),
        "must be a Google service account, NAME@PROJECT.iam.gserviceaccount.com");
    section.check();
    return new SecretManagerSettings(endpoint, parallelism, tokenFile.map(Path::of), email);
  }
}
