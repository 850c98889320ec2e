package dev.substrate.node.internal;

import dev.substrate.node.MigProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code nvidia-smi mig -lgip}: one table row per profile, {@code | GPU  MIG <name>  ID  Free/Total  Memory(GiB) ...}
 * (the layout of the H200 fixture's listing).
 */
final class MigListing {
  private static final Pattern ROW = Pattern.compile(
      "(?m)^\\|\\s+(\\d+)\\s+MIG\\s+(\\S+)\\s+(\\d+)\\s+\\d+/(\\d+)\\s+(\\d+(?:\\.\\d+)?)\\s");

  private MigListing() {}

  /** The profiles of each GPU index, in listing order. */
  static Map<Integer, List<MigProfile>> parse(String listing) {
    Map<Integer, List<MigProfile>> out = new LinkedHashMap<>();
    Matcher m = ROW.matcher(listing);
    while (m.find()) {
      out.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>()).add(new MigProfile(m.group(2),
          Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Double.parseDouble(m.group(5))));
    }
    return out;
  }
}
