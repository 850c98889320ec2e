package dev.substrate.proxmox.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Detection;
import dev.substrate.spi.NodeFingerprint;
import dev.substrate.spi.ProviderContext;
import dev.substrate.spi.SubstrateDefaults;
import dev.substrate.spi.SubstrateProvider;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Substrate {@code proxmox}: Kubernetes nodes that are Proxmox VE VMs, recognised by the {@code proxmox://}
 * providerIDs the Proxmox cloud-controller-manager sets. Defaults: the GPU Operator (byo's {@code operator}) on VMs
 * with a GPU passed through, {@code proxmox-csi} storage, MetalLB (byo's {@code metallb}), which needs
 * {@code load_balancer.addresses}, and byo's {@code kubernetes} secret backend. The {@code proxmox:} section
 * ({@link ProxmoxSettings}) names the Proxmox storage.
 */
public final class ProxmoxSubstrateProvider implements SubstrateProvider {
  static final String ID = "proxmox";
  static final String OPERATOR = "operator";
  static final String NONE = "none";
  static final String METALLB = "metallb";
  static final String KUBERNETES = "kubernetes";
  static final String PCI_PASSTHROUGH = "gpu.pci-passthrough";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public SubstrateDefaults defaults() {
    return SubstrateDefaults.builder()
        .gpuStack(OPERATOR)
        .storage(ProxmoxCsiStorageProvider.ID)
        .loadBalancer(METALLB)
        .secretBackend(KUBERNETES)
        .build();
  }

  /**
   * {@code proxmox://} providerIDs, scored higher when the CCM's own {@code topology.proxmox.sinextra.dev/region}
   * label is there too; the evidence names one providerID seen.
   */
  @Override
  public Optional<Detection> detect(ClusterSnapshot nodes) {
    NodeFingerprint fp = NodeFingerprint.of(nodes, Proxmox.PROXMOX_REGION_LABEL);
    int proxmox = fp.withScheme(Proxmox.PROVIDER_ID_SCHEME);
    if (proxmox == 0) {
      return Optional.empty();
    }
    String example = nodes.list(ResourceKind.NODES, Node.class).stream()
        .map(n -> n.getSpec() == null ? null : n.getSpec().getProviderID())
        .filter(id -> id != null && id.startsWith(Proxmox.PROVIDER_ID_SCHEME)).findFirst().orElseThrow();
    int score = fp.withLabel(Proxmox.PROXMOX_REGION_LABEL) > 0 ? 90 : 85;
    return Optional.of(Detection.of(ID, score * proxmox / fp.nodes(), fp.describe() + " (e.g. " + example + ")"));
  }

  /**
   * {@code gpu.pci-passthrough} and {@code gpu.scale-to-zero}, unless there is no GPU stack. Passthrough: the Proxmox
   * VE wiki, PCI(e) Passthrough (https://pve.proxmox.com/wiki/PCI(e)_Passthrough): IOMMU on, the device bound to
   * vfio-pci, a q35 VM with {@code hostpci<n>: <address>,pcie=1}; a VM with a passed-through device cannot be live
   * migrated.
   */
  @Override
  public List<Capability> capabilities(ProviderContext context) {
    String stack = context.config().gpuStack().orElse(OPERATOR);
    List<Capability> out = new ArrayList<>();
    if (NONE.equals(stack)) {
      return out;
    }
    out.add(Capability.of(PCI_PASSTHROUGH, CapabilityState.NEEDS_ACTION,
        "a Proxmox VM sees a GPU only when the PVE host passes the whole device through to it (IOMMU, vfio-pci); "
            + "the GPU then serves that one VM, which can no longer be live-migrated to another host",
        "on the GPU's PVE host turn on VT-d or AMD-Vi in the firmware and the IOMMU in the kernel (intel_iommu=on "
            + "iommu=pt on Intel), bind the GPU to vfio-pci (options vfio-pci ids=10de:<device id>) and keep the host's "
            + "nouveau and nvidia drivers off it; then give the GPU VM machine type q35 and the GPU as a PCI-Express "
            + "device (qm set <vmid> --machine q35 --hostpci0 <PCI address>,pcie=1); the GPU Operator installs the "
            + "driver inside the VM"));
    out.add(Capability.of(CapabilityIds.GPU_SCALE_TO_ZERO, CapabilityState.NEEDS_ACTION,
        "a GPU VM holds its passed-through GPU on one PVE host; Proxmox itself makes no VMs on demand, so GPU nodes "
            + "stay up unless something that creates VMs (Cluster API with a Proxmox provider) scales them",
        "keep the GPU VM and scale the workload pods to zero instead, e.g. with KEDA, or manage the GPU VMs with "
            + "Cluster API's Proxmox provider and run the Cluster Autoscaler with its clusterapi provider"));
    return out;
  }
}
