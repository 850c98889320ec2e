package dev.substrate.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.substrate.ClusterRef;
import dev.substrate.ConfigException;
import dev.substrate.GpuConfig;
import dev.substrate.LoadBalancerConfig;
import dev.substrate.LoadBalancerIntent;
import dev.substrate.NodePoolConfig;
import dev.substrate.Profile;
import dev.substrate.SecretStoreAuth;
import dev.substrate.SecretsConfig;
import dev.substrate.StorageConfig;
import dev.substrate.SubstrateConfig;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and validates config YAML, collecting every problem before failing. */
public final class ConfigReader {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");

  /** Top-level sections whose keys Substrate owns and checks. */
  static final Map<String, List<String>> OWN_SECTIONS = Map.of(
      "substrate", List.of("id", "pools"),
      "gpu", List.of("tenancy", "operator"),
      "storage", List.of("provider", "default_class", "shared_weights", "rwx_class"),
      "load_balancer", List.of("provider", "exposure", "addresses", "location", "network_zone", "type", "health_check"),
      "secrets", List.of("namespace", "service_account", "remote_namespace", "allow_long_lived_credentials"));

  /** Top-level sections kept for providers, which check them themselves. */
  static final Set<String> PROVIDER_SECTIONS = Set.of("wif", "hetzner", "gke", "proxmox");

  private final List<String> problems = new ArrayList<>();

  private ConfigReader() {}

