package dev.substrate.internal;

import java.util.regex.Pattern;

/** Validates MetalLB-style address ranges: a CIDR or {@code first-last}. */
final class AddressRanges {
  private static final Pattern IPV4 = Pattern.compile(
      "((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");

  private AddressRanges() {}

  static boolean isValid(String range) {
    if (range == null) {
      return false;
    }
    int slash = range.indexOf('/');
    if (slash > 0) {
      String prefix = range.substring(slash + 1);
      return IPV4.matcher(range.substring(0, slash)).matches() && prefix.matches("\\d{1,2}")
          && Integer.parseInt(prefix) <= 32;
    }
    int dash = range.indexOf('-');
    if (dash > 0) {
      return IPV4.matcher(range.substring(0, dash).trim()).matches()
          && IPV4.matcher(range.substring(dash + 1).trim()).matches();
    }
    return false;
  }
}
