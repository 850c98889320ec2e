package dev.substrate.aws.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
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

/**
 * EBS and EFS on EKS. The EBS CSI add-on ships no gp3 class (EKS's own {@code gp2} uses the in-tree provisioner), so
 * this renders the default StorageClass {@value #DEFAULT_CLASS}; for {@code prod} a default VolumeSnapshotClass; with
 * {@code storage.shared_weights} an EFS access-point class. Parameters: kubernetes-sigs/aws-ebs-csi-driver
 * docs/parameters.md ({@code type}, {@code csi.storage.k8s.io/fstype}, {@code encrypted}, {@code kmsKeyId}) and
 * kubernetes-sigs/aws-efs-csi-driver docs/parameters.md ({@code provisioningMode: efs-ap}, {@code fileSystemId},
 * {@code directoryPerms}).
 */
final class EbsStorage implements Storage {
  static final String DEFAULT_CLASS = "gp3";
  static final String SNAPSHOT_CLASS = "ebs-snapshot-class";
  static final String RWX_CLASS = "efs-sc";
  static final String EBS_DRIVER_CHECK = "storage.aws.ebs-driver";
  static final String EFS_DRIVER_CHECK = "storage.aws.efs-driver";
  static final ResourceKind CSI_DRIVERS = ResourceKind.of("storage.k8s.io", "v1", "CSIDriver", "csidrivers", false);

  private final SubstrateConfig config;
  private final AwsSettings settings;
  private final String defaultClass;

  EbsStorage(SubstrateConfig config, AwsSettings settings) {
    this.config = config;
    this.settings = settings;
    this.defaultClass = config.storage().defaultClass().orElse(DEFAULT_CLASS);
  }

  @Override
  public String id() {
    return EbsStorageProvider.ID;
  }

  @Override
  public Optional<String> provisioner() {
    return Optional.of(Eks.EBS_PROVISIONER);
  }

  @Override
  public Optional<String> defaultClassName() {
    return Optional.of(defaultClass);
  }

  /** Whether this renders the gp3 class: unless config names another default class. */
  boolean rendersDefaultClass() {
    return defaultClass.equals(DEFAULT_CLASS);
  }

  boolean rendersSnapshotClass() {
    return config.profile() == Profile.PROD;
  }

  /** Shared weights, no other RWX class named, and a file system to put access points on. */
  boolean rendersRwxClass() {
    StorageConfig storage = config.storage();
    return storage.sharedWeights() && storage.rwxClass().orElse(RWX_CLASS).equals(RWX_CLASS)
        && settings.efsFileSystemId().isPresent();
  }

  @Override
  public List<Capability> capabilities() {
    return List.of(defaultClassCapability(), rwx(), snapshots(),
        Capability.of(CapabilityIds.STORAGE_EXPANSION, CapabilityState.SUPPORTED,
            "EBS volumes expand online (allowVolumeExpansion is true on " + DEFAULT_CLASS + "); EFS file systems grow "
                + "elastically and have no size to expand", null));
  }

  private Capability defaultClassCapability() {
    String addon = "install the EBS CSI driver: aws eks create-addon " + Eks.clusterArgs(config).replace("--cluster",
        "--cluster-name") + " --addon-name aws-ebs-csi-driver" + settings.ebsCsiRoleArn()
        .map(r -> " --service-account-role-arn " + r).orElse(" --service-account-role-arn ROLE_ARN (IRSA role with "
            + "the AmazonEBSCSIDriverPolicy managed policy)");
    if (!rendersDefaultClass()) {
      return Capability.of(CapabilityIds.STORAGE_DEFAULT_CLASS, CapabilityState.SUPPORTED,
          "storage.default_class " + defaultClass + " is the default StorageClass; doctor checks that it is", null);
    }
    return Capability.of(CapabilityIds.STORAGE_DEFAULT_CLASS, CapabilityState.NEEDS_ACTION,
        "Substrate renders " + DEFAULT_CLASS + " (" + Eks.EBS_PROVISIONER + ", type gp3, encrypted"
            + settings.ebsKmsKeyId().map(k -> " with aws.ebs_kms_key_id").orElse(" with AWS's default EBS key")
            + ") as the default StorageClass; the EBS CSI driver is an EKS add-on with an IAM role of its own",
        addon + "; if EKS's gp2 class is still annotated as the default, remove that annotation (kubectl annotate "
            + "storageclass gp2 " + StorageChecks.DEFAULT_CLASS_ANNOTATION + "-)");
  }

