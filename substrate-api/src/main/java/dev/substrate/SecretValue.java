package dev.substrate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/** A secret's value. Its {@code toString} is {@code <redacted>}; only {@link #reveal()} gives the value away. */
public final class SecretValue {
  private final byte[] bytes;

  private SecretValue(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  public static SecretValue of(String value) {
    return new SecretValue(value.getBytes(StandardCharsets.UTF_8));
  }

  public static SecretValue ofBytes(byte[] value) {
    return new SecretValue(value);
  }

  /** The value as UTF-8 text. Call it only where the value leaves for its destination. */
  public String reveal() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A copy of the raw bytes. */
  public byte[] revealBytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** Constant-time comparison. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SecretValue && MessageDigest.isEqual(bytes, ((SecretValue) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "<redacted>";
  }
}
