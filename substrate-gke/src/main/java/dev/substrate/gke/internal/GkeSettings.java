package dev.substrate.gke.internal;

import dev.substrate.ConfigException;
import dev.substrate.SubstrateConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code gke:} config section.
 *
 * <pre>{@code
 * gke:
 *   filestore_network: ml-vpc          # the VPC of the Filestore instances behind storage.shared_weights
 *   snapshot_deletion_policy: Retain   # of the rendered VolumeSnapshotClass; default Delete
 * }</pre>
 *
 * @param filestoreNetwork the VPC network Filestore instances attach to; empty means GKE's default ({@code default})
 * @param snapshotDeletionPolicy {@code Delete} or {@code Retain}
 */
record GkeSettings(Optional<String> filestoreNetwork, String snapshotDeletionPolicy) {
  static final String SECTION = "gke";
  static final List<String> KEYS = List.of("filestore_network", "snapshot_deletion_policy");
  static final List<String> DELETION_POLICIES = List.of("Delete", "Retain");

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
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new GkeSettings(Optional.ofNullable((String) network).map(String::trim), String.valueOf(policy));
  }
}
