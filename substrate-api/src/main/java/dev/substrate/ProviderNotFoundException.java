package dev.substrate;

import java.util.List;

/** No provider has the requested id; the message lists every known id and, for well-known ids, the artifact to add. */
public class ProviderNotFoundException extends SubstrateException {
  private final FacetType facet;
  private final String id;
  private final List<String> knownIds;

  public ProviderNotFoundException(FacetType facet, String id, List<String> knownIds, String message) {
    super(message);
    this.facet = facet;
    this.id = id;
    this.knownIds = List.copyOf(knownIds);
  }

  public FacetType facet() {
    return facet;
  }

  public String id() {
    return id;
  }

  public List<String> knownIds() {
    return knownIds;
  }
}
