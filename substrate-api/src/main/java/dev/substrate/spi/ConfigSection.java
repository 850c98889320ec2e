package dev.substrate.spi;

import dev.substrate.ConfigException;
import dev.substrate.SubstrateConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A provider's config section, read through typed accessors that collect every problem, each as
 * {@code <section>.<key> was '<value>' but must be ...}, to be thrown at once by {@link #check()}. The allowed keys
 * are declared up front; any other key is a problem, with a did-you-mean. Nested mappings share the problems.
 *
 * <pre>{@code
 * ConfigSection s = ConfigSection.of(config, "hetzner", List.of("token_env", "max_rate_limit_wait"));
 * Optional<String> env = s.envVariable("token_env", "HCLOUD_TOKEN");   // never echoes a token
 * Duration wait = s.seconds("max_rate_limit_wait", Duration.ofSeconds(60), 0, 3600);
 * s.check();                                                            // one ConfigException with every problem
 * }</pre>
 */
public final class ConfigSection {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern WHOLE = Pattern.compile("-?[0-9]{1,18}");

  private final String name;
  private final Map<String, ?> values;
  private final List<String> problems;
  private final Set<String> reported;

  private ConfigSection(String name, Map<String, ?> values, List<String> keys, List<String> problems,
      Set<String> reported) {
    this.name = name;
    this.values = values;
    this.problems = problems;
    this.reported = reported;
    for (String key : values.keySet()) {
      if (!keys.contains(key)) {
        problems.add(ConfigException.unknownKey(name, key, keys));
      }
    }
  }

  /** The top-level section {@code name} of {@code config} (empty when absent), allowing only {@code keys}. */
  public static ConfigSection of(SubstrateConfig config, String name, List<String> keys) {
    return of(name, config.section(name).orElse(Map.of()), keys);
  }

  /** {@code values} as the section {@code name}, allowing only {@code keys}. */
  public static ConfigSection of(String name, Map<String, ?> values, List<String> keys) {
    return new ConfigSection(name, values, keys, new ArrayList<>(), new HashSet<>());
  }

  /**
   * {@code config} with {@code values} written into its top-level section {@code name}; a {@code null} value removes
   * the key. For providers' typed overrides, so callers such as a CLI need not spell the keys.
   */
  public static SubstrateConfig override(SubstrateConfig config, String name, Map<String, ?> values) {
    Map<String, Object> section = new LinkedHashMap<>(config.section(name).orElse(Map.of()));
    values.forEach((key, value) -> {
      if (value == null) {
        section.remove(key);
      } else {
        section.put(key, value);
      }
    });
    Map<String, Map<String, Object>> sections = new LinkedHashMap<>(config.sections());
    sections.put(name, section);
    return SubstrateConfig.builder().from(config).sections(sections).build();
  }

  /** The section's dotted name, such as {@code vault.auth.kubernetes}. */
  public String name() {
    return name;
  }

  /** Whether {@code key} is set, even to an empty value. */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** The nested mapping {@code key}, allowing only {@code keys}; empty when absent or not a mapping (a problem). */
  public ConfigSection section(String key, List<String> keys) {
    Object value = values.get(key);
    Map<String, ?> map = Map.of();
    if (value instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, ?> typed = (Map<String, ?>) m;
      map = typed;
    } else if (value != null) {
      problem(key, value, "must be a mapping of keys (" + String.join(", ", keys) + ")");
    }
    return new ConfigSection(name + "." + key, map, keys, problems, reported);
  }

  /** The trimmed text of {@code key}; {@code defaultValue} when absent or blank. A mapping or list is a problem. */
  public String string(String key, String defaultValue) {
    Object value = values.get(key);
    if (value instanceof Map || value instanceof List) {
      problem(key, value, "must be a single value, not a " + (value instanceof Map ? "mapping" : "list"));
      return defaultValue;
    }
    String text = value == null ? "" : String.valueOf(value).trim();
    return text.isEmpty() ? defaultValue : text;
  }

  /** The text of {@code key}, if set and not blank. */
  public Optional<String> string(String key) {
    return Optional.ofNullable(string(key, null));
  }

  /**
   * The text of {@code key}, if set and {@code valid}; otherwise a problem ending in {@code must} (such as
   * {@code "must be Delete or Retain"}) and empty.
   */
  public Optional<String> string(String key, Predicate<String> valid, String must) {
    Optional<String> value = string(key);
    if (value.isPresent() && !valid.test(value.get())) {
      problem(key, value.get(), must);
      return Optional.empty();
    }
    return value;
  }

  /**
   * One of {@code allowed}, {@code defaultValue} when absent; any other value, blank included, is a problem ending
   * in {@code must} (such as {@code "must be Delete or Retain"}).
   */
  public String choice(String key, String defaultValue, Collection<String> allowed, String must) {
    String value = string(key, has(key) ? "" : defaultValue);
    if (!allowed.contains(value)) {
      problem(key, value, must);
      return defaultValue;
    }
    return value;
  }

  /** The whole number {@code key}, from {@code min} to {@code max}; {@code defaultValue} when absent or invalid. */
  public int integer(String key, int defaultValue, int min, int max) {
    return (int) whole(key, defaultValue, min, max, "must be a whole number from " + min + " to " + max);
  }

  /** The whole number of seconds {@code key}, from {@code min} to {@code max}; {@code defaultValue} when absent. */
  public Duration seconds(String key, Duration defaultValue, long min, long max) {
    long s = whole(key, defaultValue.toSeconds(), min, max,
        "must be a whole number of seconds from " + min + " to " + max);
    return Duration.ofSeconds(s);
  }

  /** {@code true} or {@code false}; {@code defaultValue} when absent or neither. */
  public boolean bool(String key, boolean defaultValue) {
    Object value = values.get(key);
    if (value == null || value instanceof Boolean) {
      return value == null ? defaultValue : (Boolean) value;
    }
    String text = String.valueOf(value).trim();
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    problem(key, value, "must be true or false");
    return defaultValue;
  }

  /** The list of non-blank texts {@code key}, empty when absent; anything else is a problem ending in {@code must}. */
  public List<String> stringList(String key, String must) {
    Object value = values.get(key);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list && list.stream().allMatch(a -> a instanceof String s && !s.isBlank())) {
      return list.stream().map(a -> ((String) a).trim()).toList();
    }
    problem(key, value, must);
    return List.of();
  }

  /**
   * The name of the environment variable holding a secret, if set. As the value may be the secret itself, a problem
   * never shows it: one that is blank, not a variable name, or looks like a token ({@link Redaction#looksLikeToken}),
   * is reported without it, suggesting {@code example}.
   */
  public Optional<String> envVariable(String key, String example) {
    Optional<String> value = string(key);
    if (has(key) && (value.isEmpty() || !ENV_NAME.matcher(value.get()).matches()
        || Redaction.looksLikeToken(value.get()))) {
      report(key, (value.isPresent() && Redaction.looksLikeToken(value.get()) ? "looks like a token, not" : "is not")
          + " the name of an "
          + "environment variable (its value is not shown): it must name a variable such as " + example);
      return Optional.empty();
    }
    return value;
  }

  /**
   * The path of a file holding a secret, if set. A blank one is a problem; one that looks like a token
   * ({@link Redaction#looksLikeToken}) is reported without showing it, suggesting {@code example}.
   */
  public Optional<String> secretFile(String key, String example) {
    Optional<String> value = string(key);
    if (has(key) && value.isEmpty()) {
      problem(key, "", "must name a file holding the token");
    } else if (value.isPresent() && Redaction.looksLikeToken(value.get())) {
      report(key, "looks like a token, not a file name (its value is not shown): it must name a file holding the "
          + "token, such as " + example);
      return Optional.empty();
    }
    return value;
  }

  /** Adds {@code <section>.<key> was '<value>' but <must>}, unless {@code key} already has a problem. */
  public void problem(String key, Object value, String must) {
    report(key, "was '" + value + "' but " + must);
  }

  /**
   * Adds {@code <section>.<key> <sentence>}, unless {@code key} already has a problem: for problems that must not
   * show the value.
   */
  public void report(String key, String sentence) {
    if (reported.add(name + "." + key)) {
      problems.add(name + "." + key + " " + sentence);
    }
  }

  /** When both {@code key} and {@code other} are set, adds that only one may be. */
  public void exclusive(String key, String other) {
    if (has(key) && has(other) && reported.add(name + "." + key + "&" + other)) {
      problems.add(name + "." + key + " and " + name + "." + other + " were both set but only one may be");
    }
  }

  /** Throws one {@link ConfigException} with every problem found so far in this section and its nested ones. */
  public void check() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private long whole(String key, long defaultValue, long min, long max, String must) {
    Object value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    String text = String.valueOf(value).trim();
    if (value instanceof Number ? value instanceof Integer || value instanceof Long : WHOLE.matcher(text).matches()) {
      long n = Long.parseLong(text);
      if (n >= min && n <= max) {
        return n;
      }
    }
    problem(key, text, must);
    return defaultValue;
  }
}