  public static SubstrateConfig read(Path file) {
    String text;
    try {
      text = YamlTrees.readUtf8(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (YamlTrees.NotUtf8Exception e) {
      throw new ConfigException("config file " + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException("config file " + file + " could not be read: " + Causes.why(e));
    }
    return parse(text, file.toString());
  }

  public static SubstrateConfig parse(String yaml, String origin) {
    JsonNode root;
    try {
      root = YAML.readTree(YamlTrees.parser(yaml));
    } catch (YamlTrees.AliasException e) {
      throw new ConfigException(origin + " line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr();
      throw new ConfigException(origin + " is not valid YAML" + where + ": " + Objects.toString(e.getOriginalMessage(), "").lines().map(String::trim)
          .filter(l -> !l.isEmpty()).reduce((a, b) -> a + " " + b).orElse("syntax error"));
    } catch (IOException e) {
      throw new ConfigException(origin + " could not be parsed: " + Causes.why(e));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return SubstrateConfig.defaults();
    }
    if (!root.isObject()) {
      throw new ConfigException(origin + " must be a YAML mapping of keys, but is a " + root.getNodeType()
          .toString().toLowerCase(Locale.ROOT));
    }
    return new ConfigReader().build(root);
  }

  private SubstrateConfig build(JsonNode root) {
    SubstrateConfig.Builder config = SubstrateConfig.builder();
    for (String section : OWN_SECTIONS.keySet()) {
      JsonNode node = root.path(section);
      if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
        problems.add(section + " was '" + node.asText() + "' but must be a mapping of keys ("
            + String.join(", ", OWN_SECTIONS.get(section)) + ")");
      } else {
        unknownKeys(section, node, OWN_SECTIONS.get(section));
      }
    }

    id("substrate.id", root.path("substrate").path("id"), config::substrate);
    pools(root.path("substrate").path("pools"), root.path("substrate").path("id").asText(""), config);
    id("gpu_stack", root.path("gpu_stack"), config::gpuStack);
    id("secret_backend", root.path("secret_backend"), config::secretBackend);
    text("secret_store_auth", root.path("secret_store_auth"), v -> {
      SecretStoreAuth auth = Arrays.stream(SecretStoreAuth.values()).filter(a -> a.id().equals(v)).findFirst().orElse(null);
      if (auth == null) {
        invalid("secret_store_auth", v, "one of workload-identity, wif, sa-key");
      } else {
        config.secretStoreAuth(auth);
      }
    });
    text("profile", root.path("profile"), v -> {
      Profile profile = Arrays.stream(Profile.values()).filter(p -> p.id().equals(v)).findFirst().orElse(null);
      if (profile == null) {
        invalid("profile", v, "one of cost, dev, prod");
      } else {
        config.profile(profile);
      }
    });

    JsonNode cluster = root.path("cluster");
    ClusterRef.Builder clusterRef = ClusterRef.builder();
    text("cluster.name", cluster.path("name"), clusterRef::name);
    text("cluster.projectID", cluster.path("projectID"), clusterRef::projectId);
    text("cluster.location", cluster.path("location"), clusterRef::location);
    config.cluster(clusterRef.build());

    config.gpu(gpu(root.path("gpu")));
    config.storage(storage(root.path("storage")));
    config.loadBalancer(loadBalancer(root.path("load_balancer")));
    config.secrets(secrets(root.path("secrets")));

    for (String name : PROVIDER_SECTIONS) {
      JsonNode node = root.path(name);
      if (node.isObject()) {
        config.putSections(name, YAML.convertValue(node, new TypeReference<Map<String, Object>>() {}));
      } else if (!node.isMissingNode() && !node.isNull()) {
        problems.add(name + " was '" + node.asText() + "' but must be a mapping of keys");
      }
    }
    // Plugin sections: any other mapping is kept; the platform's own keys are harmless there.
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (field.getValue().isObject() && !OWN_SECTIONS.containsKey(field.getKey())
          && !PROVIDER_SECTIONS.contains(field.getKey()) && !field.getKey().equals("cluster")) {
        config.putSections(field.getKey(),
            YAML.convertValue(field.getValue(), new TypeReference<Map<String, Object>>() {}));
      }
    }

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config.build();
  }

  private void pools(JsonNode pools, String primary, SubstrateConfig.Builder config) {
    if (pools.isMissingNode() || pools.isNull()) {
      return;
    }
    if (!pools.isObject()) {
      invalid("substrate.pools", pools.asText(), "a mapping of pool names to {substrate, gpu_stack, storage}");
      return;
    }
    Map<String, String> poolBySubstrate = new HashMap<>();
    for (Map.Entry<String, JsonNode> entry : pools.properties()) {
      String key = "substrate.pools." + entry.getKey();
      if (!ID.matcher(entry.getKey()).matches()) {
        problems.add("substrate.pools had a pool named '" + entry.getKey()
            + "' but pool names must be lowercase ids of letters, digits and hyphens");
        continue;
      }
      if (!mapping(key, entry.getValue(), List.of("substrate", "gpu_stack", "storage"))) {
        if (entry.getValue().isNull()) {
          problems.add(key + ".substrate was '' but must name the pool's substrate");
        }
        continue;
      }
      NodePoolConfig.Builder pool = NodePoolConfig.builder();
      List<String> substrate = new ArrayList<>(1);
      id(key + ".substrate", entry.getValue().path("substrate"), v -> {
        substrate.add(v);
        pool.substrate(v);
        String earlier = poolBySubstrate.putIfAbsent(v, entry.getKey());
        if (v.equals(primary)) {
          problems.add(key + ".substrate was '" + v + "' but must differ from substrate.id: the cluster's own "
              + "substrate's nodes are its main pool");
        } else if (earlier != null) {
          problems.add(key + ".substrate was '" + v + "' but pool " + earlier + " already runs on " + v
              + "; a substrate's nodes form one pool");
        }
      });
      if (entry.getValue().path("substrate").isMissingNode()) {
        problems.add(key + ".substrate was '' but must name the pool's substrate");
      }
      id(key + ".gpu_stack", entry.getValue().path("gpu_stack"), pool::gpuStack);
      id(key + ".storage", entry.getValue().path("storage"), pool::storage);
      if (!substrate.isEmpty()) {
        config.putPools(entry.getKey(), pool.build());
      }
    }
  }

  private GpuConfig gpu(JsonNode gpu) {
    GpuConfig.Builder b = GpuConfig.builder();
    JsonNode tenancy = gpu.path("tenancy");
    if (mapping("gpu.tenancy", tenancy, List.of("mode", "replicas", "models"))) {
      text("gpu.tenancy.mode", tenancy.path("mode"), v -> {
        GpuConfig.TenancyMode mode = Arrays.stream(GpuConfig.TenancyMode.values())
            .filter(m -> m.id().equals(v)).findFirst().orElse(null);
        if (mode == null) {
          invalid("gpu.tenancy.mode", v, "one of exclusive, time-slicing, mps, mig");
        } else {
          b.tenancyMode(mode);
        }
      });
      integer("gpu.tenancy.replicas", tenancy.path("replicas"), 1, 64, b::tenancyReplicas);
      JsonNode models = tenancy.path("models");
      if (models.isArray()) {
        for (int i = 0; i < models.size(); i++) {
          String key = "gpu.tenancy.models[" + i + "]";
          JsonNode m = models.get(i);
          if (mapping(key, m, List.of("name", "vram_gib"))) {
            String name = m.path("name").asText("");
            if (name.isBlank()) {
              problems.add(key + ".name was '' but must name the model");
            }
            JsonNode vram = m.path("vram_gib");
            if (!vram.isNumber() || vram.asDouble() <= 0) {
              invalid(key + ".vram_gib", vram.isMissingNode() ? "" : vram.asText(), "a positive number of GiB");
            } else if (!name.isBlank()) {
              b.addTenancyModels(GpuConfig.Model.of(name, vram.asDouble()));
            }
          }
        }
      } else if (!models.isMissingNode() && !models.isNull()) {
        invalid("gpu.tenancy.models", models.asText(), "a list of {name, vram_gib}");
      }
      if (tenancy.path("mode").asText().matches("time-slicing|mps") && tenancy.path("replicas").isMissingNode()) {
        problems.add("gpu.tenancy.replicas was '' but must be at least 2 when gpu.tenancy.mode is "
            + tenancy.path("mode").asText());
      } else if (tenancy.path("mode").asText().matches("time-slicing|mps") && tenancy.path("replicas").asInt() < 2) {
        invalid("gpu.tenancy.replicas", tenancy.path("replicas").asText(),
            "at least 2 when gpu.tenancy.mode is " + tenancy.path("mode").asText());
      }
    }
    JsonNode operator = gpu.path("operator");
    if (mapping("gpu.operator", operator, List.of("version", "namespace", "driver"))) {
      text("gpu.operator.version", operator.path("version"), b::operatorVersion);
      id("gpu.operator.namespace", operator.path("namespace"), b::operatorNamespace);
      JsonNode driver = operator.path("driver");
      if (mapping("gpu.operator.driver", driver, List.of("enabled", "precompiled", "version", "branch"))) {
        bool("gpu.operator.driver.enabled", driver.path("enabled"), b::driverEnabled);
        bool("gpu.operator.driver.precompiled", driver.path("precompiled"), b::driverPrecompiled);
        boolean precompiled = driver.path("precompiled").asBoolean(false);
        text("gpu.operator.driver.version", driver.path("version"), v -> {
          if (precompiled) {
            invalid("gpu.operator.driver.version", v, "unset when gpu.operator.driver.precompiled is true (precompiled "
                + "images are tagged by driver branch: set gpu.operator.driver.branch, e.g. 595)");
          } else {
            b.driverVersion(v);
          }
        });
        text("gpu.operator.driver.branch", driver.path("branch"), v -> {
          if (!v.matches("[0-9]+")) {
            invalid("gpu.operator.driver.branch", v, "a driver branch of digits only, e.g. 595");
          } else if (!precompiled) {
            invalid("gpu.operator.driver.branch", v, "unset unless gpu.operator.driver.precompiled is true "
                + "(compiled drivers take a full gpu.operator.driver.version)");
          } else {
            b.driverBranch(v);
          }
        });
      }
    }
    return b.build();
  }

  private StorageConfig storage(JsonNode storage) {
    StorageConfig.Builder b = StorageConfig.builder();
    id("storage.provider", storage.path("provider"), b::provider);
    name("storage.default_class", storage.path("default_class"), b::defaultClass);
    bool("storage.shared_weights", storage.path("shared_weights"), b::sharedWeights);
    name("storage.rwx_class", storage.path("rwx_class"), b::rwxClass);
    return b.build();
  }

  private LoadBalancerConfig loadBalancer(JsonNode lb) {
    LoadBalancerConfig.Builder b = LoadBalancerConfig.builder();
    id("load_balancer.provider", lb.path("provider"), b::provider);
    text("load_balancer.exposure", lb.path("exposure"), v -> {
      switch (v) {
        case "public":
          b.exposure(LoadBalancerIntent.Exposure.PUBLIC);
          break;
        case "internal":
          b.exposure(LoadBalancerIntent.Exposure.INTERNAL);
          break;
        default:
          invalid("load_balancer.exposure", v, "one of public, internal");
      }
    });
    JsonNode addresses = lb.path("addresses");
    if (addresses.isArray()) {
      for (int i = 0; i < addresses.size(); i++) {
        String range = addresses.get(i).asText();
        if (AddressRanges.isValid(range)) {
          b.addAddresses(range);
        } else {
          invalid("load_balancer.addresses[" + i + "]", range,
              "a CIDR (192.0.2.0/28) or a range (192.0.2.10-192.0.2.20)");
        }
      }
    } else if (!addresses.isMissingNode() && !addresses.isNull()) {
      invalid("load_balancer.addresses", addresses.asText(), "a list of CIDRs or address ranges");
    }
    id("load_balancer.location", lb.path("location"), b::location);
    id("load_balancer.network_zone", lb.path("network_zone"), b::networkZone);
    id("load_balancer.type", lb.path("type"), b::lbType);
    if (lb.has("location") && lb.has("network_zone")) {
      problems.add("load_balancer.location and load_balancer.network_zone were both set but only one may be");
    }
    healthCheck(lb.path("health_check")).ifPresent(b::healthCheck);
    return b.build();
  }

  private Optional<LoadBalancerIntent.HealthCheck> healthCheck(JsonNode hc) {
    String key = "load_balancer.health_check";
    if (!mapping(key, hc, List.of("protocol", "port", "interval", "timeout", "retries", "http_path"))) {
      return Optional.empty();
    }
    int before = problems.size();
    LoadBalancerIntent.HealthCheck.Builder b = LoadBalancerIntent.HealthCheck.builder();
    text(key + ".protocol", hc.path("protocol"), v -> {
      switch (v) {
        case "tcp":
          b.protocol(LoadBalancerIntent.HealthCheck.Protocol.TCP);
          break;
        case "http":
          b.protocol(LoadBalancerIntent.HealthCheck.Protocol.HTTP);
          break;
        default:
          invalid(key + ".protocol", v, "one of tcp, http");
      }
    });
    integer(key + ".port", hc.path("port"), 1, 65535, b::port);
    duration(key + ".interval", hc.path("interval"), b::interval);
    duration(key + ".timeout", hc.path("timeout"), b::timeout);
    integer(key + ".retries", hc.path("retries"), 1, 100, b::retries);
    text(key + ".http_path", hc.path("http_path"), v -> {
      if (!v.startsWith("/")) {
        invalid(key + ".http_path", v, "a path starting with /");
      } else if (!"http".equals(hc.path("protocol").asText())) {
        invalid(key + ".http_path", v, "unset unless " + key + ".protocol is http");
      } else {
        b.httpPath(v);
      }
    });
    return problems.size() == before ? Optional.of(b.build()) : Optional.empty();
  }

  /** A positive duration: whole seconds, or Go's notation such as {@code 15s}, {@code 1m30s}, {@code 500ms}. */
  private void duration(String key, JsonNode node, Consumer<Duration> sink) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    String v = node.asText().trim();
    Duration d = null;
    if (node.isInt()) {
      d = Duration.ofSeconds(node.asInt());
    } else if (node.isTextual()) {
      Matcher m = DURATION.matcher(v);
      if (!v.isEmpty() && m.matches()) {
        d = Duration.ZERO;
        ChronoUnit[] units = {ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS, ChronoUnit.MILLIS};
        for (int i = 0; i < units.length; i++) {
          if (m.group(i + 1) != null) {
            d = d.plus(Long.parseLong(m.group(i + 1)), units[i]);
          }
        }
      }
    }
    if (d == null || d.isZero() || d.isNegative()) {
      invalid(key, v, "a positive duration such as 15s, 1m30s or 500ms");
    } else {
      sink.accept(d);
    }
  }

  private SecretsConfig secrets(JsonNode secrets) {
    SecretsConfig.Builder b = SecretsConfig.builder();
    id("secrets.namespace", secrets.path("namespace"), b::namespace);
    id("secrets.service_account", secrets.path("service_account"), b::serviceAccount);
    id("secrets.remote_namespace", secrets.path("remote_namespace"), b::remoteNamespace);
    bool("secrets.allow_long_lived_credentials", secrets.path("allow_long_lived_credentials"),
        b::allowLongLivedCredentials);
    return b.build();
  }

  private boolean mapping(String key, JsonNode node, List<String> known) {
    if (node.isMissingNode() || node.isNull()) {
      return false;
    }
    if (!node.isObject()) {
      invalid(key, node.asText(), "a mapping of keys (" + String.join(", ", known) + ")");
      return false;
    }
    unknownKeys(key, node, known);
    return true;
  }

  private void unknownKeys(String section, JsonNode node, List<String> known) {
    if (!node.isObject()) {
      return;
    }
    node.fieldNames().forEachRemaining(name -> {
      if (!known.contains(name)) {
        problems.add(ConfigException.unknownKey(section, name, known));
      }
    });
  }

  private void id(String key, JsonNode node, Consumer<String> sink) {
    text(key, node, v -> {
      if (ID.matcher(v).matches()) {
        sink.accept(v);
      } else {
        invalid(key, v, "a lowercase id of letters, digits and hyphens");
      }
    });
  }

  private void name(String key, JsonNode node, Consumer<String> sink) {
    text(key, node, v -> {
      if (v.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") && v.length() <= 253) {
        sink.accept(v);
      } else {
        invalid(key, v, "a Kubernetes object name (lowercase letters, digits, '-' and '.')");
      }
    });
  }

  private void text(String key, JsonNode node, Consumer<String> sink) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isValueNode()) {
      invalid(key, node.toString(), "a single value");
      return;
    }
    String v = node.asText().trim();
    if (v.isEmpty()) {
      invalid(key, v, "non-empty");
      return;
    }
    sink.accept(v);
  }

  private void bool(String key, JsonNode node, Consumer<Boolean> sink) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (node.isBoolean()) {
      sink.accept(node.asBoolean());
    } else {
      invalid(key, node.asText(), "true or false");
    }
  }

  private void integer(String key, JsonNode node, int min, int max, Consumer<Integer> sink) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (node.isInt() && node.asInt() >= min && node.asInt() <= max) {
      sink.accept(node.asInt());
    } else {
      invalid(key, node.asText(), "a whole number from " + min + " to " + max);
    }
  }

  private void invalid(String key, String value, String mustBe) {
    problems.add(key + " was '" + value + "' but must be " + mustBe);
  }
}
