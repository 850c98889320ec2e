package dev.substrate;

import dev.substrate.internal.Causes;

/** The root of every exception Substrate throws; its message is one line a person can act on. */
public class SubstrateException extends RuntimeException {
  public SubstrateException(String message) {
    super(message);
  }

  public SubstrateException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Why {@code cause} happened in words, for a one-line error: the innermost cause that says something, without
   * exception class names (e.g. {@code connection refused}).
   */
  public static String describe(Throwable cause) {
    return Causes.why(cause);
  }

  /**
   * The error for a Fabric8 request that failed without an HTTP status: a {@link ClusterAccessException} when the
   * server at {@code server} gave no answer, else the client-side reason in one line.
   */
  public static SubstrateException fromClient(String server, RuntimeException e) {
    if (Causes.isIo(e)) {
      return ClusterAccessException.unreachable(server, e);
    }
    return new SubstrateException(Causes.unsentRequest(e.getMessage()), e);
  }
}
