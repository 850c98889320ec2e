package dev.substrate;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A secret backend failed an operation. Carries the provider id, the operation, the secret name (never its value)
 * and the backend's status, so callers can tell "permission denied" from "unavailable".
 */
public class BackendException extends SubstrateException {
  private final String providerId;
  private final String operation;
  private final String secretName;
  private final int status;
  private final boolean transientFailure;

  public BackendException(
      String providerId, String operation, String secretName, int status, boolean transientFailure, String detail,
      Throwable cause) {
    super(message(providerId, operation, secretName, status, detail), cause);
    this.providerId = providerId;
    this.operation = operation;
    this.secretName = secretName;
    this.status = status;
    this.transientFailure = transientFailure;
  }

  public String providerId() {
    return providerId;
  }

  public String operation() {
    return operation;
  }

  public Optional<String> secretName() {
    return Optional.ofNullable(secretName);
  }

  /** The backend's status code (an HTTP status where the backend speaks HTTP), if it returned one. */
  public OptionalInt status() {
    return status > 0 ? OptionalInt.of(status) : OptionalInt.empty();
  }

  /** Whether retrying the same operation later may succeed (unavailable, quota, timeouts). */
  public boolean isTransient() {
    return transientFailure;
  }

  private static String message(String providerId, String operation, String secretName, int status, String detail) {
    StringBuilder b = new StringBuilder(providerId).append(": ").append(operation);
    if (secretName != null) {
      b.append(" '").append(secretName).append('\'');
    }
    b.append(" failed");
    if (status > 0) {
      b.append(" (status ").append(status).append(')');
    }
    if (detail != null && !detail.isBlank()) {
      b.append(": ").append(detail);
    }
    return b.toString();
  }
}
