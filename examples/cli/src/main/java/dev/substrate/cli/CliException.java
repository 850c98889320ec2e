package dev.substrate.cli;

/** A usage or setup error the command reports as one line and exit code 2. */
final class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }
}
