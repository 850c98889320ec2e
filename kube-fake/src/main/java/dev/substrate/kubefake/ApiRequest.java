package dev.substrate.kubefake;

import java.time.Instant;

/**
 * One request the {@link EmbeddedCluster} answered, as its journal records it.
 *
 * @param time when the request arrived
 * @param method HTTP method, e.g. {@code GET}
 * @param path request path without the query string
 * @param query query string as sent, empty when absent
 * @param verb Kubernetes verb ({@code get}, {@code list}, {@code watch}, {@code create}, {@code update},
 *     {@code patch}, {@code delete}, {@code deletecollection}); empty for non-resource paths such as discovery
 * @param group API group of the resource; empty for the core group and for non-resource paths
 * @param resource resource (plural) such as {@code nodes}; empty for non-resource paths
 * @param status HTTP status code of the response
 */
public record ApiRequest(
    Instant time, String method, String path, String query, String verb, String group, String resource, int status) {

  /** Whether this was a LIST (a GET of a collection that is not a watch). */
  public boolean isList() {
    return "list".equals(verb);
  }

  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " -> " + status;
  }
}
