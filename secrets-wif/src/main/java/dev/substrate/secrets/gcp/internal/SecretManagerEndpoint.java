package dev.substrate.secrets.gcp.internal;

import dev.substrate.secrets.wif.internal.Shown;
import java.net.URI;
import java.net.URISyntaxException;

/** Checks a Secret Manager endpoint: an http(s) URL with a host and no path, query, fragment or user info. */
public final class SecretManagerEndpoint {
  /** Secret Manager's production endpoint. */
  public static final String DEFAULT = "https://secretmanager.googleapis.com";

  private SecretManagerEndpoint() {}

  /** Why {@code value} cannot be an endpoint, as a config problem line, or null when it can. */
  public static String problem(String value) {
    String reason = reason(value);
    return reason == null ? null : "secret_manager.endpoint " + reason;
  }

  /** {@link #problem} without the key. */
  static String reason(String value) {
    try {
      URI uri = new URI(value);
      boolean ok = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
          && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
          && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
      if (ok) {
        return null;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    return Shown.urlWas(value) + " must be an http(s) URL with no path, user info or query, "
        + "e.g. " + DEFAULT
        + " or http://127.0.0.1:8085 for a local fake";
  }

  /** {@code value} without a trailing slash. */
  public static String normalize(String value) {
    return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
  }
}
