package dev.substrate;

/** The root of every exception Substrate throws; its message is one line a person can act on. */
public class SubstrateException extends RuntimeException {
  public SubstrateException(String message) {
    super(message);
  }

  public SubstrateException(String message, Throwable cause) {
    super(message, cause);
  }
}
