package dev.substrate;

import dev.substrate.internal.Causes;

/** The Kubernetes API server could not be reached or refused the caller; the message names the server and why. */
public class ClusterAccessException extends SubstrateException {
  public ClusterAccessException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The one-line error for a request to {@code server} that got no answer, saying why in words. */
  public static ClusterAccessException unreachable(String server, Throwable cause) {
    return new ClusterAccessException("cannot reach the Kubernetes API server at " + server + ": " + Causes.why(cause),
        cause);
  }
}
