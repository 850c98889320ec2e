package dev.substrate.node;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One GPU of a node: from {@code nvidia-smi -q -x} when it ran, otherwise from its PCI function alone.
 *
 * @param index the GPU's index in {@code nvidia-smi} order (PCI order without it)
 * @param product the product name, e.g. {@code NVIDIA H200}; without {@code nvidia-smi}, the catalog's name or the PCI
 *     id
 * @param pciDeviceId the PCI device id, e.g. {@code 0x2335}
 * @param vramMib the frame buffer NVML reports ({@code fb_memory_usage/total}), e.g. {@code 143771}
 * @param migCurrent the current MIG mode, {@code Enabled}, {@code Disabled} or {@code N/A} (no MIG)
 * @param migPending the MIG mode after the next GPU reset
 * @param migProfiles the GPU instance profiles {@code nvidia-smi mig -lgip} lists for it
 */
public record Gpu(int index, String product, int pciDeviceId, OptionalLong vramMib, Optional<String> migCurrent,
    Optional<String> migPending, List<MigProfile> migProfiles) {
  public Gpu {
    migProfiles = List.copyOf(migProfiles);
  }

  /** Whether MIG is enabled now. */
  public boolean migEnabled() {
    return migCurrent.filter("Enabled"::equalsIgnoreCase).isPresent();
  }
}
