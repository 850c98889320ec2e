package dev.substrate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.substrate.ApplyResult;
import dev.substrate.Capability;
import dev.substrate.Facet;
import dev.substrate.NodePool;
import dev.substrate.PortabilityDiff;
import dev.substrate.Substrate;
import dev.substrate.node.Gpu;
import dev.substrate.node.NodePreflight;
import java.util.List;
import java.util.Locale;

/**
 * The {@code -o json|yaml} documents of the commands. They live apart from the command classes, and are typed
 * {@link JsonNode}, because picocli reflects over (and the JVM verifies) every command class on every run, so a
 * Jackson type named there is loaded for {@code --help} too.
 */
final class Documents {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Documents() {}

  /** {@code capabilities}: each facet's provider and capabilities, then the substrate's own. */
  static JsonNode capabilities(Substrate substrate) {
    ObjectNode root = NODES.objectNode();
    root.put("substrate", substrate.id());
    facets(root, substrate, substrate.facets(), false);
    if (substrate.pools().size() > 1) {
      ArrayNode pools = root.putArray("pools");
      for (NodePool pool : substrate.pools()) {
        if (!pool.main()) {
          ObjectNode p = pools.addObject();
          p.put("pool", pool.name());
          p.put("substrate", pool.substrate().id());
          facets(p, pool.substrate(), List.of(pool.substrate().gpuStack(), pool.substrate().storage()), true);
        }
      }
    }
    return root;
  }

  private static void facets(ObjectNode root, Substrate substrate, List<Facet> chosen, boolean otherPool) {
    ArrayNode facets = root.putArray("facets");
    for (Facet facet : chosen) {
      ObjectNode f = facets.addObject();
      f.put("facet", facet.type().configKey());
      f.put("provider", facet.id());
      ArrayNode capabilities = f.putArray("capabilities");
      CapabilitiesCommand.shown(substrate, facet, otherPool).forEach(c -> capabilities.add(capability(c)));
    }
    List<Capability> own = CapabilitiesCommand.substrateOnly(substrate);
    if (!own.isEmpty()) {
      ArrayNode capabilities = root.putArray("substrateCapabilities");
      own.forEach(c -> capabilities.add(capability(c)));
    }
  }

  private static ObjectNode capability(Capability c) {
    ObjectNode node = NODES.objectNode();
    node.put("id", c.id());
    node.put("state", c.state().name());
    node.put("reason", c.reason());
    c.remedy().ifPresent(r -> node.put("remedy", r));
    c.count().ifPresent(n -> node.put("count", n));
    return node;
  }

  /** {@code diff}: providers, capabilities and resources that change. */
  static JsonNode diff(PortabilityDiff diff) {
    ObjectNode root = NODES.objectNode();
    root.put("from", diff.fromSubstrate());
    root.put("to", diff.toSubstrate());
    ArrayNode providers = root.putArray("providers");
    for (PortabilityDiff.ProviderChange p : diff.providers()) {
      providers.addObject().put("key", p.key()).put("from", p.before()).put("to", p.after());
    }
    ArrayNode capabilities = root.putArray("capabilities");
    for (PortabilityDiff.CapabilityChange c : diff.capabilities()) {
      ObjectNode node = capabilities.addObject();
      node.put("id", c.id());
      node.set("from", c.before().<JsonNode>map(Documents::capability).orElse(node.nullNode()));
      node.set("to", c.after().<JsonNode>map(Documents::capability).orElse(node.nullNode()));
    }
    ArrayNode resources = root.putArray("resources");
    for (PortabilityDiff.ResourceChange r : diff.resources()) {
      resources.addObject().put("resource", r.resource()).put("change", r.change().name());
    }
    return root;
  }

  /** {@code apply}: whether it was a dry run, the count per action, and each outcome. */
  static JsonNode apply(ApplyResult result) {
    ObjectNode root = NODES.objectNode();
    root.put("dryRun", result.dryRun());
    ObjectNode summary = root.putObject("summary");
    for (ApplyResult.Action action : ApplyResult.Action.values()) {
      summary.put(action.name().toLowerCase(Locale.ROOT), result.count(action));
    }
    ArrayNode outcomes = root.putArray("outcomes");
    for (ApplyResult.Outcome o : result.outcomes()) {
      ObjectNode node = outcomes.addObject();
      node.put("kind", o.kind());
      if (!o.namespace().isEmpty()) {
        node.put("namespace", o.namespace());
      }
      node.put("name", o.name());
      node.put("action", o.action().name());
    }
    return root;
  }

  /** {@code secrets list}: the names as an array. */
  static JsonNode names(List<String> names) {
    ArrayNode array = NODES.arrayNode();
    names.forEach(array::add);
    return array;
  }

  /** {@code node preflight}: the node, its GPUs with MIG profiles, and the findings. */
  static JsonNode preflight(NodePreflight p) {
    ObjectNode root = NODES.objectNode();
    root.put("source", p.facts().source());
    ObjectNode node = root.putObject("node");
    p.facts().kernelRelease().ifPresent(k -> node.put("kernelRelease", k));
    p.facts().os().ifPresent(o -> node.put("os", o));
    p.driverVersion().ifPresent(v -> node.put("driverVersion", v));
    p.kernelModuleType().ifPresent(t -> node.put("kernelModule", t));
    node.put("secureBoot", p.facts().secureBoot().name().toLowerCase(Locale.ROOT));
    p.facts().loadedModules().ifPresent(m -> node.put("nouveauLoaded", p.nouveauLoaded()));
    p.facts().kernelHeaders().ifPresent(h -> node.put("kernelHeaders", h));
    ArrayNode gpus = root.putArray("gpus");
    for (Gpu g : p.gpus()) {
      ObjectNode gpu = gpus.addObject();
      gpu.put("index", g.index());
      gpu.put("product", g.product());
      p.model(g).ifPresent(m -> gpu.put("catalogModel", m.name()));
      gpu.put("pciDeviceId", String.format(Locale.ROOT, "0x%04x", g.pciDeviceId()));
      g.vramMib().ifPresent(v -> gpu.put("vramMib", v));
      g.migCurrent().ifPresent(m -> gpu.put("migCurrent", m));
      g.migPending().ifPresent(m -> gpu.put("migPending", m));
      ArrayNode profiles = gpu.putArray("migProfiles");
      g.migProfiles().forEach(pr -> profiles.addObject().put("name", pr.name()).put("id", pr.id())
          .put("instances", pr.instances()).put("memoryGib", pr.memoryGib()));
    }
    ArrayNode findings = root.putArray("findings");
    p.findings().forEach(f -> {
      ObjectNode o = findings.addObject().put("id", f.id()).put("status", f.status().name())
          .put("message", f.message());
      f.remedy().ifPresent(r -> o.put("remedy", r));
    });
    return root;
  }
}
