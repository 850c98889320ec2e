package dev.substrate.spi.gpu;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.immutables.value.Value;

/**
 * One NVIDIA GPU product: the {@code nvidia.com/gpu.product} label values GPU feature discovery gives it, its PCI
 * device ids, VRAM and MIG profiles.
 *
 * <pre>{@code
 * GpuModel h200 = GpuModel.builder().name("H200").architecture("Hopper").vramGib(141)
 *     .addProductLabels("NVIDIA-H200").addPciDeviceIds(0x2335).maxMigInstances(7)
 *     .putMigProfiles("1g.18gb", 7).putMigProfiles("7g.141gb", 1).build();
 * }</pre>
 */
@Value.Immutable
public abstract class GpuModel {
  /** A short name such as {@code H200}. */
  public abstract String name();

  /** The architecture, e.g. {@code Hopper}. */
  public abstract String architecture();

  /**
   * GFD's {@code nvidia.com/gpu.product} values: NVML's device name with spaces as dashes, e.g. {@code NVIDIA-H200}
   * (NVIDIA/k8s-device-plugin internal/lm/resource.go {@code getProductName}, {@code sanitise}).
   */
  public abstract List<String> productLabels();

  /** PCI device ids under NVIDIA's vendor id {@code 0x10de}, e.g. {@code 0x2335}. */
  public abstract List<Integer> pciDeviceIds();

  /** Memory of one GPU in GiB as sold (NVML reports a little less). */
  public abstract double vramGib();

  /** The most MIG instances one GPU splits into; 0 without MIG. */
  @Value.Default
  public int maxMigInstances() {
    return 0;
  }

  /** MIG profile names, e.g. {@code 1g.18gb} or {@code 1g.18gb+me}, with how many of that profile alone fit. */
  public abstract Map<String, Integer> migProfiles();

  /** Whether the GPU supports MIG. */
  public boolean mig() {
    return maxMigInstances() > 0;
  }

  /** E.g. {@code H200 (141 GiB, MIG up to 7)} or {@code L4 (24 GiB, no MIG)}. */
  public String describe() {
    String gib = String.format(Locale.ROOT, "%.1f", vramGib());
    gib = gib.endsWith(".0") ? gib.substring(0, gib.length() - 2) : gib;
    return name() + " (" + gib + " GiB, " + (mig() ? "MIG up to " + maxMigInstances() : "no MIG") + ")";
  }

  @Value.Check
  protected void check() {
    if (name().isBlank() || productLabels().isEmpty() || productLabels().stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("a GPU model needs a name and at least one nvidia.com/gpu.product label");
    }
    if (!(vramGib() > 0)) {
      throw new IllegalArgumentException("GPU model " + name() + " needs a VRAM above 0 GiB, not " + vramGib());
    }
    if (pciDeviceIds().stream().anyMatch(id -> id < 0 || id > 0xFFFF)) {
      throw new IllegalArgumentException("GPU model " + name() + " has a PCI device id outside 0x0000-0xffff");
    }
    if (maxMigInstances() < 0 || mig() == migProfiles().isEmpty()) {
      throw new IllegalArgumentException("GPU model " + name() + " needs MIG profiles exactly when maxMigInstances > 0");
    }
    if (migProfiles().values().stream().anyMatch(n -> n < 1 || n > maxMigInstances())) {
      throw new IllegalArgumentException("GPU model " + name() + " has a MIG profile count outside 1-"
          + maxMigInstances());
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableGpuModel.Builder {}
}
