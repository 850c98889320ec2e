package dev.substrate.proxmox.internal;

/**
 * Names the Proxmox cloud-controller-manager and CSI plugin (both sergelogvinov's) give things.
 *
 * <p>providerID: {@code proxmox://<region>/<vmid>}, or {@code proxmox://<SystemUUID>} with the CCM's {@code capmox}
 * provider (proxmox-cloud-controller-manager pkg/provider/provider.go, docs/config.md). The CCM labels each node with
 * {@code topology.kubernetes.io/region} (the Proxmox cluster's {@code clusters[].region}), {@code
 * topology.kubernetes.io/zone} (the PVE host) and {@code topology.proxmox.sinextra.dev/region|zone} (pkg/proxmox/
 * labels.go, README.md). The CSI plugin reads region from {@code topology.proxmox.sinextra.dev/region}, else {@code
 * topology.kubernetes.io/region}, and zone from {@code topology.proxmox.sinextra.dev/node}, else {@code
 * topology.kubernetes.io/zone}; its node service fails without both (proxmox-csi-plugin pkg/csi/helper.go
 * GetNodeTopology, pkg/csi/node.go NodeGetInfo). Driver name {@code csi.proxmox.sinextra.dev} (pkg/csi/driver.go).
 */
final class Proxmox {
  static final String PROVIDER_ID_SCHEME = "proxmox://";

  static final String REGION_LABEL = "topology.kubernetes.io/region";
  static final String ZONE_LABEL = "topology.kubernetes.io/zone";
  /** The CCM's own region label. */
  static final String PROXMOX_REGION_LABEL = "topology.proxmox.sinextra.dev/region";
  /** The CCM's own zone label; the CSI plugin does not read it (it reads {@link #CSI_NODE_LABEL}). */
  static final String PROXMOX_ZONE_LABEL = "topology.proxmox.sinextra.dev/zone";
  /** The CSI plugin's alternative zone label. */
  static final String CSI_NODE_LABEL = "topology.proxmox.sinextra.dev/node";

  static final String CSI_DRIVER = "csi.proxmox.sinextra.dev";
  /** The chart's namespace and Deployment ({@code <release>-proxmox-csi-plugin-controller}, release proxmox-csi-plugin). */
  static final String CSI_NAMESPACE = "csi-proxmox";
  static final String CSI_NAME = "proxmox-csi-plugin";
  static final String CSI_CONTROLLER = "proxmox-csi-plugin-controller";
  static final String CSI_CHART = "oci://ghcr.io/sergelogvinov/charts/proxmox-csi-plugin";
  static final String CCM_NAME = "proxmox-cloud-controller-manager";
  static final String CCM_CHART = "oci://ghcr.io/sergelogvinov/charts/proxmox-cloud-controller-manager";

  private Proxmox() {}

  /** The helm command that installs the CSI plugin as its docs/install.md does. */
  static String installCsi() {
    return "kubectl create ns " + CSI_NAMESPACE + " && kubectl label ns " + CSI_NAMESPACE
        + " pod-security.kubernetes.io/enforce=privileged && helm upgrade -i -n " + CSI_NAMESPACE
        + " -f proxmox-csi.yaml " + CSI_NAME + " " + CSI_CHART + " (proxmox-csi.yaml: config.clusters with each "
        + "Proxmox cluster's url, token_id, token_secret and region)";
  }
}
