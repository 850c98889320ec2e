package dev.substrate.gke.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.Profile;
import dev.substrate.RenderContext;
import dev.substrate.ResourceKind;
import dev.substrate.Storage;
import dev.substrate.StorageConfig;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import dev.substrate.spi.checks.StorageChecks;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Persistent Disk storage on GKE. GKE ships the PD classes ({@code standard-rwo} is the default) but no
 * VolumeSnapshotClass, so for {@code prod} this renders a default one; with {@code storage.shared_weights} it renders
 * a Filestore StorageClass for ReadWriteMany.
 */
final class GkePdStorage implements Storage {
  static final String DEFAULT_CLASS = "standard-rwo";
  /** The rendered VolumeSnapshotClass, named as in the PD CSI driver's examples. */
  static final String SNAPSHOT_CLASS = "pd-snapshot-class";
  /** The rendered Filestore class; not {@code standard-rwx}, which GKE itself creates with the Filestore addon. */
  static final String RWX_CLASS = "substrate-rwx";
  static final String FILESTORE_DRIVER_CHECK = "storage.gke.filestore-driver";
  static final ResourceKind CSI_DRIVERS = ResourceKind.of("storage.k8s.io", "v1", "CSIDriver", "csidrivers", false);

  private static final Pattern ZONE = Pattern.compile("([a-z]+-[a-z]+[0-9]+)-[a-z]");

  private final SubstrateConfig config;
  private final GkeSettings settings;
  private final String defaultClass;

  GkePdStorage(SubstrateConfig config, GkeSettings settings) {
    this.config = config;
    this.settings = settings;
    this.defaultClass = config.storage().defaultClass().orElse(DEFAULT_CLASS);
  }

  @Override
  public String id() {
    return GkePdStorageProvider.ID;
  }

  @Override
  public Optional<String> provisioner() {
    return Optional.of(Gke.PD_PROVISIONER);
  }

  @Override
  public Optional<String> defaultClassName() {
    return Optional.of(defaultClass);
  }

  /** Whether this renders the Filestore class: shared weights, and no other RWX class named in config. */
  boolean rendersRwxClass() {
    StorageConfig storage = config.storage();
    return storage.sharedWeights() && storage.rwxClass().orElse(RWX_CLASS).equals(RWX_CLASS);
  }

  boolean rendersSnapshotClass() {
    return config.profile() == Profile.PROD;
  }

  @Override
  public List<Capability> capabilities() {
    return List.of(
        Capability.of(CapabilityIds.STORAGE_DEFAULT_CLASS, CapabilityState.SUPPORTED,
            "GKE ships " + defaultClass + " (" + Gke.PD_PROVISIONER + ", pd-balanced) as the default StorageClass",
            null),
        rwx(),
        snapshots(),
        Capability.of(CapabilityIds.STORAGE_EXPANSION, CapabilityState.SUPPORTED,
            "PD volumes expand online (allowVolumeExpansion is true on GKE's PD classes)", null));
  }

  private Capability rwx() {
    String enableAddon = "enable the Filestore CSI driver: gcloud container clusters update " + Gke.clusterArgs(config)
        + " --update-addons=" + Gke.FILESTORE_ADDON + "=ENABLED";
    if (!config.storage().sharedWeights()) {
      return Capability.of(CapabilityIds.STORAGE_RWX, CapabilityState.NEEDS_ACTION,
          "Persistent Disk volumes are ReadWriteOnce; ReadWriteMany needs Filestore, whose smallest volume depends on "
              + "the tier (tier " + settings.filestoreTier() + ": " + filestoreMinimum() + ")",
          "set storage.shared_weights: true (Substrate then renders the Filestore StorageClass " + RWX_CLASS + ") and "
              + enableAddon);
    }
    if (!rendersRwxClass()) {
      return Capability.of(CapabilityIds.STORAGE_RWX, CapabilityState.SUPPORTED,
          "shared weights use storage.rwx_class " + config.storage().rwxClass().orElseThrow()
              + "; doctor checks that it exists", null);
    }
    return Capability.of(CapabilityIds.STORAGE_RWX, CapabilityState.NEEDS_ACTION,
        "shared weights use the rendered Filestore StorageClass " + RWX_CLASS + " (" + Gke.FILESTORE_PROVISIONER
            + ", tier " + settings.filestoreTier() + ", ReadWriteMany); its smallest volume is " + filestoreMinimum()
            + " (gke.filestore_tier chooses another tier)",
        enableAddon + ", then apply the rendered StorageClass");
  }

  private String filestoreMinimum() {
    return GkeSettings.FILESTORE_MINIMUMS.get(settings.filestoreTier());
  }

