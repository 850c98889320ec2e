package dev.substrate.secrets.gcp;

import dev.substrate.SubstrateConfig;
import dev.substrate.spi.ConfigSection;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Typed reads and overrides of the {@code wif:} and {@code secret_manager:} sections, so tools need not spell keys. */
public final class GoogleConfig {
  /** Secret Manager requests in flight at once when {@code secret_manager.parallelism} is not set. */
  public static final int DEFAULT_PARALLELISM = 8;

  private GoogleConfig() {}

  /**
   * {@code secret_manager.parallelism} when it is a whole number, else {@link #DEFAULT_PARALLELISM}; the backend
   * reports an invalid one itself.
   */
  public static int parallelism(SubstrateConfig config) {
    Object value = config.section("secret_manager").map(s -> s.get("parallelism")).orElse(null);
    try {
      return value == null ? DEFAULT_PARALLELISM : Integer.parseInt(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      return DEFAULT_PARALLELISM;
    }
  }

  /** {@code config} with {@code secret_manager.parallelism} set to {@code parallelism}. */
  public static SubstrateConfig withParallelism(SubstrateConfig config, int parallelism) {
    return ConfigSection.override(config, "secret_manager", Map.of("parallelism", parallelism));
  }

  /** {@code wif.audience}, if set. */
  public static Optional<String> audience(SubstrateConfig config) {
    return config.section("wif").map(s -> s.get("audience")).map(String::valueOf);
  }

  /** {@code config} with {@code wif.published_jwks} naming {@code jwks}, the JWKS uploaded to the pool provider. */
  public static SubstrateConfig withPublishedJwks(SubstrateConfig config, Path jwks) {
    return ConfigSection.override(config, "wif", Map.of("published_jwks", jwks.toString()));
  }
}
