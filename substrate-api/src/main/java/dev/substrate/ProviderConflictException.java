package dev.substrate;

/** Two providers on the class path claim the same id; the message names both classes and where they came from. */
public class ProviderConflictException extends SubstrateException {
  public ProviderConflictException(String message) {
    super(message);
  }
}
