package dev.substrate.cloudfakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP(S) server every cloud fake runs on: the JDK's server on the loopback interface (optionally HTTPS with
 * {@link TestTls}'s certificate), a daemon thread per request, the {@link Faults} injected before the handler runs,
 * and every request written to the {@link Journal} before its answer leaves — so a client that has its answer finds
 * its request journaled.
 *
 * <pre>{@code
 * FakeHttpServer server = FakeHttpServer.builder("fake-vault")
 *     .handler(call -> FakeHttpServer.Answer.json(200, "{}"))
 *     .failures(status -> FakeHttpServer.Answer.json(status, "{\"errors\":[\"injected\"]}"))
 *     .start();
 * server.faults().failNext(1, 503);
 * }</pre>
 */
public final class FakeHttpServer implements AutoCloseable {
  /** Answers one request; throws nothing it means as an answer (an exception answers as an injected 500). */
  @FunctionalInterface
  public interface Handler {
    Answer handle(Call call);
  }

  /** How the fake words an injected failure, in the service's own error format. */
  @FunctionalInterface
  public interface FailureAnswers {
    Answer failure(int httpStatus);
  }

  /**
   * One request.
   *
   * @param method upper case
   * @param path the decoded path
   * @param rawPath the path as sent
   * @param query the raw query, empty when none
   * @param headers request headers, names in lower case
   */
  public record Call(String method, String path, String rawPath, String query, Map<String, List<String>> headers,
      byte[] body) {
    /** The first value of a header, or null. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** Method and path only: headers and body may hold a token or a secret value. */
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** A status, a content type, a body and extra headers. */
  public record Answer(int status, String contentType, String body, Map<String, String> headers) {
    public static Answer json(int status, String body) {
      return new Answer(status, "application/json; charset=UTF-8", body, Map.of());
    }

    public Answer withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Answer(status, contentType, body, h);
    }
  }

  static {
    // Without TCP_NODELAY the JDK server's small bodies wait for the client's delayed ACK (~40 ms a request).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final String url;
  private final Faults faults = new Faults();
  private final Journal journal = new Journal();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<String> redacted;

  private FakeHttpServer(Builder b) {
    this.redacted = Set.copyOf(b.redacted);
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, b.name + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port);
    try {
      if (b.https) {
        HttpsServer s = HttpsServer.create(address, b.backlog);
        s.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext()));
        server = s;
      } else {
        server = HttpServer.create(address, b.backlog);
      }
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException(b.name + " cannot listen on 127.0.0.1:" + b.port, e);
    }
    server.setExecutor(executor);
    Handler handler = b.handler;
    FailureAnswers failures = b.failures;
    server.createContext("/", exchange -> serve(exchange, handler, failures));
    server.start();
    this.url = (b.https ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A server named {@code name} (its threads' names); set a handler and failure answers, then {@link Builder#start()}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** {@code http://127.0.0.1:PORT} or {@code https://127.0.0.1:PORT}. */
  public String url() {
    return url;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The faults injected into this server's answers. */
  public Faults faults() {
    return faults;
  }

  /** Every request this server answered. */
  public Journal journal() {
    return journal;
  }

  private void serve(HttpExchange exchange, Handler handler, FailureAnswers failures) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getPath();
    String rawPath = exchange.getRequestURI().getRawPath();
    String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
    journal.arrived();
    try (exchange) {
      Answer answer;
      try {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
          body = in.readAllBytes();
        }
        pause(faults.delay());
        int injected = faults.nextFailure(path, query);
        answer = injected > 0 ? failures.failure(injected) : handler.handle(new Call(method, path, rawPath, query,
            headers(exchange), body));
      } catch (IOException | RuntimeException e) {
        answer = failures.failure(500);
      }
      journal.record(method, path, redact(query), answer.status());
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  private String redact(String query) {
    if (redacted.isEmpty() || query.isEmpty()) {
      return query;
    }
    StringBuilder out = new StringBuilder();
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      try {
        name = URLDecoder.decode(name, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        // journaled as sent
      }
      out.append(out.length() == 0 ? "" : "&").append(redacted.contains(name) && eq >= 0
          ? pair.substring(0, eq) + "=REDACTED" : pair);
    }
    return out.toString();
  }

  private static Map<String, List<String>> headers(HttpExchange exchange) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    return headers;
  }

  private static void pause(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "FakeHttpServer[" + url + "]";
  }

  /** Options of a {@link FakeHttpServer}. */
  public static final class Builder {
    private final String name;
    private int port;
    private boolean https;
    private int backlog = 128;
    private Handler handler;
    private FailureAnswers failures;
    private final Set<String> redacted = new HashSet<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** The port on 127.0.0.1; 0 (the default) for any free one. */
    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("port must be 0-65535: " + value);
      }
      port = value;
      return this;
    }

    /** Whether to serve HTTPS with {@link TestTls}'s certificate; plain HTTP by default. */
    public Builder https(boolean value) {
      https = value;
      return this;
    }

    /** How many connections may wait to be accepted; 128 by default. */
    public Builder backlog(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("backlog must be at least 1: " + value);
      }
      backlog = value;
      return this;
    }

    public Builder handler(Handler value) {
      handler = Objects.requireNonNull(value, "handler");
      return this;
    }

    public Builder failures(FailureAnswers value) {
      failures = Objects.requireNonNull(value, "failures");
      return this;
    }

    /**
     * Query parameters whose values the journal shows as {@code REDACTED} (a token a client may send in the query);
     * none by default.
     */
    public Builder redactQueryParameters(String... names) {
      for (String n : names) {
        redacted.add(Objects.requireNonNull(n, "name"));
      }
      return this;
    }

    public FakeHttpServer start() {
      Objects.requireNonNull(handler, "handler must be set");
      Objects.requireNonNull(failures, "failures must be set");
      return new FakeHttpServer(this);
    }
  }
}
