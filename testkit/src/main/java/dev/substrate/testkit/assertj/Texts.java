package dev.substrate.testkit.assertj;

import dev.substrate.Capability;
import dev.substrate.CheckResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** How the assertions show what they found. */
final class Texts {
  private Texts() {}

  /** A result as doctor prints it: {@code FAIL  eso.crds  finding}, and the remedy under it. */
  static String line(CheckResult r) {
    return r.status() + "  " + r.id() + "  " + r.finding() + r.remedy().map(m -> "\n      → " + m).orElse("");
  }

  static String line(Capability c) {
    return c.state() + "  " + c.id() + "  " + c.reason() + c.remedy().map(m -> "\n      → " + m).orElse("");
  }

  static String lines(Collection<? extends Capability> capabilities) {
    return capabilities.isEmpty() ? "(none)"
        : capabilities.stream().map(c -> "  " + line(c)).collect(Collectors.joining("\n"));
  }

  /** {@code Kind namespace/name}, or {@code Kind name} for a cluster-scoped resource. */
  static String ref(HasMetadata r) {
    String ns = r.getMetadata() == null ? null : r.getMetadata().getNamespace();
    String name = r.getMetadata() == null ? null : r.getMetadata().getName();
    return r.getKind() + " " + (ns == null || ns.isEmpty() ? "" : ns + "/") + name;
  }

  static List<String> refs(Collection<? extends HasMetadata> resources) {
    return resources.stream().map(Texts::ref).toList();
  }

  /** The text with every occurrence of {@code secret} replaced, so that a message can quote it. */
  static String masked(String text, String secret) {
    return secret.isEmpty() ? text : text.replace(secret, "<VALUE>");
  }
}
