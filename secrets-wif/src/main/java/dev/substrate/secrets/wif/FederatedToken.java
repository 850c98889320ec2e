package dev.substrate.secrets.wif;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A Google access token obtained through workload identity federation. {@link #toString()} shows the principal and
 * the expiry, never the token; only {@link #value()} gives the token itself.
 */
public final class FederatedToken {
  private final String value;
  private final Optional<Instant> expiresAt;
  private final String principal;

  FederatedToken(String value, Optional<Instant> expiresAt, String principal) {
    this.value = Objects.requireNonNull(value, "value");
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    this.principal = Objects.requireNonNull(principal, "principal");
  }

  /** The bearer token. Do not log it. */
  public String value() {
    return value;
  }

  /** When Google says the token expires; empty when it did not say. */
  public Optional<Instant> expiresAt() {
    return expiresAt;
  }

  /**
   * Who the token acts as: the impersonated service account's email, or the pool provider's audience when the
   * federated token is used directly.
   */
  public String principal() {
    return principal;
  }

  @Override
  public String toString() {
    return "FederatedToken{principal=" + principal + ", expiresAt=" + expiresAt.map(Instant::toString).orElse("unknown")
        + ", value=<redacted>}";
  }
}
