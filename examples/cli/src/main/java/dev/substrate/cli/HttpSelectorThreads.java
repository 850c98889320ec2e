package dev.substrate.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Lets the command's JVM exit at once after it used the JDK's HTTP client (Fabric8's transport).
 *
 * <p>Each {@code java.net.http.HttpClient} keeps a thread, {@code HttpClient-<n>-SelectorManager}, blocked in native
 * code (epoll) until the client is garbage collected: Fabric8 7.8 closes the client's executor, not the client. The
 * JVM's exit waits up to 300 ms for every thread in native code to block (HotSpot, {@code
 * VM_Exit::wait_for_threads_in_native_to_block} in {@code vmOperations.cpp}: {@code max_wait_user_thread = 30}, in
 * steps of 10 ms), so every command that spoke to a cluster took 0.3 s longer than its work. An interrupt wakes the
 * thread's select, and its loop ends ({@code while (!Thread.currentThread().isInterrupted() && ...)} in the JDK's
 * {@code HttpClientImpl.SelectorManager.run}).
 *
 * <p>Only for the end of the command: in a JVM that goes on, other clients' selector threads must be left alone.
 */
final class HttpSelectorThreads {
  private static final long JOIN_MILLIS = 100;

  private HttpSelectorThreads() {}

  /** Interrupts every JDK HTTP client's selector thread and waits briefly for each to end; returns how many. */
  static int stop() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() * 2 + 8];
    int count = root.enumerate(threads, true);
    List<Thread> stopped = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Thread thread = threads[i];
      if (isSelector(thread)) {
        thread.interrupt();
        stopped.add(thread);
      }
    }
    long deadline = System.nanoTime() + JOIN_MILLIS * 1_000_000;
    for (Thread thread : stopped) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        break;
      }
      try {
        thread.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return stopped.size();
  }

  static boolean isSelector(Thread thread) {
    String name = thread.getName();
    return thread.isAlive() && name.startsWith("HttpClient-") && name.endsWith("-SelectorManager");
  }
}
