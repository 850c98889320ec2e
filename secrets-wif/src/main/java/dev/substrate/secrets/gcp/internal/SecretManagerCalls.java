package dev.substrate.secrets.gcp.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode.Code;
import dev.substrate.BackendException;
import dev.substrate.SubstrateException;
import dev.substrate.spi.Retry;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs Secret Manager calls: retries transient failures with exponential backoff and turns every failure into a
 * {@link BackendException} that names the operation and the secret and never carries a value.
 */
public final class SecretManagerCalls {
  /** Codes worth retrying: the service may answer differently a moment later. */
  static final Set<Code> TRANSIENT =
      EnumSet.of(Code.UNAVAILABLE, Code.RESOURCE_EXHAUSTED, Code.DEADLINE_EXCEEDED, Code.ABORTED, Code.INTERNAL);
  private static final int MAX_DETAIL = 300;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String providerId;
  private final int maxAttempts;
  private final Retry retry;

  /** Up to {@code maxAttempts} attempts (at most 10), waiting {@code baseDelay}, doubled after each retry. */
  public SecretManagerCalls(String providerId, int maxAttempts, Duration baseDelay, Retry.Sleeper sleeper) {
    this.providerId = providerId;
    this.maxAttempts = maxAttempts;
    // never capped: with at most 10 attempts the longest wait is baseDelay * 2^8
    this.retry = Retry.of(maxAttempts, e -> e instanceof ApiException a && TRANSIENT.contains(code(a)))
        .backoff(baseDelay, 2, baseDelay.multipliedBy(1L << 8)).sleeper(sleeper);
  }

  /**
   * Calls for {@code operation} on secret {@code secretName} (null for none); {@code value}, when given, is scrubbed
   * from every error detail.
   */
  public Scope scope(String operation, String secretName, byte[] value) {
    return new Scope(operation, secretName, value);
  }

  /** The calls of one operation on one secret. */
  public final class Scope {
    private final String operation;
    private final String secretName;
    private final byte[] value;

    private Scope(String operation, String secretName, byte[] value) {
      this.operation = operation;
      this.secretName = secretName;
      this.value = value;
    }

    /** The result of {@code rpc}, retried while it fails transiently. */
    public <T> T call(Supplier<T> rpc) {
      return attempt(rpc, Set.of()).orElseThrow();
    }

    /** As {@link #call}, but empty when the service answers one of {@code emptyOn} (e.g. NOT_FOUND). */
    public <T> Optional<T> callOrEmpty(Supplier<T> rpc, Code... emptyOn) {
      return attempt(rpc, Set.of(emptyOn));
    }

    /** A failure of this operation that did not come from the service. */
    public BackendException failure(int status, boolean transientFailure, String detail) {
      return new BackendException(providerId, operation, secretName, status, transientFailure, scrub(detail), null);
    }

    private <T> Optional<T> attempt(Supplier<T> rpc, Set<Code> emptyOn) {
      int[] attempts = {0};
      try {
        return retry.call(() -> {
          attempts[0]++;
          try {
            return Optional.of(rpc.get());
          } catch (ApiException e) {
            if (emptyOn.contains(code(e))) {
              return Optional.empty();
            }
            throw e;
          }
        });
      } catch (ApiException e) {
        Code code = code(e);
        boolean transientFailure = TRANSIENT.contains(code);
        if (transientFailure && attempts[0] < maxAttempts) {
          // a transient failure with attempts left: waiting to retry it was interrupted
          throw new SubstrateException("interrupted while waiting to retry a Secret Manager call",
              interruption(e));
        }
        throw failure(e, code, transientFailure, attempts[0]);
      } catch (RuntimeException e) {
        // Not an answer from the service (gax wraps those in ApiException): a client-side problem, not retried.
        throw new BackendException(providerId, operation, secretName, 0, false, scrub(SubstrateException.describe(e)),
            value == null || !mentionsValue(e) ? e : null);
      }
    }

    private BackendException failure(ApiException e, Code code, boolean transientFailure, int attempts) {
      // An answer carries the service's error message; without one (connection refused, timeout) the reason is the
      // client's.
      int status = answeredStatus(e);
      String why = status > 0 && e.getMessage() != null ? e.getMessage() : SubstrateException.describe(e);
      String detail = code.name() + (attempts > 1 ? " after " + attempts + " attempts" : "") + ": " + firstLine(why);
      return new BackendException(providerId, operation, secretName, status, transientFailure, scrub(detail),
          value == null || !mentionsValue(e) ? e : null);
    }

    /** Replaces the value (as text or base64) in {@code text}; the service never echoes it, but be sure. */
    private String scrub(String text) {
      if (value == null || value.length < 4 || text == null) {
        return text;
      }
      String out = text;
      for (String form : forms(value)) {
        out = out.replace(form, "<redacted>");
      }
      return out;
    }

    private boolean mentionsValue(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        String m = t.getMessage();
        if (m != null && !scrub(m).equals(m)) {
          return true;
        }
      }
      return false;
    }
  }

  private static String[] forms(byte[] value) {
    return new String[] {new String(value, StandardCharsets.UTF_8), Base64.getEncoder().encodeToString(value),
        Base64.getUrlEncoder().withoutPadding().encodeToString(value)};
  }

  private static InterruptedException interruption(Throwable e) {
    for (Throwable s : e.getSuppressed()) {
      if (s instanceof InterruptedException i) {
        return i;
      }
    }
    return null;
  }

  /**
   * The canonical code of a failure. gax derives it from the HTTP status alone (409 is ABORTED, 400 is
   * INVALID_ARGUMENT), but Google's error body names it ({@code "status": "ALREADY_EXISTS"}, {@code
   * "FAILED_PRECONDITION"}): that wins. A failure with no answer at all (connection refused or reset) is UNAVAILABLE,
   * a read that timed out DEADLINE_EXCEEDED.
   */
  static Code code(ApiException e) {
    if (answeredStatus(e) > 0) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof HttpResponseException) {
          Code named = namedCode(((HttpResponseException) t).getContent());
          if (named != null) {
            return named;
          }
        }
      }
      return e.getStatusCode().getCode();
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return Code.DEADLINE_EXCEEDED;
      }
      if (t instanceof IOException) {
        return Code.UNAVAILABLE;
      }
    }
    return e.getStatusCode().getCode();
  }

  private static Code namedCode(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      String status = JSON.readTree(body).path("error").path("status").asText("");
      for (Code c : Code.values()) {
        if (c.name().equals(status)) {
          return c;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Google's JSON error body: the HTTP status decides
    }
    return null;
  }

  /** The HTTP status the service answered with, or 0 when no answer came (connection failure, timeout). */
  static int answeredStatus(ApiException e) {
    Object transport = e.getStatusCode().getTransportCode();
    if (!(transport instanceof Integer) || (Integer) transport < 400) {
      return 0;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpResponseException) {
        return ((HttpResponseException) t).getStatusCode();
      }
    }
    // gax made the code up itself (a deadline or a client-side failure), not from an HTTP answer
    return 0;
  }

  private static String firstLine(String text) {
    String line = text.strip().lines().findFirst().orElse("");
    return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "…" : line;
  }

}
