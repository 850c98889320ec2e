package dev.substrate.gke.internal;

import dev.substrate.ConfigException;
import dev.substrate.SubstrateConfig;
import java.util.ArrayList;
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
    Map<String, Object> section = config.section(SECTION).orElse(Map.of());
    List<String> problems = new ArrayList<>();
    for (String key : section.keySet()) {
      if (!KEYS.contains(key)) {
        problems.add(SECTION + "." + key + " is not a known key (known: " + String.join(", ", KEYS) + ")");
      }
    }
    Object network = section.get("filestore_network");
    if (network != null && (!(network instanceof String) || ((String) network).isBlank())) {
      problems.add(SECTION + ".filestore_network was '" + network + "' but must name a VPC network, e.g. default or "
          + "projects/HOST_PROJECT/global/networks/NAME");
    }
    Object policy = section.getOrDefault("snapshot_deletion_policy", "Delete");
    if (!DELETION_POLICIES.contains(String.valueOf(policy))) {
      problems.add(SECTION + ".snapshot_deletion_policy was '" + policy + "' but must be Delete or Retain");
    }
    Object tier = section.getOrDefault("filestore_tier", DEFAULT_FILESTORE_TIER);
    if (!FILESTORE_MINIMUMS.containsKey(String.valueOf(tier))) {
      problems.add(SECTION + ".filestore_tier was '" + tier + "' but must be one of "
          + String.join(", ", FILESTORE_MINIMUMS.keySet()));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new GkeSettings(Optional.ofNullable((String) network).map(String::trim), String.valueOf(policy),
        String.valueOf(tier));
  }
}
