package dev.substrate.cloudfakes.aws.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The secrets of one account and region, with AWS's staging labels: the newest value is {@code AWSCURRENT}, the one
 * before {@code AWSPREVIOUS}; a version without a label is deprecated (kept, reachable by its id). Callers hold the
 * lock ({@code synchronized (state)}).
 */
public final class SecretsManagerState {
  public static final String CURRENT = "AWSCURRENT";
  public static final String PREVIOUS = "AWSPREVIOUS";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] SUFFIX = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

  /** One version: either {@code string} or {@code binary} is set. */
  public record Version(String id, String string, byte[] binary, Instant created, List<String> stages) {}

  /** One secret; {@code deletionDate} is set while it is scheduled for deletion. */
  public static final class Secret {
    public final String name;
    public final String arn;
    public final Instant created;
    public String description;
    public Instant lastChanged;
    public Instant lastAccessed;
    public Instant deletedDate;
    public Instant deletionDate;
    public final Map<String, Version> versions = new LinkedHashMap<>();

    Secret(String name, String arn, Instant created) {
      this.name = name;
      this.arn = arn;
      this.created = created;
      this.lastChanged = created;
    }

    public Optional<Version> byStage(String stage) {
      return versions.values().stream().filter(v -> v.stages().contains(stage)).findFirst();
    }
  }

  private final Map<String, Secret> secrets = new TreeMap<>();
  private final String arnPrefix;
  private final Clock clock;

  public SecretsManagerState(String region, String account, Clock clock) {
    this.arnPrefix = "arn:aws:secretsmanager:" + region + ":" + account + ":secret:";
    this.clock = clock;
  }

  public Instant now() {
    return clock.instant();
  }

  /** Secrets by name, sorted; those whose recovery window has passed are gone. */
  public Map<String, Secret> secrets() {
    Instant now = now();
    secrets.values().removeIf(s -> s.deletionDate != null && !now.isBefore(s.deletionDate));
    return secrets;
  }

  /** The secret a {@code SecretId} names: its name or its ARN. */
  public Optional<Secret> find(String secretId) {
    if (secretId == null) {
      return Optional.empty();
    }
    Map<String, Secret> all = secrets();
    if (secretId.startsWith("arn:")) {
      return all.values().stream().filter(s -> s.arn.equals(secretId)).findFirst();
    }
    return Optional.ofNullable(all.get(secretId));
  }

  public Secret create(String name, String description) {
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      suffix.append(SUFFIX[RANDOM.nextInt(SUFFIX.length)]);
    }
    Secret s = new Secret(name, arnPrefix + name + "-" + suffix, now());
    s.description = description;
    secrets().put(name, s);
    return s;
  }

  /**
   * Adds a version; with {@code stages} null it becomes {@code AWSCURRENT} and the former current one
   * {@code AWSPREVIOUS} (the label moves off any older version).
   */
  public Version addVersion(Secret s, String versionId, String string, byte[] binary, List<String> stages) {
    List<String> labels = stages == null ? List.of(CURRENT) : List.copyOf(stages);
    if (labels.contains(CURRENT)) {
      Optional<Version> current = s.byStage(CURRENT);
      current.ifPresent(c -> {
        s.versions.replaceAll((id, v) -> relabel(v, Set.of(PREVIOUS), List.of()));
        s.versions.put(c.id(), relabel(s.versions.get(c.id()), Set.of(CURRENT), List.of(PREVIOUS)));
      });
    }
    s.versions.replaceAll((id, v) -> relabel(v, Set.copyOf(labels), List.of()));
    Version v = new Version(versionId == null ? UUID.randomUUID().toString() : versionId, string,
        binary == null ? null : binary.clone(), now(), labels);
    s.versions.put(v.id(), v);
    s.lastChanged = v.created();
    return v;
  }

  private static Version relabel(Version v, Set<String> remove, List<String> add) {
    List<String> stages = new ArrayList<>(v.stages());
    stages.removeAll(remove);
    add.forEach(a -> {
      if (!stages.contains(a)) {
        stages.add(a);
      }
    });
    return new Version(v.id(), v.string(), v.binary(), v.created(), List.copyOf(stages));
  }

  /** Schedules deletion after {@code window}, or removes at once when it is null. */
  public Instant delete(Secret s, Duration window) {
    Instant now = now();
    if (window == null) {
      secrets.remove(s.name);
      return now;
    }
    s.deletedDate = now;
    s.deletionDate = now.plus(window);
    return s.deletionDate;
  }

  public void clear() {
    secrets.clear();
  }

  static boolean sameValue(Version v, String string, byte[] binary) {
    return java.util.Objects.equals(v.string(), string) && Arrays.equals(v.binary(), binary);
  }
}
