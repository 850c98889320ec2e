package dev.substrate.cloudfakes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests a fake answered, oldest first: method, path, query and status — never a header or a body, so never a
 * token or a secret value.
 */
public final class Journal {
  /** One request as the fake answered it. */
  public record Request(Instant time, String method, String path, String query, int status) {
    @Override
    public String toString() {
      return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " -> " + status;
    }
  }

  private final List<Request> requests = new ArrayList<>();
  private int inFlight;
  private int maxInFlight;

  Journal() {}

  void arrived() {
    synchronized (requests) {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
    }
  }

  void record(String method, String path, String query, int status) {
    Request request = new Request(Instant.now(), method, path, query, status);
    synchronized (requests) {
      requests.add(request);
      inFlight--;
    }
  }

  /**
   * The most requests the fake was answering at once since start or {@link #clear()}: a request counts from its
   * arrival until it is journaled, just before its answer leaves, so a client that waits for each answer is seen one
   * at a time.
   */
  public int maxInFlight() {
    synchronized (requests) {
      return maxInFlight;
    }
  }

  /** Every request since start or the last {@link #clear()}. */
  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** How many requests since start or the last {@link #clear()}. */
  public int size() {
    synchronized (requests) {
      return requests.size();
    }
  }

  /** Forgets every request so far, and the most answered at once. */
  public void clear() {
    synchronized (requests) {
      requests.clear();
      maxInFlight = inFlight;
    }
  }

  @Override
  public String toString() {
    return requests().toString();
  }
}
