package dev.substrate.cloudfakes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

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

  Journal() {}

  void record(String method, String path, String query, int status) {
    Request request = new Request(Instant.now(), method, path, query, status);
    synchronized (requests) {
      requests.add(request);
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

  /** How many requests match {@code filter}. */
  public long count(Predicate<Request> filter) {
    return requests().stream().filter(filter).count();
  }

  /** Forgets every request so far. */
  public void clear() {
    synchronized (requests) {
      requests.clear();
    }
  }

  @Override
  public String toString() {
    return requests().toString();
  }
}
