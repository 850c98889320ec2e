package dev.substrate.hetzner.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The NVIDIA GPUs a Hetzner cluster meets, with VRAM and MIG support (DOMAIN §6), and the Robot GPU servers that
 * carry them. VRAM is marketing capacity in GiB; MIG profiles are the profile names with the most instances of each.
 */
final class GpuCatalog {
  /** One GPU product. {@code labelPrefixes} match GFD's {@code nvidia.com/gpu.product} label. */
  record Product(String name, String architecture, double vramGib, int maxMigInstances, Map<String, Integer> migProfiles,
      List<String> labelPrefixes) {
    boolean mig() {
      return maxMigInstances > 0;
    }

    String describe() {
      return name + " (" + fmt(vramGib) + " GiB, " + (mig() ? "MIG up to " + maxMigInstances : "no MIG") + ")";
    }
  }

  static final Product RTX_4000_SFF_ADA = new Product("RTX 4000 SFF Ada", "Ada Lovelace", 20, 0, Map.of(),
      List.of("NVIDIA-RTX-4000-SFF-Ada"));
  static final Product RTX_6000_ADA = new Product("RTX 6000 Ada", "Ada Lovelace", 48, 0, Map.of(),
      List.of("NVIDIA-RTX-6000-Ada"));
  static final Product RTX_PRO_6000_BLACKWELL = new Product("RTX PRO 6000 Blackwell", "Blackwell", 96, 4,
      Map.of("1g.24gb", 4, "2g.48gb", 2, "4g.96gb", 1), List.of("NVIDIA-RTX-PRO-6000-Blackwell"));
  static final Product RTX_PRO_4000_BLACKWELL_SFF = new Product("RTX PRO 4000 Blackwell SFF", "Blackwell", 24, 0,
      Map.of(), List.of("NVIDIA-RTX-PRO-4000-Blackwell"));
  static final Product L4 = new Product("L4", "Ada Lovelace", 24, 0, Map.of(), List.of("NVIDIA-L4"));
  static final Product L40S = new Product("L40S", "Ada Lovelace", 48, 0, Map.of(), List.of("NVIDIA-L40S"));
  static final Product T4 = new Product("T4", "Turing", 16, 0, Map.of(), List.of("Tesla-T4"));
  static final Product A100_40 = new Product("A100 40GB", "Ampere", 40, 7, Map.of("1g.5gb", 7, "1g.10gb", 4,
      "2g.10gb", 3, "3g.20gb", 2, "4g.20gb", 1, "7g.40gb", 1), List.of("NVIDIA-A100-SXM4-40GB", "NVIDIA-A100-PCIE-40GB"));
  static final Product A100_80 = new Product("A100 80GB", "Ampere", 80, 7, Map.of("1g.10gb", 7, "1g.20gb", 4,
      "2g.20gb", 3, "3g.40gb", 2, "4g.40gb", 1, "7g.80gb", 1), List.of("NVIDIA-A100-SXM4-80GB", "NVIDIA-A100-80GB"));
  static final Product H100_80 = new Product("H100 80GB", "Hopper", 80, 7, Map.of("1g.10gb", 7, "1g.20gb", 4,
      "2g.20gb", 3, "3g.40gb", 2, "4g.40gb", 1, "7g.80gb", 1), List.of("NVIDIA-H100-80GB", "NVIDIA-H100-PCIe",
      "NVIDIA-H100-SXM5"));
  static final Product H100_NVL = new Product("H100 NVL", "Hopper", 94, 7, Map.of("1g.12gb", 7, "1g.24gb", 4,
      "2g.24gb", 3, "3g.47gb", 2, "4g.47gb", 1, "7g.94gb", 1), List.of("NVIDIA-H100-NVL"));
  static final Product H200 = new Product("H200", "Hopper", 141, 7, Map.of("1g.18gb", 7, "1g.35gb", 4, "2g.35gb", 3,
      "3g.71gb", 2, "4g.71gb", 1, "7g.141gb", 1), List.of("NVIDIA-H200"));

  /** Longest prefixes first, so {@code NVIDIA-H100-NVL} is not taken for a plain H100. */
  static final List<Product> PRODUCTS = List.of(RTX_4000_SFF_ADA, RTX_6000_ADA, RTX_PRO_6000_BLACKWELL,
      RTX_PRO_4000_BLACKWELL_SFF, L40S, L4, T4, A100_40, A100_80, H100_NVL, H100_80, H200);

  /** Hetzner's dedicated (Robot) GPU servers, by {@code node.kubernetes.io/instance-type}. */
  static final Map<String, Product> ROBOT_SERVERS = Map.of(
      "GEX44", RTX_4000_SFF_ADA,
      "GEX130", RTX_6000_ADA,
      "GEX131", RTX_PRO_6000_BLACKWELL,
      "GEX45", RTX_PRO_4000_BLACKWELL_SFF);

  private GpuCatalog() {}

  /** The product GFD's {@code nvidia.com/gpu.product} names; a {@code -SHARED} or MIG suffix is ignored. */
  static Optional<Product> byProductLabel(String label) {
    if (label == null || label.isBlank()) {
      return Optional.empty();
    }
    String l = label.toLowerCase(Locale.ROOT);
    Product best = null;
    int bestLength = -1;
    for (Product p : PRODUCTS) {
      for (String prefix : p.labelPrefixes()) {
        if (l.startsWith(prefix.toLowerCase(Locale.ROOT)) && prefix.length() > bestLength) {
          best = p;
          bestLength = prefix.length();
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** The GPU of a Robot server type such as {@code GEX44}. */
  static Optional<Product> byInstanceType(String instanceType) {
    return instanceType == null ? Optional.empty()
        : Optional.ofNullable(ROBOT_SERVERS.get(instanceType.toUpperCase(Locale.ROOT)));
  }

  static String fmt(double gib) {
    String one = String.format(Locale.ROOT, "%.1f", gib);
    return one.endsWith(".0") ? one.substring(0, one.length() - 2) : one;
  }
}
