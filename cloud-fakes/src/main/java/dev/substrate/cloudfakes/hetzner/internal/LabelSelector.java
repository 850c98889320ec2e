package dev.substrate.cloudfakes.hetzner.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Hetzner's {@code label_selector}: {@code k==v}, {@code k=v}, {@code k!=v}, {@code k}, {@code !k}, {@code k in (a,b)}, {@code k notin (a,b)}. */
public final class LabelSelector {
  private static final Pattern SET = Pattern.compile("^([^\\s!=]+)\\s+(in|notin)\\s+\\((.*)\\)$");

  private LabelSelector() {}

  /** A predicate over labels; throws {@link IllegalArgumentException} for a malformed selector. */
  public static Predicate<Map<String, String>> parse(String selector) {
    List<Predicate<Map<String, String>>> terms = new ArrayList<>();
    for (String raw : split(selector)) {
      String term = raw.trim();
      if (term.isEmpty()) {
        continue;
      }
      Matcher set = SET.matcher(term);
      if (set.matches()) {
        String key = set.group(1);
        List<String> values = Arrays.stream(set.group(3).split(",")).map(String::trim).toList();
        boolean in = set.group(2).equals("in");
        terms.add(l -> (l.containsKey(key) && values.contains(l.get(key))) == in);
      } else if (term.contains("!=")) {
        String[] kv = term.split("!=", 2);
        terms.add(l -> !kv[1].trim().equals(l.get(kv[0].trim())));
      } else if (term.contains("==")) {
        String[] kv = term.split("==", 2);
        terms.add(l -> kv[1].trim().equals(l.get(kv[0].trim())));
      } else if (term.contains("=")) {
        String[] kv = term.split("=", 2);
        terms.add(l -> kv[1].trim().equals(l.get(kv[0].trim())));
      } else if (term.startsWith("!")) {
        String key = term.substring(1).trim();
        terms.add(l -> !l.containsKey(key));
      } else if (term.matches("[A-Za-z0-9./_-]+")) {
        terms.add(l -> l.containsKey(term));
      } else {
        throw new IllegalArgumentException("invalid label_selector term '" + term + "'");
      }
    }
    return labels -> terms.stream().allMatch(t -> t.test(labels));
  }

  private static List<String> split(String selector) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : selector.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        out.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    out.add(current.toString());
    return out;
  }
}
