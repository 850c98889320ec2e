package dev.substrate.hetzner.internal;

import dev.substrate.spi.gpu.GpuCatalog;

/**
 * Hetzner's dedicated (Robot) GPU servers, by {@code node.kubernetes.io/instance-type}, and the GPUs they carry
 * (DOMAIN §6.4: GEX44 and GEX130 from several independent listings, GEX131 and GEX45 from Hetzner's press releases as
 * quoted; no hetzner.com page read).
 */
final class HetznerGpus {
  static final GpuCatalog CATALOG = GpuCatalog.shipped()
      .withOffering("GEX44", GpuCatalog.RTX_4000_SFF_ADA)
      .withOffering("GEX130", GpuCatalog.RTX_6000_ADA)
      .withOffering("GEX131", GpuCatalog.RTX_PRO_6000_BLACKWELL)
      .withOffering("GEX45", GpuCatalog.RTX_PRO_4000_BLACKWELL_SFF);

  private HetznerGpus() {}
}
