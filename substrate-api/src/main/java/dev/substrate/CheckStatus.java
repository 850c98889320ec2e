package dev.substrate;

/** The outcome of one doctor check. */
public enum CheckStatus {
  PASS,
  WARN,
  FAIL,
  SKIP
}
