package dev.substrate;

import dev.substrate.internal.ManifestWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What changes between two substrates, computed from their capabilities and renderings rather than written by hand.
 *
 * <pre>{@code
 * PortabilityDiff diff = Portability.diff(gke, hetzner);
 * System.out.print(diff.toText());
 * }</pre>
 */
public final class Portability {
  private Portability() {}

  public static PortabilityDiff diff(Substrate from, Substrate to) {
    PortabilityDiff.Builder diff = PortabilityDiff.builder().fromSubstrate(from.id()).toSubstrate(to.id());

    for (int i = 0; i < from.facets().size(); i++) {
      Facet a = from.facets().get(i);
      Facet b = to.facets().get(i);
      if (!a.id().equals(b.id())) {
        diff.addProviders(PortabilityDiff.ProviderChange.of(a.type().configKey(), a.id(), b.id()));
      }
    }
    String authFrom = from.config().secretStoreAuth().map(SecretStoreAuth::id).orElse("(none)");
    String authTo = to.config().secretStoreAuth().map(SecretStoreAuth::id).orElse("(none)");
    if (!authFrom.equals(authTo)) {
      diff.addProviders(PortabilityDiff.ProviderChange.of("secret_store_auth", authFrom, authTo));
    }

    Map<String, Capability> a = byId(from.capabilities());
    Map<String, Capability> b = byId(to.capabilities());
    Set<String> ids = new LinkedHashSet<>(a.keySet());
    ids.addAll(b.keySet());
    for (String id : ids) {
      Capability ca = a.get(id);
      Capability cb = b.get(id);
      boolean same = ca != null && cb != null && ca.state() == cb.state() && ca.reason().equals(cb.reason())
          && ca.count().equals(cb.count());
      if (!same) {
        diff.addCapabilities(PortabilityDiff.CapabilityChange.of(id, Optional.ofNullable(ca), Optional.ofNullable(cb)));
      }
    }

    Map<String, String> ra = resources(from.render().resources());
    Map<String, String> rb = resources(to.render().resources());
    for (Map.Entry<String, String> e : ra.entrySet()) {
      if (!rb.containsKey(e.getKey())) {
        diff.addResources(PortabilityDiff.ResourceChange.of(e.getKey(), PortabilityDiff.Change.REMOVED));
      } else if (!Objects.equals(e.getValue(), rb.get(e.getKey()))) {
        diff.addResources(PortabilityDiff.ResourceChange.of(e.getKey(), PortabilityDiff.Change.CHANGED));
      }
    }
    for (String key : rb.keySet()) {
      if (!ra.containsKey(key)) {
        diff.addResources(PortabilityDiff.ResourceChange.of(key, PortabilityDiff.Change.ADDED));
      }
    }
    return diff.build();
  }

  private static Map<String, Capability> byId(List<Capability> capabilities) {
    Map<String, Capability> map = new LinkedHashMap<>();
    capabilities.forEach(c -> map.putIfAbsent(c.id(), c));
    return map;
  }

  private static Map<String, String> resources(List<HasMetadata> resources) {
    Map<String, String> map = new LinkedHashMap<>();
    for (HasMetadata r : new ArrayList<>(resources)) {
      String ns = r.getMetadata().getNamespace();
      map.put(r.getKind().toLowerCase(Locale.ROOT) + " " + (ns == null ? "" : ns + "/") + r.getMetadata().getName(),
          ManifestWriter.toYaml(r));
    }
    return map;
  }
}
