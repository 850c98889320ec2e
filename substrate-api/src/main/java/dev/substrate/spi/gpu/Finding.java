package dev.substrate.spi.gpu;

import java.util.Optional;

/**
 * One GPU driver preflight finding: read on the node itself ({@code substrate node preflight}) or predicted from the
 * cluster (doctor's {@code gpu.driver.*} checks), with the same ids and remedies from {@link DriverPreflight}.
 *
 * @param id a stable id, e.g. {@code secure-boot}
 * @param status how it bears on the GPU Operator's driver starting on the node
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
