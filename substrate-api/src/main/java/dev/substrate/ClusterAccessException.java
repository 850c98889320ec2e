package dev.substrate;

/** The Kubernetes API server could not be reached or refused the caller; the message names the server and why. */
public class ClusterAccessException extends SubstrateException {
  public ClusterAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