  private Capability rwx() {
    String addon = "install the EFS CSI driver (aws eks create-addon --addon-name aws-efs-csi-driver"
        + settings.efsCsiRoleArn().map(r -> " --service-account-role-arn " + r).orElse(" with an IRSA role carrying "
            + "AmazonEFSCSIDriverPolicy") + ") and give the file system a mount target in every subnet of the nodes";
    if (!config.storage().sharedWeights()) {
      return Capability.of(CapabilityIds.STORAGE_RWX, CapabilityState.NEEDS_ACTION,
          "EBS volumes are ReadWriteOnce; ReadWriteMany shared weights use EFS (" + Eks.EFS_PROVISIONER + ", access "
              + "points on one file system)",
          "set storage.shared_weights: true and aws.efs_file_system_id (Substrate then renders the EFS StorageClass "
              + RWX_CLASS + "), and " + addon);
    }
    if (config.storage().rwxClass().filter(c -> !c.equals(RWX_CLASS)).isPresent()) {
      return Capability.of(CapabilityIds.STORAGE_RWX, CapabilityState.SUPPORTED,
          "shared weights use storage.rwx_class " + config.storage().rwxClass().orElseThrow()
              + "; doctor checks that it exists", null);
    }
    if (settings.efsFileSystemId().isEmpty()) {
      return Capability.of(CapabilityIds.STORAGE_RWX, CapabilityState.NEEDS_ACTION,
          "shared weights need an EFS file system for the access points of StorageClass " + RWX_CLASS
              + ", and aws.efs_file_system_id names none, so the class is not rendered",
          "create an EFS file system in the cluster's VPC, set aws.efs_file_system_id to its id, and " + addon);
    }
    return Capability.of(CapabilityIds.STORAGE_RWX, CapabilityState.NEEDS_ACTION,
        "shared weights use the rendered EFS StorageClass " + RWX_CLASS + " (" + Eks.EFS_PROVISIONER
            + ", an access point per volume on " + settings.efsFileSystemId().get() + ", ReadWriteMany)",
        addon + ", then apply the rendered StorageClass");
  }

  private Capability snapshots() {
    String reason = "the EBS CSI driver snapshots volumes, but EKS ships no VolumeSnapshotClass and the snapshot CRDs "
        + "and controller come with the snapshot-controller add-on";
    String addon = "aws eks create-addon --addon-name snapshot-controller";
    if (rendersSnapshotClass()) {
      return Capability.of(CapabilityIds.STORAGE_SNAPSHOTS, CapabilityState.SUPPORTED, reason + "; Substrate renders "
          + "the default one, " + SNAPSHOT_CLASS + " (deletionPolicy " + settings.snapshotDeletionPolicy() + ")", null);
    }
    return Capability.of(CapabilityIds.STORAGE_SNAPSHOTS, CapabilityState.NEEDS_ACTION, reason,
        "set profile: prod to have Substrate render a default VolumeSnapshotClass " + SNAPSHOT_CLASS + " for "
            + Eks.EBS_PROVISIONER + ", and install the snapshot controller (" + addon + ")");
  }

  @Override
  public List<HasMetadata> resources(RenderContext context) {
    List<HasMetadata> out = new ArrayList<>();
    if (rendersDefaultClass()) {
      out.add(gp3());
    }
    if (rendersRwxClass()) {
      out.add(efs());
    }
    if (rendersSnapshotClass()) {
      out.add(snapshotClass());
    }
    return out;
  }

