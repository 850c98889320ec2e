package dev.substrate.hetzner.internal;

import dev.substrate.ConfigException;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.ConfigSection;
import dev.substrate.spi.Redaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code hetzner:} config section: where the Hetzner Cloud API token is (never the token itself) and how to reach
 * the API.
 *
 * <pre>{@code
 * hetzner:
 *   token_env: HCLOUD_TOKEN          # the environment variable holding the token (default)
 *   token_file: /run/secrets/hcloud  # or a file holding it; not both
 *   endpoint: https://api.hetzner.cloud/v1   # default: $HCLOUD_ENDPOINT, else this
 *   max_rate_limit_wait: 60          # seconds doctor may wait in all for the rate limit to reset
 *   parallelism: 8                   # list pages read at once, fewer when the rate limit runs low (1-32)
 * }</pre>
 */
public record HcloudSettings(Optional<String> tokenEnv, Optional<Path> tokenFile, Optional<String> endpoint,
    Duration maxRateLimitWait, int parallelism) {
  public static final String SECTION = "hetzner";
  public static final String DEFAULT_TOKEN_ENV = "HCLOUD_TOKEN";
  /** List pages read at once when {@code hetzner.parallelism} is not set. */
  public static final int DEFAULT_PARALLELISM = 8;
  /** The most {@code hetzner.parallelism} may be. */
  public static final int MAX_PARALLELISM = 32;
  static final List<String> KEYS = List.of("token_env", "token_file", "endpoint", "max_rate_limit_wait", "parallelism");
  /** How to turn on the checks that read the Hetzner Cloud API. */
  public static final String HOW_TO_ENABLE = "set " + DEFAULT_TOKEN_ENV + " (or the variable hetzner.token_env "
      + "names) or hetzner.token_file to a read-only Hetzner Cloud API token of the cluster's project";

  /** Reads the section, reporting every problem at once. */
  public static HcloudSettings from(SubstrateConfig config) {
    ConfigSection section = ConfigSection.of(config, SECTION, KEYS);
    // These keys say where the token is; a value that is not a name or path may be the token itself: never echo it.
    Optional<String> env = section.envVariable("token_env", DEFAULT_TOKEN_ENV);
    Optional<String> file = section.secretFile("token_file", "/run/secrets/hcloud");
    section.exclusive("token_env", "token_file");
    Optional<String> endpoint = section.string("endpoint");
    if (section.has("endpoint")) {
      String url = endpoint.orElse("");
      if (!url.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?([?#]\\S*)?")) {
        section.report("endpoint", "is not an http(s) URL (its value is not shown, as it may hold a token): it must be "
            + "one such as " + HcloudHttp.DEFAULT_ENDPOINT);
      } else if (!Redaction.url(url).equals(url)) {
        section.report("endpoint", "holds user info or a query, which may be credentials (its value is not shown): it "
            + "must be a plain http(s) URL such as " + HcloudHttp.DEFAULT_ENDPOINT + "; the token belongs in the "
            + "variable " + SECTION + ".token_env names or in " + SECTION + ".token_file");
      }
    }
    Duration wait = section.seconds("max_rate_limit_wait", Duration.ofSeconds(60), 0, 3600);
    int parallelism = section.integer("parallelism", DEFAULT_PARALLELISM, 1, MAX_PARALLELISM);
    section.check();
    return new HcloudSettings(env, file.map(Path::of), endpoint, wait, parallelism);
  }

  /**
   * The token, from {@code token_file} when one is named, else from the environment variable; empty when that
   * variable is unset or blank.
   *
   * @throws ConfigException when the named file cannot be read or is empty
   */
  public Optional<String> token(Function<String, String> env) {
    if (tokenFile.isPresent()) {
      Path file = tokenFile.get();
      String token;
      try {
        token = Files.readString(file, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new ConfigException(SECTION + ".token_file was '" + file + "' but must be a readable file holding the "
            + "Hetzner Cloud API token (" + e.getClass().getSimpleName() + ")");
      }
      if (token.isEmpty()) {
        throw new ConfigException(SECTION + ".token_file was '" + file + "' but must hold a Hetzner Cloud API token; "
            + "the file is empty");
      }
      return Optional.of(token);
    }
    String value = env.apply(tokenEnvName());
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** The environment variable the token is read from when no file is named. */
  public String tokenEnvName() {
    return tokenEnv.orElse(DEFAULT_TOKEN_ENV);
  }

  /** The API base: {@code hetzner.endpoint}, else {@code HCLOUD_ENDPOINT}, else Hetzner's. */
  public String endpoint(Function<String, String> env) {
    return endpoint.or(() -> Optional.ofNullable(env.apply("HCLOUD_ENDPOINT")).filter(e -> !e.isBlank()))
        .orElse(HcloudHttp.DEFAULT_ENDPOINT);
  }
}
