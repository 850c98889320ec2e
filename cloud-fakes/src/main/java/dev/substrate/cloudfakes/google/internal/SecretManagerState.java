package dev.substrate.cloudfakes.google.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fake Secret Manager's data: secrets by full resource name ({@code projects/P/secrets/S}), each with numbered
 * versions. Every method is synchronized; what leaves is a copy.
 */
public final class SecretManagerState {
  /** A version's lifecycle state, as the API spells it. */
  public enum VersionState {
    ENABLED,
    DISABLED,
    DESTROYED
  }

  /** One secret version; {@code data} is empty once destroyed. */
  public record Version(int number, byte[] data, long crc32c, boolean clientChecksum, Instant created,
      VersionState state, long etag) {
    Version withState(VersionState next, long nextEtag) {
      return new Version(number, next == VersionState.DESTROYED ? new byte[0] : data, crc32c, clientChecksum, created,
          next, nextEtag);
    }
  }

  /** One secret: its replication and labels as the client sent them, and its versions by number. */
  public record Secret(String project, String id, JsonNode replication, JsonNode labels, Instant created, long etag,
      List<Version> versions) {
    public String name() {
      return "projects/" + project + "/secrets/" + id;
    }
  }

  private static final class MutableSecret {
    final String project;
    final String id;
    final JsonNode replication;
    final JsonNode labels;
    final Instant created;
    final long etag;
    final TreeMap<Integer, Version> versions = new TreeMap<>();
    int nextVersion = 1;

    MutableSecret(String project, String id, JsonNode replication, JsonNode labels, Instant created, long etag) {
      this.project = project;
      this.id = id;
      this.replication = replication;
      this.labels = labels;
      this.created = created;
      this.etag = etag;
    }

    Secret snapshot() {
      return new Secret(project, id, replication, labels, created, etag, List.copyOf(versions.values()));
    }
  }

  private final Map<String, MutableSecret> secrets = new TreeMap<>();
  private final AtomicLong etags = new AtomicLong(1);

  private static String key(String project, String id) {
    return project + "/" + id;
  }

  /** Creates a secret; empty when it exists already. */
  public synchronized Optional<Secret> create(String project, String id, JsonNode replication, JsonNode labels) {
    String key = key(project, id);
    if (secrets.containsKey(key)) {
      return Optional.empty();
    }
    MutableSecret s = new MutableSecret(project, id, replication, labels, Instant.now(), etags.getAndIncrement());
    secrets.put(key, s);
    return Optional.of(s.snapshot());
  }

  public synchronized Optional<Secret> get(String project, String id) {
    return Optional.ofNullable(secrets.get(key(project, id))).map(MutableSecret::snapshot);
  }

  /** The secrets of {@code project}, sorted by id. */
  public synchronized List<Secret> list(String project) {
    List<Secret> out = new ArrayList<>();
    for (MutableSecret s : secrets.values()) {
      if (s.project.equals(project)) {
        out.add(s.snapshot());
      }
    }
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return out;
  }

  public synchronized boolean delete(String project, String id) {
    return secrets.remove(key(project, id)) != null;
  }

  /** Adds an enabled version; empty when there is no such secret. */
  public synchronized Optional<Version> addVersion(String project, String id, byte[] data, long crc32c,
      boolean clientChecksum) {
    MutableSecret s = secrets.get(key(project, id));
    if (s == null) {
      return Optional.empty();
    }
    Version v = new Version(s.nextVersion++, data.clone(), crc32c, clientChecksum, Instant.now(), VersionState.ENABLED,
        etags.getAndIncrement());
    s.versions.put(v.number(), v);
    return Optional.of(v);
  }

  /**
   * A version by number or {@code latest} (the newest enabled version); empty when the secret or the version does not
   * exist.
   */
  public synchronized Optional<Version> version(String project, String id, String version) {
    MutableSecret s = secrets.get(key(project, id));
    if (s == null) {
      return Optional.empty();
    }
    if (version.equals("latest")) {
      return s.versions.descendingMap().values().stream().filter(v -> v.state() == VersionState.ENABLED).findFirst();
    }
    return parseVersion(version).map(s.versions::get);
  }

  /** Moves a version to {@code state}; empty when the secret or the version does not exist. */
  public synchronized Optional<Version> setState(String project, String id, String version, VersionState state) {
    Optional<Version> current = version(project, id, version);
    if (current.isEmpty()) {
      return current;
    }
    Version v = current.get();
    if (v.state() == VersionState.DESTROYED) {
      return current;
    }
    Version next = v.withState(state, etags.getAndIncrement());
    secrets.get(key(project, id)).versions.put(v.number(), next);
    return Optional.of(next);
  }

  /** How many secrets there are, over every project. */
  public synchronized int secretCount() {
    return secrets.size();
  }

  /** Removes every secret. */
  public synchronized void clear() {
    secrets.clear();
  }

  /** A version number as the API accepts it: a positive decimal, or empty when it is not one. */
  static Optional<Integer> parseVersion(String version) {
    if (!version.matches("[1-9][0-9]{0,8}")) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(version));
  }
}
