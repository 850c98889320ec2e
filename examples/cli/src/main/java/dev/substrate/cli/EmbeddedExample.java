package dev.substrate.cli;

import dev.substrate.SubstrateConfig;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import dev.substrate.secrets.gcp.GoogleConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * For {@code --embedded PRESET} without {@code -c}: the config the preset's cluster was made for
 * ({@link ClusterPreset#exampleConfig()}), so the first run is a complete example that passes. Where that config uses
 * keyless federation, the JWKS the pool provider was given is written to a temporary file for
 * {@code wif.published_jwks}; it goes when this closes. With {@code -c}, or a real cluster, the config is the user's.
 */
final class EmbeddedExample implements AutoCloseable {
  private final SubstrateConfig config;
  private final Path jwks;

  private EmbeddedExample(SubstrateConfig config, Path jwks) {
    this.config = config;
    this.jwks = jwks;
  }

  static EmbeddedExample of(ConfigOptions options, Optional<EmbeddedCluster> embedded, ClusterPreset preset,
      PrintWriter err) {
    Optional<SubstrateConfig> fromPreset = options.presetConfig(preset);
    if (fromPreset.isEmpty() || embedded.isEmpty()) {
      return new EmbeddedExample(options.load(), null);
    }
    SubstrateConfig example = fromPreset.get();
    Optional<String> audience = GoogleConfig.audience(example);
    if (audience.isEmpty()) {
      return new EmbeddedExample(example, null);
    }
    Path file;
    try {
      file = Files.createTempFile("substrate-embedded-", ".jwks.json");
      Files.writeString(file, embedded.get().oidc().jwksJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ConfigOptions.progress(err, "no -c FILE: using the config the embedded " + preset.id()
        + " cluster was made for (wif.audience " + audience.get() + ", its JWKS uploaded to the pool provider)");
    return new EmbeddedExample(GoogleConfig.withPublishedJwks(example, file), file);
  }

  SubstrateConfig config() {
    return config;
  }

  @Override
  public void close() {
    if (jwks == null) {
      return;
    }
    try {
      Files.deleteIfExists(jwks);
    } catch (IOException ignored) {
      // a public JWKS left in the temporary directory discloses nothing
    }
  }
}
