package dev.substrate.secrets.wif;

import dev.substrate.SubstrateException;
import java.util.OptionalInt;

/**
 * Obtaining a federated access token failed: reading the subject token, the STS exchange or the IAM
 * {@code generateAccessToken} call. The message names the step and carries the service's error, with anything shaped
 * like a token scrubbed; there is no cause (a cause could carry a token).
 */
public final class FederatedTokenException extends SubstrateException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final boolean transientFailure;
  private final int attempts;

  FederatedTokenException(String message, int status, boolean transientFailure, int attempts) {
    super(message + (status > 0 ? " (HTTP " + status + ")" : "") + (transientFailure ? " [transient]" : "")
        + " after " + attempts + (attempts == 1 ? " attempt" : " attempts"));
    this.status = status;
    this.transientFailure = transientFailure;
    this.attempts = attempts;
  }

  /** The HTTP status of the failed call, when there was one. */
  public OptionalInt status() {
    return status > 0 ? OptionalInt.of(status) : OptionalInt.empty();
  }

  /** Whether retrying later may succeed (no answer, 429, 5xx). */
  public boolean isTransient() {
    return transientFailure;
  }

  /** How many attempts were made before giving up. */
  public int attempts() {
    return attempts;
  }
}
