package dev.substrate.internal;

import dev.substrate.FacetType;
import dev.substrate.ProviderConflictException;
import dev.substrate.ProviderLoader;
import dev.substrate.ProviderNotFoundException;
import dev.substrate.spi.Provider;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The providers of one SPI by id and alias, with the errors for unknown and duplicate ids. */
public final class ProviderRegistry<T extends Provider> {
  /** Well-known ids and the artifact that provides each, for "add this module" hints. */
  private static final Map<String, String> WELL_KNOWN = Map.ofEntries(
      Map.entry("gpu_stack:gke-managed", "dev.substrate:substrate-gke"),
      Map.entry("gpu_stack:operator", "dev.substrate:substrate-byo"),
      Map.entry("gpu_stack:external", "dev.substrate:substrate-byo"),
      Map.entry("gpu_stack:none", "dev.substrate:substrate-byo"),
      Map.entry("gpu_stack:talos", "dev.substrate:substrate-byo"),
      Map.entry("storage:gke-pd", "dev.substrate:substrate-gke"),
      Map.entry("storage:hcloud-volumes", "dev.substrate:substrate-hetzner"),
      Map.entry("storage:default-class", "dev.substrate:substrate-byo"),
      Map.entry("storage:proxmox-csi", "dev.substrate:substrate-proxmox"),
      Map.entry("storage:local-path", "dev.substrate:substrate-byo"),
      Map.entry("load_balancer:gke", "dev.substrate:substrate-gke"),
      Map.entry("load_balancer:hcloud", "dev.substrate:substrate-hetzner"),
      Map.entry("load_balancer:metallb", "dev.substrate:substrate-byo"),
      Map.entry("load_balancer:none", "dev.substrate:substrate-byo"),
      Map.entry("secret_backend:gcp-secret-manager", "dev.substrate:secrets-wif"),
      Map.entry("secret_backend:gcpsm", "dev.substrate:secrets-wif"),
      Map.entry("secret_backend:aws-secrets-manager", "dev.substrate:substrate-secrets-aws"),
      Map.entry("secret_backend:kubernetes", "dev.substrate:substrate-byo"),
      Map.entry("secret_backend:fake", "dev.substrate:substrate-testkit"),
      Map.entry("secret_backend:vault", "dev.substrate:substrate-secrets-vault"),
      Map.entry("substrate:gke", "dev.substrate:substrate-gke"),
      Map.entry("substrate:hetzner", "dev.substrate:substrate-hetzner"),
      Map.entry("substrate:byo", "dev.substrate:substrate-byo"),
      Map.entry("substrate:proxmox", "dev.substrate:substrate-proxmox"));

  private final String facetKey;
  private final FacetType facet;
  private final Map<String, T> byId = new TreeMap<>();
  private final Map<String, T> byAlias = new TreeMap<>();

  private ProviderRegistry(String facetKey, FacetType facet, List<T> providers) {
    this.facetKey = facetKey;
    this.facet = facet;
    Map<String, T> claimed = new LinkedHashMap<>();
    for (T p : providers) {
      String id = p.id();
      if (id == null || !id.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
        throw new ProviderConflictException(
            describe(p) + " has id '" + id + "', but ids must be lowercase letters, digits and hyphens");
      }
      claim(claimed, id, p);
      byId.put(id, p);
      for (String alias : p.aliases()) {
        claim(claimed, alias, p);
        byAlias.put(alias, p);
      }
    }
  }

  /** Loads every provider of {@code spi}; two with one id is an error naming both. */
  public static <T extends Provider> ProviderRegistry<T> load(
      ProviderLoader loader, Class<T> spi, String facetKey, FacetType facet) {
    return new ProviderRegistry<>(facetKey, facet, loader.load(spi));
  }

  private void claim(Map<String, T> claimed, String id, T p) {
    T other = claimed.putIfAbsent(id, p);
    if (other != null && other != p) {
      throw new ProviderConflictException("two " + facetKey + " providers claim id '" + id + "': "
          + describe(other) + " and " + describe(p) + "; remove one of them from the class path");
    }
  }

  static String describe(Object p) {
    Class<?> c = p.getClass();
    CodeSource source = c.getProtectionDomain().getCodeSource();
    String where = source == null || source.getLocation() == null ? "unknown location" : source.getLocation().toString();
    return c.getName() + " (from " + where + ")";
  }

  public Optional<T> find(String id) {
    T p = byId.get(id);
    return p != null ? Optional.of(p) : Optional.ofNullable(byAlias.get(id));
  }

  /** The provider for {@code id}, or an error listing every known id and, for a well-known id, the artifact to add. */
  public T get(String id) {
    return find(id).orElseThrow(() -> notFound(id));
  }

  public List<String> ids() {
    return new ArrayList<>(byId.keySet());
  }

  public List<T> providers() {
    return new ArrayList<>(byId.values());
  }

  private ProviderNotFoundException notFound(String id) {
    StringBuilder m = new StringBuilder("no ").append(facetKey.replace('_', ' ')).append(" provider has id '")
        .append(id).append("'");
    String artifact = WELL_KNOWN.get(facetKey + ":" + id);
    if (artifact != null) {
      m.append(": it is provided by ").append(artifact).append(", which is not on the class path");
    }
    m.append("; known ids: ").append(byId.isEmpty() ? "(none)" : String.join(", ", byId.keySet()));
    if (artifact == null) {
      DidYouMean.closest(id, byId.keySet()).ifPresent(s -> m.append("; did you mean '").append(s).append("'?"));
    }
    return new ProviderNotFoundException(facet, id, ids(), m.toString());
  }
}
