package dev.substrate.proxmox.internal;

import dev.substrate.SubstrateConfig;
import dev.substrate.spi.ConfigSection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code proxmox:} config section.
 *
 * <pre>{@code
 * proxmox:
 *   storage: local-lvm          # the Proxmox storage id volumes are made on; needed to render StorageClass proxmox-csi
 *   shared_storage: false       # true when that storage is shared by the PVE hosts (Ceph RBD, NFS, ...)
 *   fstype: ext4                # ext4 | xfs
 *   region: home                # the Proxmox cluster's region in the CCM and CSI cloud config; restricts the class
 *   snapshot_deletion_policy: Delete   # of the VolumeSnapshotClass rendered for profile: prod
 * }</pre>
 */
record ProxmoxSettings(Optional<String> storage, boolean sharedStorage, String fstype, Optional<String> region,
    String snapshotDeletionPolicy) {
  static final String SECTION = "proxmox";
  static final List<String> KEYS = List.of("storage", "shared_storage", "fstype", "region",
      "snapshot_deletion_policy");
  /** A Proxmox storage id (pve-common PVE/JSONSchema.pm, format pve-storage-id). */
  private static final Pattern STORAGE_ID = Pattern.compile("(?i)[a-z][a-z0-9\\-_.]*[a-z0-9]");
  /** A Kubernetes label value, since the region is one (topology.kubernetes.io/region). */
  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?");

  /** Reads the section, reporting every problem at once. */
  static ProxmoxSettings from(SubstrateConfig config) {
    ConfigSection s = ConfigSection.of(config, SECTION, KEYS);
    Optional<String> storage = s.string("storage", STORAGE_ID.asMatchPredicate(),
        "must be a Proxmox storage id such as local-lvm (a letter, then letters, digits, '-', '_' or '.', ending in a "
            + "letter or digit)");
    boolean shared = s.bool("shared_storage", false);
    String fstype = s.choice("fstype", "ext4", List.of("ext4", "xfs"), "must be ext4 or xfs");
    Optional<String> region = s.string("region", LABEL_VALUE.asMatchPredicate(),
        "must be the region of the Proxmox cluster in the CCM's cloud config (clusters[].region), a label value of "
            + "at most 63 letters, digits, '-', '_' or '.'");
    String policy = s.choice("snapshot_deletion_policy", "Delete", List.of("Delete", "Retain"),
        "must be Delete or Retain");
    s.check();
    return new ProxmoxSettings(storage, shared, fstype, region, policy);
  }
}
