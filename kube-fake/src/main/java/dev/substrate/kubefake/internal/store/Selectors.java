package dev.substrate.kubefake.internal.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Label and field selectors as the API server reads them from a LIST query. */
public final class Selectors {

  private static final Pattern SET_BASED = Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$");

  private Selectors() {
  }

  /** One requirement of a selector. */
  public interface Requirement {
    boolean matches(Function<String, String> values);
  }

  /** Parses a label selector; set-based ({@code in}, {@code notin}, {@code !key}) and equality forms. */
  public static List<Requirement> labels(String selector) {
    List<Requirement> out = new ArrayList<>();
    if (selector == null || selector.isBlank()) {
      return out;
    }
    for (String raw : splitTopLevel(selector)) {
      String r = raw.trim();
      if (r.isEmpty()) {
        continue;
      }
      Matcher m = SET_BASED.matcher(r);
      if (m.matches()) {
        String key = m.group(1);
        Set<String> values = Set.copyOf(trimAll(m.group(3).split(",")));
        boolean in = m.group(2).equals("in");
        out.add(v -> {
          String actual = v.apply(key);
          return in ? actual != null && values.contains(actual) : actual == null || !values.contains(actual);
        });
      } else if (r.startsWith("!")) {
        String key = r.substring(1).trim();
        out.add(v -> v.apply(key) == null);
      } else {
        out.add(equality(r, true));
      }
    }
    return out;
  }

  /** Parses a field selector: {@code a=b}, {@code a==b}, {@code a!=b}. */
  public static List<Requirement> fields(String selector) {
    List<Requirement> out = new ArrayList<>();
    if (selector == null || selector.isBlank()) {
      return out;
    }
    for (String raw : selector.split(",")) {
      if (!raw.isBlank()) {
        out.add(equality(raw.trim(), false));
      }
    }
    return out;
  }

  public static boolean matchesAll(List<Requirement> requirements, Function<String, String> values) {
    for (Requirement r : requirements) {
      if (!r.matches(values)) {
        return false;
      }
    }
    return true;
  }

  static Function<String, String> of(Map<String, String> map) {
    return map::get;
  }

  private static Requirement equality(String r, boolean existsForm) {
    int ne = r.indexOf("!=");
    if (ne > 0) {
      String key = r.substring(0, ne).trim();
      String value = r.substring(ne + 2).trim();
      return v -> !value.equals(nullToEmpty(v.apply(key), existsForm));
    }
    int eq = r.indexOf('=');
    if (eq > 0) {
      String key = r.substring(0, eq).trim();
      String value = r.substring(r.startsWith("==", eq) ? eq + 2 : eq + 1).trim();
      return v -> value.equals(nullToEmpty(v.apply(key), existsForm));
    }
    if (!existsForm) {
      throw new IllegalArgumentException("invalid field selector requirement: " + r);
    }
    return v -> v.apply(r) != null;
  }

  private static String nullToEmpty(String s, boolean labels) {
    // labels: an absent label never equals a value; fields: an absent field reads as ""
    return s == null ? (labels ? null : "") : s;
  }

  private static List<String> splitTopLevel(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  private static List<String> trimAll(String[] parts) {
    List<String> out = new ArrayList<>();
    for (String p : parts) {
      if (!p.isBlank()) {
        out.add(p.trim());
      }
    }
    return out;
  }
}
