package dev.substrate.kubefake.internal.preset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;

/** Where a preset puts what it seeds, and the times it stamps on it. */
final class Seed {

  private final Presets.Sink sink;
  final String created;
  final String now;

  Seed(Presets.Sink sink, String created, String now) {
    this.sink = sink;
    this.created = created;
    this.now = now;
  }

  void add(HasMetadata... objects) {
    for (HasMetadata o : objects) {
      sink.add(o);
    }
  }

  void addAll(Collection<? extends HasMetadata> objects) {
    objects.forEach(sink::add);
  }

  void node(NodeSpec spec) {
    ObjectNode node = spec.build(created, now);
    sink.add(node);
  }
}
