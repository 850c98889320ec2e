package dev.substrate.hetzner;

import dev.substrate.SubstrateConfig;
import dev.substrate.spi.ConfigSection;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Typed overrides of the {@code hetzner:} config section, so tools need not spell its keys. */
public final class HetznerConfig {
  private HetznerConfig() {}

  /**
   * {@code config} reading the Hetzner Cloud API at {@code endpoint} with the token in {@code tokenFile}
   * ({@code hetzner.endpoint} and {@code hetzner.token_file}; {@code hetzner.token_env} removed), e.g. for a fake.
   */
  public static SubstrateConfig withApi(SubstrateConfig config, String endpoint, Path tokenFile) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("token_env", null);
    values.put("token_file", tokenFile.toString());
    values.put("endpoint", endpoint);
    return ConfigSection.override(config, "hetzner", values);
  }
}
