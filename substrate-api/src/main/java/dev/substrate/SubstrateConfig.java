package dev.substrate;

import dev.substrate.internal.ConfigReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The substrate part of a platform's {@code config.yaml}. It reads the platform's keys as they are
 * ({@code gpu_stack}, {@code secret_backend}, {@code secret_store_auth}, {@code profile},
 * {@code cluster.{name,projectID,location}}) plus Substrate's own sections ({@code substrate}, {@code gpu},
 * {@code storage}, {@code load_balancer}, {@code secrets}). Other top-level keys belong to the rest of the platform
 * and are ignored; provider sections such as {@code wif:} or {@code vault:} are kept for their providers.
 *
 * <pre>{@code
 * SubstrateConfig config = SubstrateConfig.load(Path.of("config.yaml"));
 * SubstrateConfig inline = SubstrateConfig.parse("substrate: {id: hetzner}\nprofile: prod\n");
 * }</pre>
 *
 * <p>Invalid config throws a {@link ConfigException} listing every problem at once.
 */
@Value.Immutable
public abstract class SubstrateConfig {
  /** The substrate id ({@code substrate.id}); empty means "detect it from the cluster". */
  public abstract Optional<String> substrate();

  /**
   * Node pools on other substrates than {@link #substrate()} ({@code substrate.pools}), by pool name; empty for a
   * cluster on one substrate.
   */
  public abstract Map<String, NodePoolConfig> pools();

  /** The GPU stack provider id ({@code gpu_stack}), overriding the substrate's default. */
  public abstract Optional<String> gpuStack();

  /** The secret backend id ({@code secret_backend}); {@code gcpsm} is an alias of {@code gcp-secret-manager}. */
  public abstract Optional<String> secretBackend();

  public abstract Optional<SecretStoreAuth> secretStoreAuth();

  @Value.Default
  public Profile profile() {
    return Profile.DEV;
  }

  @Value.Default
  public ClusterRef cluster() {
    return ClusterRef.builder().build();
  }

  @Value.Default
  public GpuConfig gpu() {
    return GpuConfig.builder().build();
  }

  @Value.Default
  public StorageConfig storage() {
    return StorageConfig.builder().build();
  }

  @Value.Default
  public LoadBalancerConfig loadBalancer() {
    return LoadBalancerConfig.builder().build();
  }

  @Value.Default
  public SecretsConfig secrets() {
    return SecretsConfig.builder().build();
  }

  /** Top-level sections that belong to providers ({@code wif}, {@code hetzner}, {@code gke}, plugins' own). */
  public abstract Map<String, Map<String, Object>> sections();

  /** A provider's section by its top-level key. */
  public Optional<Map<String, Object>> section(String name) {
    return Optional.ofNullable(sections().get(name));
  }

  /** Reads {@code file}; every problem is reported at once in one {@link ConfigException}. */
  public static SubstrateConfig load(Path file) {
    return ConfigReader.read(file);
  }

  /** Parses YAML text. */
  public static SubstrateConfig parse(String yaml) {
    return ConfigReader.parse(yaml, "config");
  }

  /** The config with every default: no substrate chosen, profile {@code dev}. */
  public static SubstrateConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableSubstrateConfig.Builder {}
}
