package dev.substrate.proxmox.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.Profile;
import dev.substrate.RenderContext;
import dev.substrate.ResourceKind;
import dev.substrate.Storage;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import dev.substrate.spi.checks.StorageChecks;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.TopologySelectorTermBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Proxmox CSI volumes: a disk per volume on the Proxmox storage {@code proxmox.storage}, hot-plugged into the VM
 * (sergelogvinov/proxmox-csi-plugin README.md, docs/options.md, docs/volumesnapshot.md). The class's parameters are
 * the plugin's {@code storage} and {@code csi.storage.k8s.io/fstype}; its node service accepts only single-node
 * access modes (pkg/csi/node.go volumeCaps), so volumes are ReadWriteOnce; its controller expands volumes and, from
 * v0.16.0, snapshots them as full copies (pkg/csi/controller.go controllerCaps, CHANGELOG.md). Volumes on local
 * storage (lvm, lvm-thin, zfs, dir) stay on their PVE host; volumes on shared storage (Ceph, NFS) follow pods across
 * the hosts of one region (README.md, Overview).
 */
final class ProxmoxCsiStorage implements Storage {
  static final String DEFAULT_CLASS = "proxmox-csi";
  static final String SNAPSHOT_CLASS = "proxmox-snapshot";

  private final SubstrateConfig config;
  private final ProxmoxSettings settings;
  private final String defaultClass;

  ProxmoxCsiStorage(SubstrateConfig config, ProxmoxSettings settings) {
    this.config = config;
    this.settings = settings;
    this.defaultClass = config.storage().defaultClass().orElse(DEFAULT_CLASS);
  }

  @Override
  public String id() {
    return ProxmoxCsiStorageProvider.ID;
  }

  @Override
  public Optional<String> provisioner() {
    return Optional.of(Proxmox.CSI_DRIVER);
  }

  @Override
  public Optional<String> defaultClassName() {
    return Optional.of(defaultClass);
  }

  /** Whether this renders {@value #DEFAULT_CLASS}: config names no other default class, and a storage to use. */
  boolean rendersDefaultClass() {
    return defaultClass.equals(DEFAULT_CLASS) && settings.storage().isPresent();
  }

  boolean rendersSnapshotClass() {
    return config.profile() == Profile.PROD;
  }

  @Override
  public List<Capability> capabilities() {
    return List.of(defaultClassCapability(), rwx(), snapshots(),
        Capability.of(CapabilityIds.STORAGE_EXPANSION, CapabilityState.SUPPORTED,
            "the Proxmox CSI plugin resizes the disk when a PersistentVolumeClaim asks for more (allowVolumeExpansion "
                + "is true on " + DEFAULT_CLASS + ")", null),
        nodeFailover());
  }

  private Capability defaultClassCapability() {
    if (!defaultClass.equals(DEFAULT_CLASS)) {
      return Capability.of(CapabilityIds.STORAGE_DEFAULT_CLASS, CapabilityState.SUPPORTED,
          "storage.default_class " + defaultClass + " is the default StorageClass; doctor checks that it is", null);
    }
    if (settings.storage().isEmpty()) {
      return Capability.of(CapabilityIds.STORAGE_DEFAULT_CLASS, CapabilityState.NEEDS_ACTION,
          "proxmox.storage names no Proxmox storage, so the StorageClass " + DEFAULT_CLASS + " is not rendered",
          "set proxmox.storage to the Proxmox storage id volumes go on (pvesm status lists them, e.g. local-lvm), "
              + "and install the Proxmox CSI plugin: " + Proxmox.installCsi());
    }
    return Capability.of(CapabilityIds.STORAGE_DEFAULT_CLASS, CapabilityState.NEEDS_ACTION,
        "Substrate renders " + DEFAULT_CLASS + " (" + Proxmox.CSI_DRIVER + ", Proxmox storage "
            + settings.storage().get() + ", " + settings.fstype() + settings.region().map(r -> ", region " + r)
            .orElse("") + ") as the default StorageClass; the Proxmox CSI plugin itself, with a Proxmox API token, is "
            + "installed separately",
        "install the Proxmox CSI plugin: " + Proxmox.installCsi() + "; then apply the rendered StorageClass");
  }

  private Capability rwx() {
    if (config.storage().sharedWeights() && config.storage().rwxClass().isPresent()) {
      return Capability.of(CapabilityIds.STORAGE_RWX, CapabilityState.SUPPORTED, "shared weights use storage.rwx_class "
          + config.storage().rwxClass().get() + ", which another provisioner serves; doctor checks that it exists",
          null);
    }
    return Capability.of(CapabilityIds.STORAGE_RWX, CapabilityState.UNSUPPORTED,
        "a Proxmox CSI volume is a disk attached to one VM: ReadWriteOnce only",
        "install an RWX provisioner beside it and set storage.rwx_class to its StorageClass: the NFS CSI driver on an "
            + "NFS export (helm repo add csi-driver-nfs https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/"
            + "master/charts && helm install csi-driver-nfs csi-driver-nfs/csi-driver-nfs -n kube-system, then a "
            + "StorageClass with provisioner nfs.csi.k8s.io), or Longhorn (helm repo add longhorn "
            + "https://charts.longhorn.io && helm install longhorn longhorn/longhorn -n longhorn-system "
            + "--create-namespace, whose RWX volumes need an NFSv4 client on every node)");
  }

