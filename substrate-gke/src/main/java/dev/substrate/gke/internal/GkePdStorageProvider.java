package dev.substrate.gke.internal;

import dev.substrate.Storage;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.StorageProvider;

/** Storage {@code gke-pd}: Persistent Disk through {@code pd.csi.storage.gke.io}, default class {@code standard-rwo}. */
public final class GkePdStorageProvider implements StorageProvider {
  static final String ID = "gke-pd";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Storage create(ProviderContext context) {
    return new GkePdStorage(context.config(), GkeSettings.from(context.config()));
  }
}
