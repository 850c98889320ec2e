package dev.substrate.testkit.internal.google;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.substrate.testkit.TestTls;
import dev.substrate.testkit.internal.secretmanager.SecretManagerFaults;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP(S) server a Google fake runs on: the JDK's server on the loopback interface (HTTPS with {@link TestTls}'s
 * certificate unless told otherwise), a thread per request, injected failures and delay from
 * {@link SecretManagerFaults}, and every request told to a {@link Recorder} before its answer leaves.
 */
public final class FakeServer implements AutoCloseable {
  /** Answers one request; throws nothing (errors are answers too). */
  public interface Handler {
    Answer handle(Call call);
  }

  /** The answer a handler gives for an injected failure. */
  public interface FailureAnswers {
    Answer failure(int httpStatus);
  }

  /** What the journal records of one request: never a body or a header, so never a token. */
  public interface Recorder {
    void record(String method, String path, String query, int status);
  }

  /**
   * One request.
   *
   * @param method upper case
   * @param path the decoded path
   * @param rawPath the path as sent
   * @param query the raw query, empty when none
   */
  public record Call(String method, String path, String rawPath, String query, String authorization,
      String contentType, byte[] body) {
    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** A status, a content type, a body and extra headers. */
  public record Answer(int status, String contentType, String body, Map<String, String> headers) {
    public static Answer json(int status, String body) {
      return new Answer(status, "application/json; charset=UTF-8", body, Map.of());
    }

    public Answer withHeader(String name, String value) {
      java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
      h.put(name, value);
      return new Answer(status, contentType, body, h);
    }
  }

  static {
    // As FakeSecretManager: without TCP_NODELAY the JDK server's body waits for the client's delayed ACK.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final String url;
  private final AtomicBoolean closed = new AtomicBoolean();

  public FakeServer(String name, int port, boolean https, Handler handler, FailureAnswers failures,
      SecretManagerFaults faults, Recorder recorder) {
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, name + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    try {
      if (https) {
        HttpsServer s = HttpsServer.create(address, 128);
        s.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext()));
        server = s;
      } else {
        server = HttpServer.create(address, 128);
      }
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
    server.setExecutor(executor);
    server.createContext("/", exchange -> serve(exchange, handler, failures, faults, recorder));
    server.start();
    this.url = (https ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@code https://127.0.0.1:PORT} (or {@code http://}). */
  public String url() {
    return url;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void serve(HttpExchange exchange, Handler handler, FailureAnswers failures,
      SecretManagerFaults faults, Recorder recorder) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getPath();
    String rawPath = exchange.getRequestURI().getRawPath();
    String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
    try (exchange) {
      Answer answer;
      try {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
          body = in.readAllBytes();
        }
        pause(faults.delay());
        int injected = faults.nextFailure(path);
        answer = injected > 0 ? failures.failure(injected)
            : handler.handle(new Call(method, path, rawPath, query,
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
      } catch (IOException | RuntimeException e) {
        answer = failures.failure(500);
      }
      // Recorded before the answer leaves, so a client that has its answer finds the request in the journal.
      recorder.record(method, path, query, answer.status());
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
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
}
