package dev.substrate.secrets.wif.internal;

import dev.substrate.spi.Redaction;

/** What of a config value an error message may show: never something that may be a credential. */
public final class Shown {
  private Shown() {}

  /**
   * {@code value} as it may be quoted where a URL belongs: without user info, query and fragment, which may hold
   * credentials (a signed URL's signature, a token); {@code null} when it is no URL at all, as it may be a token.
   */
  public static String url(String value) {
    return value.contains("://") || value.isEmpty() ? Redaction.url(value) : null;
  }

  /** A URL as {@link #url} shows it, or a file path as it is. */
  public static String place(String urlOrPath) {
    return Redaction.url(urlOrPath);
  }

  /** {@code key was 'value' but}, or {@code key is not a URL (...), but} when the value may not be shown. */
  public static String urlKey(String key, String value) {
    return key + " " + urlWas(value);
  }

  /** {@link #urlKey} without the key. */
  public static String urlWas(String value) {
    String shown = url(value);
    if (shown == null) {
      return "is not a URL (its value is not shown, as it may be a token), but";
    }
    return "was '" + shown + "'" + (shown.equals(value) ? "" : " (its user info and query are not shown)") + " but";
  }
}
