package dev.substrate.node;

import java.util.Optional;

/**
 * An NVIDIA PCI display function (vendor {@code 0x10de}) from {@code /sys/bus/pci/devices}.
 *
 * @param address the PCI address, e.g. {@code 0000:00:06.0}
 * @param deviceId the PCI device id, e.g. {@code 0x2335}
 * @param driver the kernel driver bound to it, e.g. {@code nvidia}, {@code nouveau} or {@code vfio-pci}
 */
public record PciFunction(String address, int deviceId, Optional<String> driver) {}