  private Capability snapshots() {
    String reason = "the PD CSI driver snapshots volumes, but GKE ships no VolumeSnapshotClass";
    if (rendersSnapshotClass()) {
      return Capability.of(CapabilityIds.STORAGE_SNAPSHOTS, CapabilityState.SUPPORTED, reason
          + "; Substrate renders the default one, " + SNAPSHOT_CLASS + " (substrate apply, or through GitOps)", null);
    }
    return Capability.of(CapabilityIds.STORAGE_SNAPSHOTS, CapabilityState.NEEDS_ACTION, reason,
        "set profile: prod to have Substrate render a default VolumeSnapshotClass " + SNAPSHOT_CLASS + " for "
            + Gke.PD_PROVISIONER + ", or create one yourself");
  }

  @Override
  public List<HasMetadata> resources(RenderContext context) {
    List<HasMetadata> out = new ArrayList<>();
    if (rendersRwxClass()) {
      out.add(filestoreClass());
    }
    if (rendersSnapshotClass()) {
      out.add(snapshotClass());
    }
    return out;
  }

  private HasMetadata filestoreClass() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("tier", settings.filestoreTier());
    settings.filestoreNetwork().ifPresent(n -> parameters.put("network", n));
    return new StorageClassBuilder()
        .withNewMetadata().withName(RWX_CLASS).withLabels(Resources.managedLabels()).endMetadata()
        .withProvisioner(Gke.FILESTORE_PROVISIONER)
        .withParameters(parameters)
        .withVolumeBindingMode("WaitForFirstConsumer")
        .withAllowVolumeExpansion(true)
        .build();
  }

  /**
   * The default VolumeSnapshotClass for PD. Snapshots are stored in the cluster's region when {@code cluster.location}
   * says which (a zone is widened to its region); otherwise Compute Engine picks the nearest multi-region.
   */
  private GenericKubernetesResource snapshotClass() {
    GenericKubernetesResourceBuilder b = new GenericKubernetesResourceBuilder()
        .withApiVersion(ResourceKind.VOLUME_SNAPSHOT_CLASSES.apiVersion())
        .withKind(ResourceKind.VOLUME_SNAPSHOT_CLASSES.kind())
        .withNewMetadata().withName(SNAPSHOT_CLASS).withLabels(Resources.managedLabels())
            .addToAnnotations(StorageChecks.DEFAULT_SNAPSHOT_CLASS_ANNOTATION, "true").endMetadata()
        .addToAdditionalProperties("driver", Gke.PD_PROVISIONER)
        .addToAdditionalProperties("deletionPolicy", settings.snapshotDeletionPolicy());
    config.cluster().location().map(GkePdStorage::region)
        .ifPresent(region -> b.addToAdditionalProperties("parameters", Map.of("storage-locations", region)));
    return b.build();
  }

  /** {@code europe-west4} for {@code europe-west4-a}; a region stays as it is. */
  static String region(String location) {
    Matcher m = ZONE.matcher(location);
    return m.matches() ? m.group(1) : location;
  }

  @Override
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    checks.add(StorageChecks.defaultClass(Optional.of(defaultClass)));
    checks.add(rendersSnapshotClass() ? StorageChecks.snapshots(config.profile(), SNAPSHOT_CLASS)
        : StorageChecks.snapshots(config.profile()));
    if (rendersRwxClass()) {
      checks.add(StorageChecks.rwx(config.storage(), RWX_CLASS));
      checks.add(filestoreDriver());
    } else {
      checks.add(StorageChecks.rwx(config.storage()));
    }
    return checks;
  }

  /** {@value #FILESTORE_DRIVER_CHECK}: the Filestore CSI driver is installed, so the Filestore class provisions. */
  private Check filestoreDriver() {
    return Check.of(FILESTORE_DRIVER_CHECK, Set.of(CSI_DRIVERS), snapshot -> {
      boolean installed = snapshot.list(CSI_DRIVERS).stream()
          .anyMatch(d -> Gke.FILESTORE_PROVISIONER.equals(d.getMetadata().getName()));
      if (installed) {
        return CheckResult.pass(FILESTORE_DRIVER_CHECK, "the Filestore CSI driver " + Gke.FILESTORE_PROVISIONER
            + " is installed");
      }
      return CheckResult.fail(FILESTORE_DRIVER_CHECK, "storage.shared_weights needs Filestore but the CSI driver "
          + Gke.FILESTORE_PROVISIONER + " is not installed, so " + RWX_CLASS + " volumes stay Pending",
          "enable the " + Gke.FILESTORE_ADDON + " addon: gcloud container clusters update " + Gke.clusterArgs(config)
              + " --update-addons=" + Gke.FILESTORE_ADDON + "=ENABLED");
    });
  }
}
