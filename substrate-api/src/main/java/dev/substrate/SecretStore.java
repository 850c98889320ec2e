package dev.substrate;

import java.util.List;
import java.util.Optional;

/**
 * Reads and writes secrets in a backend. Values travel as {@link SecretValue}, which never prints itself; failures
 * are {@link BackendException}s that name the operation and the secret, never the value.
 */
public interface SecretStore {
  /** What {@link #put} did. */
  enum PutResult {
    CREATED,
    UPDATED,
    UNCHANGED
  }

  /** Stores {@code value} under {@code name}, creating the secret if needed; adds nothing when the value is equal. */
  PutResult put(String name, SecretValue value);

  /** The latest value of {@code name}, or empty when there is no such secret. */
  Optional<SecretValue> get(String name);

  /** The names of every secret, sorted. */
  List<String> list();

  /** Deletes {@code name}; returns whether it existed. */
  boolean delete(String name);
}
