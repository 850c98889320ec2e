package dev.substrate.node;

import java.util.Optional;

/**
 * One preflight finding.
 *
 * @param id a stable id, e.g. {@code secure-boot}
 * @param status how it bears on the GPU Operator's driver starting on this node
 * @param message what was found
 * @param remedy the exact thing to do, when there is one
 */
public record Finding(String id, Status status, String message, Optional<String> remedy) {
  /** How bad a finding is, mildest first. */
  public enum Status {
    /** Nothing to do. */
    PASS,
    /** Worth knowing; nothing blocks. */
    INFO,
    /** Works only with the remedy applied (e.g. an install setting). */
    WARN,
    /** The driver will not start until the remedy is applied. */
    FAIL
  }
}
