package dev.substrate;

/** The platform's profile: {@code cost} and {@code dev} take no backups; {@code prod} needs volume snapshots. */
public enum Profile {
  COST,
  DEV,
  PROD;

  /** The config spelling, e.g. {@code prod}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