  private HasMetadata gp3() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("type", "gp3");
    parameters.put("csi.storage.k8s.io/fstype", "ext4");
    parameters.put("encrypted", "true");
    settings.ebsKmsKeyId().ifPresent(k -> parameters.put("kmsKeyId", k));
    return new StorageClassBuilder()
        .withNewMetadata().withName(DEFAULT_CLASS).withLabels(Resources.managedLabels())
            .addToAnnotations(StorageChecks.DEFAULT_CLASS_ANNOTATION, "true").endMetadata()
        .withProvisioner(Eks.EBS_PROVISIONER)
        .withParameters(parameters)
        .withReclaimPolicy("Delete")
        .withVolumeBindingMode("WaitForFirstConsumer")
        .withAllowVolumeExpansion(true)
        .build();
  }

  private HasMetadata efs() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("provisioningMode", "efs-ap");
    parameters.put("fileSystemId", settings.efsFileSystemId().orElseThrow());
    parameters.put("directoryPerms", "700");
    parameters.put("basePath", "/substrate");
    return new StorageClassBuilder()
        .withNewMetadata().withName(RWX_CLASS).withLabels(Resources.managedLabels()).endMetadata()
        .withProvisioner(Eks.EFS_PROVISIONER)
        .withParameters(parameters)
        .withReclaimPolicy("Delete")
        .withVolumeBindingMode("Immediate")
        .build();
  }

  private GenericKubernetesResource snapshotClass() {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(ResourceKind.VOLUME_SNAPSHOT_CLASSES.apiVersion())
        .withKind(ResourceKind.VOLUME_SNAPSHOT_CLASSES.kind())
        .withNewMetadata().withName(SNAPSHOT_CLASS).withLabels(Resources.managedLabels())
            .addToAnnotations(StorageChecks.DEFAULT_SNAPSHOT_CLASS_ANNOTATION, "true").endMetadata()
        .addToAdditionalProperties("driver", Eks.EBS_PROVISIONER)
        .addToAdditionalProperties("deletionPolicy", settings.snapshotDeletionPolicy())
        .build();
  }

  @Override
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    checks.add(rendersDefaultClass() ? renderedDefaultClass() : StorageChecks.defaultClass(Optional.of(defaultClass)));
    checks.add(csiDriver(EBS_DRIVER_CHECK, Eks.EBS_PROVISIONER, "aws-ebs-csi-driver",
        "volumes of " + defaultClass + " stay Pending", settings.ebsCsiRoleArn(), "AmazonEBSCSIDriverPolicy"));
    checks.add(rendersSnapshotClass() ? StorageChecks.snapshots(config.profile(), SNAPSHOT_CLASS)
        : StorageChecks.snapshots(config.profile()));
    boolean efsClass = config.storage().sharedWeights() && config.storage().rwxClass().orElse(RWX_CLASS)
        .equals(RWX_CLASS);
    checks.add(efsClass ? StorageChecks.rwx(config.storage(), RWX_CLASS) : StorageChecks.rwx(config.storage()));
    if (efsClass) {
      checks.add(csiDriver(EFS_DRIVER_CHECK, Eks.EFS_PROVISIONER, "aws-efs-csi-driver",
          "volumes of " + RWX_CLASS + " stay Pending", settings.efsCsiRoleArn(), "AmazonEFSCSIDriverPolicy"));
    }
    return checks;
  }

  /**
   * The shared {@code storage.default-class}, whose remedy, while the rendered {@value #DEFAULT_CLASS} class is
   * missing, is to apply it rather than to annotate a class that does not exist.
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
      return CheckResult.fail(result.id(), result.finding(), "apply the rendered StorageClass " + DEFAULT_CLASS
          + " (substrate apply, or through GitOps), which is annotated as the default");
    });
  }

  /** The CSI driver {@code driver} is registered (its CSIDriver object exists), so its classes provision. */
  private Check csiDriver(String id, String driver, String addon, String otherwise, Optional<String> role,
      String policy) {
    return Check.of(id, Set.of(CSI_DRIVERS), snapshot -> {
      boolean installed = snapshot.list(CSI_DRIVERS).stream().anyMatch(d -> driver.equals(d.getMetadata().getName()));
      if (installed) {
        return CheckResult.pass(id, "the CSI driver " + driver + " is installed");
      }
      return CheckResult.fail(id, "the CSI driver " + driver + " is not installed (no CSIDriver " + driver + "), so "
          + otherwise, "aws eks create-addon " + Eks.clusterArgs(config).replace("--cluster", "--cluster-name")
          + " --addon-name " + addon + " --service-account-role-arn " + role.orElse("ROLE_ARN (an IRSA role with the "
              + policy + " managed policy)"));
    });
  }
}
