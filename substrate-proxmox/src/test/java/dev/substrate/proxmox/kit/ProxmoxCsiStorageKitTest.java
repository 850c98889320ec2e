package dev.substrate.proxmox.kit;

import dev.substrate.SubstrateConfig;
import dev.substrate.proxmox.internal.ProxmoxCsiStorageProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.StorageProvider;
import dev.substrate.testkit.kit.StorageCompatibilityKit;

class ProxmoxCsiStorageKitTest extends StorageCompatibilityKit {
  @Override
  protected StorageProvider provider() {
    return new ProxmoxCsiStorageProvider();
  }

  @Override
  protected ProviderContext context() {
    return new ProviderContext(SubstrateConfig.parse("substrate: {id: proxmox}\nprofile: prod\n"
        + "proxmox: {storage: local-lvm, region: home}\n"), "proxmox", null);
  }
}
