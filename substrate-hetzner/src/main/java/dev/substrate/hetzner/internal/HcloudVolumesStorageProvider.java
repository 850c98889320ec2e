package dev.substrate.hetzner.internal;

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

/** Storage {@code hcloud-volumes}: Hetzner Cloud Volumes through {@code csi.hetzner.cloud}; block-only, RWO. */
public final class HcloudVolumesStorageProvider implements StorageProvider {
  static final String ID = "hcloud-volumes";
  static final String PROVISIONER = "csi.hetzner.cloud";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Storage create(ProviderContext context) {
    String defaultClass = context.config().storage().defaultClass().orElse("hcloud-volumes");
    HcloudSettings settings = HcloudSettings.from(context.config());
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
                "the hcloud CSI chart installs " + defaultClass + " as the default StorageClass", null),
            Capability.of(CapabilityIds.STORAGE_RWX, CapabilityState.UNSUPPORTED,
                "Hetzner volumes attach to one node (ReadWriteOnce only)",
                "run an NFS provisioner, Longhorn or LINSTOR for shared weights"),
            Capability.of(CapabilityIds.STORAGE_SNAPSHOTS, CapabilityState.UNSUPPORTED,
                "the hcloud CSI driver has no snapshot capability",
                "back up to object storage (CNPG barman to S3) or use a snapshot-capable storage layer"),
            Capability.of("storage.robot-nodes", CapabilityState.NEEDS_ACTION,
                "hcloud volumes attach only to Cloud servers, and the scheduler still considers dedicated Robot nodes "
                    + "for volume pods, which then stay Pending",
                "label Robot nodes " + HetznerNodes.PROVIDED_BY + "=robot (the CCM does with Robot support) and "
                    + "install the hcloud CSI chart with global.enableProvidedByTopology=true, which restricts its "
                    + "StorageClasses to " + HetznerNodes.PROVIDED_BY + "=cloud"),
            Capability.of(CapabilityIds.STORAGE_EXPANSION, CapabilityState.SUPPORTED,
                "hcloud volumes expand online; the minimum size is 10 GiB and a node takes at most 16", null));
      }

      @Override
      public List<HasMetadata> resources(RenderContext context) {
        return List.of();
      }

      @Override
      public List<Check> checks() {
        return List.of(StorageChecks.defaultClass(Optional.of(defaultClass)),
            HcloudChecks.snapshots(context.config().profile()), StorageChecks.rwx(context.config().storage()),
            HcloudChecks.robotNodes(), HcloudInventoryChecks.unboundVolumes(settings, System::getenv));
      }
    };
  }
}
