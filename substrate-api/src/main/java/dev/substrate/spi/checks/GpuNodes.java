package dev.substrate.spi.checks;

import dev.substrate.spi.Resources;
import dev.substrate.spi.gpu.GpuCatalog;
import dev.substrate.spi.gpu.GpuModel;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What a node says about its GPU, the same way on every substrate: GFD's labels, else what the substrate sells. */
final class GpuNodes {
  static final String GPU_PRODUCT = "nvidia.com/gpu.product";
  static final String GPU_MEMORY = "nvidia.com/gpu.memory";
  static final String GKE_ACCELERATOR = "cloud.google.com/gke-accelerator";
  static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";

  private GpuNodes() {}

  /** A label of {@code node}, if set. */
  static Optional<String> label(Node node, String key) {
    return Resources.label(node, key);
  }

  /**
   * The GPU model: GFD's {@code nvidia.com/gpu.product}, else an offering of the catalog named by GKE's
   * {@code cloud.google.com/gke-accelerator} or by {@code node.kubernetes.io/instance-type} (a server or machine type).
   */
  static Optional<GpuModel> product(Node node, GpuCatalog catalog) {
    return Resources.label(node, GPU_PRODUCT).flatMap(catalog::byProductLabel)
        .or(() -> Resources.label(node, GKE_ACCELERATOR).flatMap(catalog::byOffering))
        .or(() -> Resources.label(node, INSTANCE_TYPE).flatMap(catalog::byOffering));
  }

  /** A GPU node by GFD's, NFD's or the operator's labels, allocatable GPUs, GKE's label, or a GPU offering. */
  static boolean isGpuNode(Node node, GpuCatalog catalog) {
    return GpuChecks.looksLikeGpuNode(node) || Resources.label(node, GPU_PRODUCT).isPresent()
        || Resources.label(node, GKE_ACCELERATOR).isPresent()
        || Resources.label(node, INSTANCE_TYPE).flatMap(catalog::byOffering).isPresent();
  }

  /**
   * The memory of one GPU (one MIG device under the single strategy) in GiB, with where it came from: GFD's
   * {@code nvidia.com/gpu.memory} (MiB, as NVML reports it), else the model's VRAM as sold.
   */
  static Optional<Map.Entry<Double, String>> vramGib(Node node, GpuCatalog catalog) {
    Optional<String> memory = Resources.label(node, GPU_MEMORY);
    if (memory.isPresent()) {
      try {
        double mib = Double.parseDouble(memory.get());
        return Optional.of(Map.entry(mib / 1024, GPU_MEMORY + "=" + memory.get() + " MiB"));
      } catch (NumberFormatException e) {
        // fall through to the product
      }
    }
    return product(node, catalog).map(p -> Map.entry(p.vramGib(), p.name()));
  }

  /** Whether GFD's product label names a MIG device ({@code -MIG-<profile>}, the single strategy). */
  static Optional<String> migDeviceProfile(Node node) {
    return Resources.label(node, GPU_PRODUCT).flatMap(l -> {
      int at = l.toUpperCase(Locale.ROOT).indexOf("-MIG-");
      return at < 0 ? Optional.empty() : Optional.of(l.substring(at + "-MIG-".length()).replaceAll("(?i)-SHARED$", ""));
    });
  }

  /** GiB with at most one decimal, e.g. {@code 20} or {@code 19.5}. */
  static String fmt(double gib) {
    String one = String.format(Locale.ROOT, "%.1f", gib);
    return one.endsWith(".0") ? one.substring(0, one.length() - 2) : one;
  }
}
