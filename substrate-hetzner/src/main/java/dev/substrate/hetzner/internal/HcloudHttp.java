package dev.substrate.hetzner.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.substrate.spi.Retry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The OkHttp client under {@code HetznerCloudAPI}: sends its requests (whose base URL is fixed to
 * {@code https://api.hetzner.cloud/v1}) to another endpoint, counts every request that reaches the network, and on
 * {@code 429} waits until {@code RateLimit-Reset} when that is within a bound, then retries. Logs nothing, so the
 * {@code Authorization} header never reaches a log.
 *
 * <p>Thread-safe: requests may run on several threads at once. What the last response said ({@link #last()}) is kept
 * per thread, since the interceptor runs on the thread that executes the call. Waits for the same reset on several
 * threads count once towards the bound.
 */
public final class HcloudHttp implements Interceptor {
  /** The base URL the Java client hard-codes. */
  public static final String DEFAULT_ENDPOINT = "https://api.hetzner.cloud/v1";

  /**
   * The last response on this thread: its status (0 before any, or when the request got no response), Hetzner's
   * {@code error.code} when it was an error, the {@code RateLimit-Remaining} it carried (-1 without one), and whether
   * it answered a request sent again after waiting for the rate limit to reset.
   */
  public record Last(int status, String errorCode, int remaining, boolean afterReset) {
    static final Last NONE = new Last(0, "", -1, false);
  }

  /** A 429 whose reset is within the bound: the response is closed, the request sent again after {@code wait}. */
  private static final class RateLimited extends IOException {
    private static final long serialVersionUID = 1L;
    private final Duration wait;

    RateLimited(Duration wait) {
      super("rate limited for " + wait);
      this.wait = wait;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpUrl endpoint;
  private final Duration maxWait;
  private final Clock clock;
  private final Retry retry;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger rateLimited = new AtomicInteger();
  private final ThreadLocal<Last> last = ThreadLocal.withInitial(() -> Last.NONE);
  private Duration waited = Duration.ZERO;
  /** The latest reset already waited for; waits up to it are not counted again. */
  private Instant waitedUntil = Instant.MIN;

  public HcloudHttp(String endpoint, Duration maxWait, Clock clock, Retry.Sleeper sleeper) {
    HttpUrl url = HttpUrl.parse(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
    if (url == null) {
      throw new IllegalArgumentException("hetzner.endpoint is not an http(s) URL (its value is not shown, as it may "
          + "hold a token)");
    }
    this.endpoint = url;
    this.maxWait = maxWait;
    this.clock = clock;
    // as many attempts as the wait bound allows: each waits at least a second
    this.retry = Retry.of(Integer.MAX_VALUE, e -> e instanceof RateLimited)
        .serverWait(e -> Optional.of(((RateLimited) e).wait))
        .sleeper(d -> {
          Instant start = clock.instant();
          sleeper.sleep(d);
          account(start, d);
        });
  }

  public OkHttpClient client() {
    return new OkHttpClient.Builder().addInterceptor(this).callTimeout(Duration.ofSeconds(60)).build();
  }

  /** Requests sent to the API, retries included. */
  public int requests() {
    return requests.get();
  }

  /** Responses that were 429. */
  public int rateLimited() {
    return rateLimited.get();
  }

  /** Time spent waiting for the rate limit to reset; overlapping waits count once. */
  public synchronized Duration waited() {
    return waited;
  }

  /**
   * What the last response on the calling thread said; the error code is read here because the Java client fails to
   * parse codes it does not know (such as {@code unauthorized}).
   */
  public Last last() {
    return last.get();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request().newBuilder().url(rewrite(chain.request().url())).build();
    int[] attempts = {0};
    try {
      return retry.call(() -> send(chain, request, ++attempts[0] > 1));
    } catch (RateLimited e) {
      throw new IOException("interrupted while waiting for the Hetzner Cloud API rate limit to reset",
          e.getSuppressed().length > 0 ? e.getSuppressed()[0] : null);
    }
  }

  /** The response, unless it is a 429 whose reset is within the bound: then {@link RateLimited}. */
  private Response send(Chain chain, Request request, boolean afterReset) throws IOException {
    requests.incrementAndGet();
    last.set(Last.NONE);
    Response response = chain.proceed(request);
    last.set(new Last(response.code(), response.isSuccessful() ? "" : errorCode(response),
        remaining(response.header("RateLimit-Remaining")), afterReset));
    if (response.code() != 429) {
      return response;
    }
    rateLimited.incrementAndGet();
    Duration wait = untilReset(response.header("RateLimit-Reset"));
    if (wait == null || !withinBound(wait)) {
      return response;
    }
    response.close();
    throw new RateLimited(wait);
  }

  private synchronized boolean withinBound(Duration wait) {
    return waited.plus(uncounted(clock.instant(), wait)).compareTo(maxWait) <= 0;
  }

  /** Counts a wait of {@code d} from {@code start}, less what an overlapping wait already counted. */
  private synchronized void account(Instant start, Duration d) {
    waited = waited.plus(uncounted(start, d));
    Instant end = start.plus(d);
    if (end.isAfter(waitedUntil)) {
      waitedUntil = end;
    }
  }

  /** The part of a wait of {@code d} from {@code start} that no counted wait covers. */
  private Duration uncounted(Instant start, Duration d) {
    Instant end = start.plus(d);
    Instant from = start.isAfter(waitedUntil) ? start : waitedUntil;
    return end.isAfter(from) ? Duration.between(from, end) : Duration.ZERO;
  }

  private static int remaining(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Math.max(0, Integer.parseInt(header.trim()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String errorCode(Response response) {
    try {
      return JSON.readTree(response.peekBody(16_384).string()).path("error").path("code").asText("");
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private Duration untilReset(String reset) {
    if (reset == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(reset.trim()) - clock.instant().getEpochSecond();
      return Duration.ofSeconds(Math.max(1, seconds));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code https://api.hetzner.cloud/v1/servers?page=2} becomes {@code <endpoint>/servers?page=2}. */
  HttpUrl rewrite(HttpUrl original) {
    HttpUrl.Builder b = original.newBuilder().scheme(endpoint.scheme()).host(endpoint.host()).port(endpoint.port());
    b.encodedPath("/");
    for (String segment : endpoint.encodedPathSegments()) {
      if (!segment.isEmpty()) {
        b.addEncodedPathSegment(segment);
      }
    }
    // the client's path is /v1/<collection>...: keep what follows /v1
    java.util.List<String> segments = original.encodedPathSegments();
    for (int i = 1; i < segments.size(); i++) {
      b.addEncodedPathSegment(segments.get(i));
    }
    return b.build();
  }
}