  private Capability snapshots() {
    String reason = "the Proxmox CSI plugin (v0.16.0 and later) snapshots volumes experimentally: each snapshot is a "
        + "full copy of the volume, the plugin must log in to Proxmox as root@pam with a password, and its chart's "
        + "csi-snapshotter sidecar is off by default";
    String remedy = "put root@pam with its password in the plugin's config.clusters, install it with --set "
        + "controller.snapshotter.enabled=true, and install the external-snapshotter CRDs and snapshot-controller "
        + "(github.com/kubernetes-csi/external-snapshotter)";
    if (rendersSnapshotClass()) {
      return Capability.of(CapabilityIds.STORAGE_SNAPSHOTS, CapabilityState.NEEDS_ACTION, reason + "; Substrate "
          + "renders the default VolumeSnapshotClass " + SNAPSHOT_CLASS + " (deletionPolicy "
          + settings.snapshotDeletionPolicy() + ")", remedy);
    }
    return Capability.of(CapabilityIds.STORAGE_SNAPSHOTS, CapabilityState.NEEDS_ACTION, reason,
        remedy + "; set profile: prod to have Substrate render a default VolumeSnapshotClass " + SNAPSHOT_CLASS);
  }

  private Capability nodeFailover() {
    String storage = settings.storage().map(s -> "proxmox.storage " + s).orElse("the Proxmox storage");
    if (settings.sharedStorage()) {
      return Capability.of(CapabilityIds.STORAGE_NODE_FAILOVER, CapabilityState.SUPPORTED,
          storage + " is shared by the PVE hosts (proxmox.shared_storage: true), so the plugin attaches a volume to "
              + "a VM on any host of the region and its pod moves with it when a host fails", null);
    }
    return Capability.of(CapabilityIds.STORAGE_NODE_FAILOVER, CapabilityState.UNSUPPORTED,
        "a volume on local storage (lvm, lvm-thin, zfs, dir) lives on one PVE host: its pod moves only between VMs "
            + "on that host (zone), and waits for the host if it fails",
        "put volumes on storage the hosts share (Ceph RBD, NFS) and set proxmox.shared_storage: true; or replicate ZFS "
            + "volumes to other hosts (StorageClass parameters replicate, replicateSchedule, replicateZones), or move "
            + "a volume by hand with pvecsictl migrate");
  }

  @Override
  public List<HasMetadata> resources(RenderContext context) {
    List<HasMetadata> out = new ArrayList<>();
    if (rendersDefaultClass()) {
      out.add(storageClass());
    }
    if (rendersSnapshotClass()) {
      out.add(snapshotClass());
    }
    return out;
  }

  private HasMetadata storageClass() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("storage", settings.storage().orElseThrow());
    parameters.put("csi.storage.k8s.io/fstype", settings.fstype());
    StorageClassBuilder b = new StorageClassBuilder()
        .withNewMetadata().withName(DEFAULT_CLASS).withLabels(Resources.managedLabels())
            .addToAnnotations(StorageChecks.DEFAULT_CLASS_ANNOTATION, "true").endMetadata()
        .withProvisioner(Proxmox.CSI_DRIVER)
        .withParameters(parameters)
        .withReclaimPolicy("Delete")
        .withVolumeBindingMode("WaitForFirstConsumer")
        .withAllowVolumeExpansion(true);
    settings.region().ifPresent(region -> b.withAllowedTopologies(new TopologySelectorTermBuilder()
        .addNewMatchLabelExpression().withKey(Proxmox.REGION_LABEL).withValues(region).endMatchLabelExpression()
        .build()));
    return b.build();
  }

  private GenericKubernetesResource snapshotClass() {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(ResourceKind.VOLUME_SNAPSHOT_CLASSES.apiVersion())
        .withKind(ResourceKind.VOLUME_SNAPSHOT_CLASSES.kind())
        .withNewMetadata().withName(SNAPSHOT_CLASS).withLabels(Resources.managedLabels())
            .addToAnnotations(StorageChecks.DEFAULT_SNAPSHOT_CLASS_ANNOTATION, "true").endMetadata()
        .addToAdditionalProperties("driver", Proxmox.CSI_DRIVER)
        .addToAdditionalProperties("deletionPolicy", settings.snapshotDeletionPolicy())
        .build();
  }

  @Override
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    checks.add(defaultClass.equals(DEFAULT_CLASS) ? renderedDefaultClass()
        : StorageChecks.defaultClass(Optional.of(defaultClass)));
    checks.add(ProxmoxCsiChecks.csiDriver());
    checks.add(ProxmoxCsiChecks.topology(settings));
    checks.add(rendersSnapshotClass() ? StorageChecks.snapshots(config.profile(), SNAPSHOT_CLASS)
        : StorageChecks.snapshots(config.profile()));
    checks.add(StorageChecks.rwx(config.storage()));
    return checks;
  }

  /**
   * The shared {@code storage.default-class}, whose remedy, while {@value #DEFAULT_CLASS} is missing, is to apply it
   * (or, without {@code proxmox.storage}, to name the storage so that it is rendered).
   */
  private Check renderedDefaultClass() {
    Check shared = StorageChecks.defaultClass(Optional.of(DEFAULT_CLASS));
    return Check.of(shared.id(), shared.reads(), snapshot -> {
      CheckResult result = shared.run(snapshot);
      boolean missing = snapshot.list(ResourceKind.STORAGE_CLASSES).stream()
          .noneMatch(c -> DEFAULT_CLASS.equals(c.getMetadata().getName()));
      if (result.status() != CheckStatus.FAIL || !missing) {
        return result;
      }
      return CheckResult.fail(result.id(), result.finding(), rendersDefaultClass()
          ? "apply the rendered StorageClass " + DEFAULT_CLASS + " (substrate apply, or through GitOps), which is "
              + "annotated as the default"
          : "set proxmox.storage to the Proxmox storage id volumes go on (e.g. local-lvm), then apply the rendered "
              + "StorageClass " + DEFAULT_CLASS);
    });
  }
}
