package dev.substrate.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** Turns exception chains into the words of a one-line error. */
public final class Causes {
  private static final Pattern UNKNOWN_TYPE = Pattern.compile("apiVersion=([^,\\s]+), kind=([^,\\s]+)");

  private Causes() {}

  /** Whether the chain holds an I/O failure: the request did not get an answer. */
  public static boolean isIo(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /** Why {@code e} happened: the innermost cause that says something, without exception class names. */
  public static String why(Throwable e) {
    // A name that does not resolve often arrives wrapped in a ConnectException: say the deeper reason.
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnknownHostException && t.getMessage() != null && !t.getMessage().isBlank()) {
        return "the host name " + t.getMessage().split(":")[0].trim() + " does not resolve";
      }
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "the host name does not resolve";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HttpConnectTimeoutException) {
        return "no connection within the connect timeout";
      }
      if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
        return "no answer within the request timeout";
      }
      if (t instanceof ConnectException || t instanceof ClosedChannelException) {
        return "connection refused";
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof SSLException) {
        return "TLS failed: " + firstLine(t.getMessage());
      }
      if (t instanceof CharacterCodingException) {
        return "the text is not UTF-8";
      }
      if (t instanceof FileSystemException) {
        FileSystemException f = (FileSystemException) t;
        return (f.getReason() != null ? f.getReason() : words(f)) + ": " + f.getFile();
      }
    }
    // The innermost message that says something: not null, and not the default one of a wrapper, the cause's class.
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(0, t);
    }
    for (Throwable t : chain) {
      String message = t.getMessage();
      if (message != null && !message.isBlank() && (t.getCause() == null || !message.equals(t.getCause().toString()))) {
        return firstLine(message);
      }
    }
    return words(chain.get(0));
  }

  /**
   * A client-side failure of Fabric8 that never reached the server, such as an object of a kind the server does not
   * serve, in words; empty when {@code message} is not one.
   */
  public static String unsentRequest(String message) {
    Matcher unknownType = UNKNOWN_TYPE.matcher(message == null ? "" : message);
    if (message != null && message.startsWith("Could not find a registered handler") && unknownType.find()) {
      return "the API server does not serve " + unknownType.group(1) + " " + unknownType.group(2)
          + ": install its CustomResourceDefinition first";
    }
    return firstLine(message);
  }

  public static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.lines().findFirst().orElse(s).trim();
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }

  private static String words(Throwable t) {
    return t.getClass().getSimpleName().replaceAll("(Exception|Error)$", "").replaceAll("([a-z])([A-Z])", "$1 $2")
        .toLowerCase(Locale.ROOT);
  }
}
