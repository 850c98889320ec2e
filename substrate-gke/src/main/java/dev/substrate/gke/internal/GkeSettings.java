package dev.substrate.gke.internal;

import dev.substrate.SubstrateConfig;
import dev.substrate.spi.ConfigSection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code gke:} config section.
 *
 * <pre>{@code
 * gke:
 *   filestore_network: ml-vpc          # the VPC of the Filestore instances behind storage.shared_weights
 *   filestore_tier: zonal              # of the rendered Filestore class; default standard (Basic HDD)
 *   snapshot_deletion_policy: Retain   # of the rendered VolumeSnapshotClass; default Delete
 * }</pre>
 *
 * @param filestoreNetwork the VPC network Filestore instances attach to; empty means GKE's default ({@code default})
 * @param snapshotDeletionPolicy {@code Delete} or {@code Retain}
 * @param filestoreTier the {@code tier} parameter of the rendered Filestore class, a key of {@link #FILESTORE_MINIMUMS}
 */
record GkeSettings(Optional<String> filestoreNetwork, String snapshotDeletionPolicy, String filestoreTier) {
  static final String SECTION = "gke";
  static final List<String> KEYS = List.of("filestore_network", "filestore_tier", "snapshot_deletion_policy");
  static final List<String> DELETION_POLICIES = List.of("Delete", "Retain");
  static final String DEFAULT_FILESTORE_TIER = "standard";

  /**
   * The smallest volume of each Filestore tier the CSI driver provisions ({@code tierToCapacityRange} in
   * kubernetes-sigs/gcp-filestore-csi-driver pkg/csi_driver/controller.go; tiers and GKE versions:
   * https://cloud.google.com/filestore/docs/service-tiers and
   * https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/filestore-csi-driver).
   */
  static final Map<String, String> FILESTORE_MINIMUMS = orderedMinimums();

  private static Map<String, String> orderedMinimums() {
    Map<String, String> m = new LinkedHashMap<>();
    String basicHdd = "100 GiB on GKE 1.33 or later, 1 TiB before";
    m.put("standard", basicHdd);
    m.put("basic_hdd", basicHdd);
    m.put("premium", "2.5 TiB");
    m.put("basic_ssd", "2.5 TiB");
    m.put("zonal", "1 TiB");
    m.put("regional", "100 GiB");
    m.put("enterprise", "1 TiB");
    return Collections.unmodifiableMap(m);
  }

  /** Reads the section, reporting every problem at once. */
  static GkeSettings from(SubstrateConfig config) {
    ConfigSection section = ConfigSection.of(config, SECTION, KEYS);
    Optional<String> network = section.string("filestore_network");
    if (section.has("filestore_network") && network.isEmpty()) {
      section.problem("filestore_network", "", "must name a VPC network, e.g. default or "
          + "projects/HOST_PROJECT/global/networks/NAME");
    }
    String policy = section.choice("snapshot_deletion_policy", "Delete", DELETION_POLICIES, "must be Delete or Retain");
    String tier = section.choice("filestore_tier", DEFAULT_FILESTORE_TIER, FILESTORE_MINIMUMS.keySet(),
        "must be one of " + String.join(", ", FILESTORE_MINIMUMS.keySet()));
    section.check();
    return new GkeSettings(network, policy, tier);
  }
}
