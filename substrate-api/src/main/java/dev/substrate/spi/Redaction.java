package dev.substrate.spi;

import java.util.regex.Pattern;

/**
 * What of a URL or a config value a provider may print: never something that may be a credential. Use it in errors,
 * findings and progress lines.
 *
 * <pre>{@code
 * progress("reading " + Redaction.url(endpoint) + "…");          // https://h:8443/v1, never https://u:p@h/?token=...
 * if (Redaction.looksLikeToken(tokenEnv)) { problem("token_env looks like a token, not a variable name"); }
 * }</pre>
 */
public final class Redaction {
  /** Google access tokens, Vault service/batch/recovery tokens and JWTs, by their prefixes. */
  private static final Pattern KNOWN_TOKEN = Pattern.compile("(ya29|hv[sbr]|[sbr])\\.[A-Za-z0-9_.-]{16,}|eyJ[A-Za-z0-9_-]{10,}\\..*");
  /** The alphabet of opaque API tokens (Hetzner's are 64 letters and digits); no underscore, slash or dot. */
  private static final Pattern OPAQUE = Pattern.compile("[A-Za-z0-9+=-]{24,}");

  private Redaction() {}

  /**
   * {@code url} without user info, query and fragment, which may hold credentials (a password, a signed URL's
   * signature, a token); text without {@code ://} as it is.
   */
  public static String url(String url) {
    int scheme = url == null ? -1 : url.indexOf("://");
    if (scheme < 0) {
      return url;
    }
    int start = scheme + 3;
    int end = url.length();
    for (char c : new char[] {'?', '#'}) {
      int at = url.indexOf(c, start);
      end = at >= 0 ? Math.min(end, at) : end;
    }
    String rest = url.substring(start, end);
    int slash = rest.indexOf('/');
    int at = rest.lastIndexOf('@', slash < 0 ? rest.length() : slash);
    return url.substring(0, start) + (at >= 0 ? rest.substring(at + 1) : rest);
  }

  /**
   * Whether {@code value}, written where an environment variable's name or a file path belongs, looks like a token
   * instead: a known token prefix ({@code ya29.}, {@code hvs.}, a JWT), or 24 or more letters, digits, {@code +},
   * {@code =} or {@code -} mixing cases or letters and digits, without the underscores, slashes and dots of names and
   * paths. {@code HCLOUD_TOKEN} and {@code /run/secrets/token} do not.
   */
  public static boolean looksLikeToken(String value) {
    if (value == null) {
      return false;
    }
    if (KNOWN_TOKEN.matcher(value).matches()) {
      return true;
    }
    boolean lower = value.chars().anyMatch(Character::isLowerCase);
    boolean upper = value.chars().anyMatch(Character::isUpperCase);
    boolean digit = value.chars().anyMatch(Character::isDigit);
    return OPAQUE.matcher(value).matches() && (lower && upper || digit && (lower || upper));
  }
}
