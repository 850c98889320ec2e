package dev.substrate.secrets.wif.internal;

/** What of a config value an error message may show: never something that may be a credential. */
public final class Shown {
  private Shown() {}

  /**
   * {@code value} as it may be quoted where a URL belongs: without user info, query and fragment, which may hold
   * credentials (a signed URL's signature, a token); {@code null} when it is no URL at all, as it may be a token.
   */
  public static String url(String value) {
    int scheme = value.indexOf("://");
    if (scheme < 0) {
      return value.isEmpty() ? value : null;
    }
    int start = scheme + 3;
    int end = value.length();
    for (char c : new char[] {'?', '#'}) {
      int at = value.indexOf(c, start);
      end = at >= 0 ? Math.min(end, at) : end;
    }
    String rest = value.substring(start, end);
    int slash = rest.indexOf('/');
    int at = rest.lastIndexOf('@', slash < 0 ? rest.length() : slash);
    return value.substring(0, start) + (at >= 0 ? rest.substring(at + 1) : rest);
  }

  /** A URL as {@link #url} shows it, or a file path as it is. */
  public static String place(String urlOrPath) {
    String shown = url(urlOrPath);
    return urlOrPath.contains("://") && shown != null ? shown : urlOrPath;
  }

  /** {@code key was 'value'}, or {@code key is not a URL (...)} when the value may not be shown. */
  public static String urlKey(String key, String value) {
    String shown = url(value);
    if (shown == null) {
      return key + " is not a URL (its value is not shown, as it may be a token), but";
    }
    return key + " was '" + shown + "'" + (shown.equals(value) ? "" : " (its user info and query are not shown)")
        + " but";
  }

  /**
   * Whether {@code value}, written where a file path belongs, looks like a token instead: a Google access token
   * ({@code ya29.}), or long without a path separator.
   */
  public static boolean looksLikeToken(String value) {
    return value.startsWith("ya29.") || value.length() >= 32 && !value.contains("/") && !value.contains("\\");
  }
}
