package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HttpSelectorThreadsTest {
  @Test
  void the_selector_threads_of_live_http_clients_end_and_other_threads_go_on() throws Exception {
    HttpClient first = HttpClient.newHttpClient();
    HttpClient second = HttpClient.newHttpClient();
    CountDownLatch release = new CountDownLatch(1);
    Thread bystander = new Thread(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "HttpClient-bystander");
    bystander.start();
    try {
      assertThat(selectors()).isGreaterThanOrEqualTo(2);

      assertThat(HttpSelectorThreads.stop()).isGreaterThanOrEqualTo(2);

      assertThat(selectors()).isZero();
      assertThat(bystander.isAlive()).isTrue();
      assertThat(bystander.isInterrupted()).isFalse();
    } finally {
      release.countDown();
      bystander.join();
    }
    assertThat(first).isNotSameAs(second);
  }

  private static long selectors() {
    return Thread.getAllStackTraces().keySet().stream().filter(HttpSelectorThreads::isSelector).count();
  }
}
