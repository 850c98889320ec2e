package dev.substrate.spi;

import dev.substrate.ConfigException;
import dev.substrate.SubstrateConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a provider gets to create its facet: the config, the chosen substrate and, when given, a cluster client. */
public final class ProviderContext {
  private final SubstrateConfig config;
  private final String substrateId;
  private final KubernetesClient client;

  public ProviderContext(SubstrateConfig config, String substrateId, KubernetesClient client) {
    this.config = config;
    this.substrateId = substrateId;
    this.client = client;
  }

  public SubstrateConfig config() {
    return config;
  }

  /** The id of the substrate the facet is part of, e.g. {@code hetzner}. */
  public String substrateId() {
    return substrateId;
  }

  /** The cluster client passed to {@code Substrates.builder().client(...)}, if any. */
  public Optional<KubernetesClient> client() {
    return Optional.ofNullable(client);
  }

  /** The cluster client, or a {@link ConfigException} that says {@code who} needs one. */
  public KubernetesClient requireClient(String who) {
    return client().orElseThrow(() -> new ConfigException(
        who + " needs a Kubernetes cluster: pass a KubernetesClient to Substrates.builder().client(...)"));
  }

  /** A provider's own top-level config section, such as {@code vault:}, as parsed YAML. */
  public Optional<Map<String, Object>> section(String name) {
    return config.section(name);
  }

  /** A provider's own top-level section, read through typed accessors that allow only {@code keys}. */
  public ConfigSection configSection(String name, List<String> keys) {
    return ConfigSection.of(config, name, keys);
  }
}
