package dev.substrate.hetzner.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.substrate.spi.Retry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
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
 */
public final class HcloudHttp implements Interceptor {
  /** The base URL the Java client hard-codes. */
  public static final String DEFAULT_ENDPOINT = "https://api.hetzner.cloud/v1";

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
  private volatile Duration waited = Duration.ZERO;
  private volatile String remaining = "";
  private volatile int lastStatus;
  private volatile String lastErrorCode = "";

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
          sleeper.sleep(d);
          waited = waited.plus(d);
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

  public Duration waited() {
    return waited;
  }

  /** The HTTP status of the last response; 0 before any, or when the last request got no response. */
  public int lastStatus() {
    return lastStatus;
  }

  /**
   * The {@code error.code} of the last error response, such as {@code unauthorized}; read here because the Java
   * client fails to parse codes it does not know.
   */
  public String lastErrorCode() {
    return lastErrorCode;
  }

  /** The last {@code RateLimit-Remaining} the API reported; empty before any response. */
  public String remaining() {
    return remaining;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request().newBuilder().url(rewrite(chain.request().url())).build();
    try {
      return retry.call(() -> send(chain, request));
    } catch (RateLimited e) {
      throw new IOException("interrupted while waiting for the Hetzner Cloud API rate limit to reset",
          e.getSuppressed().length > 0 ? e.getSuppressed()[0] : null);
    }
  }

  /** The response, unless it is a 429 whose reset is within the bound: then {@link RateLimited}. */
  private Response send(Chain chain, Request request) throws IOException {
    requests.incrementAndGet();
    lastStatus = 0;
    lastErrorCode = "";
    Response response = chain.proceed(request);
    lastStatus = response.code();
    if (!response.isSuccessful()) {
      lastErrorCode = errorCode(response);
    }
    String left = response.header("RateLimit-Remaining");
    if (left != null) {
      remaining = left;
    }
    if (response.code() != 429) {
      return response;
    }
    rateLimited.incrementAndGet();
    Duration wait = untilReset(response.header("RateLimit-Reset"));
    if (wait == null || wait.plus(waited).compareTo(maxWait) > 0) {
      return response;
    }
    response.close();
    throw new RateLimited(wait);
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
