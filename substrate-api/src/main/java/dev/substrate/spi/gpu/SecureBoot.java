package dev.substrate.spi.gpu;

/** The UEFI Secure Boot state of a node. */
public enum SecureBoot {
  /** Enforced: the kernel loads only signed modules. */
  ON,
  /** Off, or the node booted without UEFI firmware. */
  OFF,
  /** Not readable from what was captured. */
  UNKNOWN
}
