package dev.substrate.cloudfakes;

/**
 * What every cloud fake offers beside its service's API: where it listens, the {@link Faults} to inject and the
 * {@link Journal} of what it answered — all of its {@link FakeHttpServer}.
 *
 * <pre>{@code
 * try (FakeSecretManager sm = FakeSecretManager.start()) {
 *   sm.faults().failNext(2, 503);
 *   // ... the client under test retries ...
 *   assertThat(sm.journal().size()).isEqualTo(3);
 * }
 * }</pre>
 */
public interface FakeService extends AutoCloseable {
  /** The server the fake runs on. */
  FakeHttpServer server();

  /** The base URL, {@code http(s)://127.0.0.1:PORT}. */
  default String url() {
    return server().url();
  }

  /** Failures and delay injected into the answers, worded in the service's own error format. */
  default Faults faults() {
    return server().faults();
  }

  /** The requests answered. */
  default Journal journal() {
    return server().journal();
  }

  @Override
  default void close() {
    server().close();
  }
}
