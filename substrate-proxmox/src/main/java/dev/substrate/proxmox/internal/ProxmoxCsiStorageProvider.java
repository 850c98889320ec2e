package dev.substrate.proxmox.internal;

import dev.substrate.Storage;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.StorageProvider;

/** Storage {@code proxmox-csi}: disks on a Proxmox storage, attached to the VMs by the Proxmox CSI plugin. */
public final class ProxmoxCsiStorageProvider implements StorageProvider {
  static final String ID = "proxmox-csi";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Storage create(ProviderContext context) {
    return new ProxmoxCsiStorage(context.config(), ProxmoxSettings.from(context.config()));
  }
}
