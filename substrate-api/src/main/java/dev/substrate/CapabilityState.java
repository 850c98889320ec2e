package dev.substrate;

/** Whether a substrate gives a capability. */
public enum CapabilityState {
  /** Available as is. */
  SUPPORTED,
  /** Not available on this substrate; the remedy names an alternative. */
  UNSUPPORTED,
  /** Available once someone does what the remedy says. */
  NEEDS_ACTION
}
