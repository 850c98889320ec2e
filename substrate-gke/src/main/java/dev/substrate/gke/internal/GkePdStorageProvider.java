package dev.substrate.gke.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.RenderContext;
import dev.substrate.Storage;
import dev.substrate.spi.Check;
import dev.substrate.spi.checks.StorageChecks;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.StorageProvider;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/** Storage {@code gke-pd}: Persistent Disk through {@code pd.csi.storage.gke.io}, default class {@code standard-rwo}. */
public final class GkePdStorageProvider implements StorageProvider {
  static final String ID = "gke-pd";
  static final String PROVISIONER = "pd.csi.storage.gke.io";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Storage create(ProviderContext context) {
    String defaultClass = context.config().storage().defaultClass().orElse("standard-rwo");
    return new Storage() {
      @Override
      public String id() {
        return ID;
      }

      @Override
      public Optional<String> provisioner() {
        return Optional.of(PROVISIONER);
      }

      @Override
      public Optional<String> defaultClassName() {
        return Optional.of(defaultClass);
      }

      @Override
      public List<Capability> capabilities() {
        return List.of(
            Capability.of(CapabilityIds.STORAGE_DEFAULT_CLASS, CapabilityState.SUPPORTED,
                "GKE ships " + defaultClass + " (pd-balanced) as the default StorageClass", null),
            Capability.of(CapabilityIds.STORAGE_RWX, CapabilityState.NEEDS_ACTION,
                "Persistent Disk volumes are ReadWriteOnce; RWX needs Filestore",
                "enable the Filestore CSI driver and set storage.shared_weights: true"),
            Capability.of(CapabilityIds.STORAGE_SNAPSHOTS, CapabilityState.NEEDS_ACTION,
                "the PD CSI driver snapshots volumes, but GKE ships no VolumeSnapshotClass",
                "create a default VolumeSnapshotClass for " + PROVISIONER),
            Capability.of(CapabilityIds.STORAGE_EXPANSION, CapabilityState.SUPPORTED,
                "PD volumes expand online (allowVolumeExpansion is true on GKE's classes)", null));
      }

      @Override
      public List<HasMetadata> resources(RenderContext context) {
        return List.of();
      }

      @Override
      public List<Check> checks() {
        return List.of(StorageChecks.defaultClass(Optional.of(defaultClass)),
            StorageChecks.snapshots(context.config().profile()), StorageChecks.rwx(context.config().storage()));
      }
    };
  }
}
