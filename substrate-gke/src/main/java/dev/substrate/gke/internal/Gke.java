package dev.substrate.gke.internal;

import dev.substrate.SubstrateConfig;

/** Names GKE gives things: node labels, addons, the namespaces of its managed components. */
final class Gke {
  /** The accelerator type of a GPU node, e.g. {@code nvidia-l4}; GKE sets it on every node of a GPU node pool. */
  static final String ACCELERATOR_LABEL = "cloud.google.com/gke-accelerator";
  /** {@code default} or {@code latest}: the driver GKE installs (node-pool flag {@code gpu-driver-version}). */
  static final String DRIVER_VERSION_LABEL = "cloud.google.com/gke-gpu-driver-version";
  /** Set to {@code true} on nodes where GKE must not run its device plugin (to run the GPU Operator instead). */
  static final String NO_DEFAULT_DEVICE_PLUGIN_LABEL = "gke-no-default-nvidia-gpu-device-plugin";
  static final String SHARING_STRATEGY_LABEL = "cloud.google.com/gke-gpu-sharing-strategy";
  static final String PARTITION_SIZE_LABEL = "cloud.google.com/gke-gpu-partition-size";

  static final String PD_PROVISIONER = "pd.csi.storage.gke.io";
  static final String FILESTORE_PROVISIONER = "filestore.csi.storage.gke.io";
  static final String FILESTORE_ADDON = "GcpFilestoreCsiDriver";

  private Gke() {}

  /** {@code gcloud} arguments naming the configured cluster, with placeholders for what config does not say. */
  static String clusterArgs(SubstrateConfig config) {
    return config.cluster().name().orElse("CLUSTER") + " --location " + config.cluster().location().orElse("LOCATION");
  }
}
