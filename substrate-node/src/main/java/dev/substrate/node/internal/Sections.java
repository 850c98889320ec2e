package dev.substrate.node.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A captured {@code node-facts.txt}: sections headed {@code ## <what>}, each the output of one command. */
final class Sections {
  static final Sections NONE = new Sections(Map.of());

  private final Map<String, String> byTitle;

  private Sections(Map<String, String> byTitle) {
    this.byTitle = byTitle;
  }

  static Sections parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    String title = null;
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\\R", -1)) {
      if (line.startsWith("## ")) {
        if (title != null) {
          out.putIfAbsent(title, body.toString());
        }
        title = line.substring(3).strip();
        body.setLength(0);
      } else if (title != null) {
        body.append(line).append('\n');
      }
    }
    if (title != null) {
      out.putIfAbsent(title, body.toString());
    }
    return new Sections(out);
  }

  /** The first section whose title starts with {@code prefix}, e.g. {@code /proc/modules}. */
  Optional<String> get(String prefix) {
    return byTitle.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue)
        .findFirst();
  }

  /** The section, unless the command was missing ({@code command not found}) or its file absent. */
  Optional<String> output(String prefix) {
    return get(prefix).filter(s -> !s.contains("command not found") && !s.contains("No such file or directory")
        && !s.isBlank());
  }

  boolean isEmpty() {
    return byTitle.isEmpty();
  }
}
