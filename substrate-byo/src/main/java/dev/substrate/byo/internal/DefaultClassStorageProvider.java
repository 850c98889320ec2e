package dev.substrate.byo.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.Profile;
import dev.substrate.RenderContext;
import dev.substrate.Storage;
import dev.substrate.StorageConfig;
import dev.substrate.spi.checks.StorageChecks;
import dev.substrate.spi.Check;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.StorageProvider;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/** Storage {@code default-class}: whatever default StorageClass the cluster has. */
public final class DefaultClassStorageProvider implements StorageProvider {
  public static final String ID = "default-class";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Storage create(ProviderContext context) {
    return new DefaultClass(context.config().storage(), context.config().profile());
  }

  private static final class DefaultClass implements Storage {
    private final StorageConfig storage;
    private final Profile profile;

    DefaultClass(StorageConfig storage, Profile profile) {
      this.storage = storage;
      this.profile = profile;
    }

    @Override
    public String id() {
      return ID;
    }

    @Override
    public Optional<String> provisioner() {
      return Optional.empty();
    }

    @Override
    public Optional<String> defaultClassName() {
      return storage.defaultClass();
    }

    @Override
    public List<Capability> capabilities() {
      return List.of(
          Capability.of(CapabilityIds.STORAGE_DEFAULT_CLASS, CapabilityState.SUPPORTED,
              storage.defaultClass().map(name -> "volumes use the cluster's default StorageClass, expected to be " + name)
                  .orElse("volumes use the cluster's default StorageClass"), null),
          Capability.of(CapabilityIds.STORAGE_RWX, CapabilityState.NEEDS_ACTION,
              "ReadWriteMany depends on the StorageClass, and most block-storage classes are ReadWriteOnce only",
              "install an RWX provisioner (an NFS provisioner, Longhorn or LINSTOR) and set storage.rwx_class"),
          Capability.of(CapabilityIds.STORAGE_SNAPSHOTS, CapabilityState.NEEDS_ACTION,
              "volume snapshots need the snapshot CRDs and controller, a CSI driver that supports snapshots and a "
                  + "default VolumeSnapshotClass",
              "install the external-snapshotter CRDs and snapshot-controller, and create a VolumeSnapshotClass for the "
                  + "default class's CSI driver annotated snapshot.storage.kubernetes.io/is-default-class: \"true\""),
          Capability.of(CapabilityIds.STORAGE_EXPANSION, CapabilityState.NEEDS_ACTION,
              "volume expansion depends on the default StorageClass's allowVolumeExpansion and its CSI driver",
              "set allowVolumeExpansion: true on the default StorageClass if its CSI driver can expand volumes"));
    }

    @Override
    public List<HasMetadata> resources(RenderContext context) {
      return List.of();
    }

    @Override
    public List<Check> checks() {
      return StorageChecks.all(storage, profile);
    }
  }
}
