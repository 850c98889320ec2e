package dev.substrate.spi.checks;

import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.Profile;
import dev.substrate.ResourceKind;
import dev.substrate.StorageConfig;
import dev.substrate.spi.Resources;
import dev.substrate.spi.Check;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Doctor checks of storage every substrate shares: exactly one default StorageClass, snapshots for {@code prod},
 * and an RWX class when model weights are shared.
 *
 * <pre>{@code
 * List<Check> checks = StorageChecks.all(config.storage(), config.profile());
 * }</pre>
 */
public final class StorageChecks {
  public static final String DEFAULT_CLASS = "storage.default-class";
  public static final String SNAPSHOTS = "storage.snapshots";
  public static final String RWX = "storage.rwx";

  public static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
  /** The pre-GA spelling Kubernetes still honours. */
  public static final String BETA_DEFAULT_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";
  public static final String DEFAULT_SNAPSHOT_CLASS_ANNOTATION = "snapshot.storage.kubernetes.io/is-default-class";

  /** CSI drivers and provisioners known to serve ReadWriteMany volumes, with what to know about each. */
  public static final Map<String, String> RWX_PROVISIONERS = Map.of(
      "filestore.csi.storage.gke.io", "GKE Filestore",
      "efs.csi.aws.com", "Amazon EFS (access points)",
      "nfs.csi.k8s.io", "NFS CSI driver",
      "cluster.local/nfs-subdir-external-provisioner", "NFS subdir provisioner",
      "driver.longhorn.io", "Longhorn; RWX volumes need its share-manager and an NFSv4 client on every node",
      "linstor.csi.linbit.com", "LINSTOR",
      "cephfs.csi.ceph.com", "CephFS");

  private static final String RWX_REMEDY = "install an RWX provisioner (an NFS provisioner such as nfs.csi.k8s.io, "
      + "Longhorn or LINSTOR) and set storage.rwx_class to its StorageClass";

  private StorageChecks() {}

  /** The three storage checks for {@code storage} config under {@code profile}. */
  public static List<Check> all(StorageConfig storage, Profile profile) {
    return List.of(defaultClass(storage.defaultClass()), snapshots(profile), rwx(storage));
  }

  /**
   * {@value #DEFAULT_CLASS}: exactly one StorageClass is annotated {@code is-default-class: "true"}, and it is
   * {@code expected} when that is given.
   */
  public static Check defaultClass(Optional<String> expected) {
    return Check.of(DEFAULT_CLASS, Set.of(ResourceKind.STORAGE_CLASSES), snapshot -> {
      List<GenericKubernetesResource> classes = snapshot.list(ResourceKind.STORAGE_CLASSES);
      List<String> defaults = defaultClasses(classes);
      if (defaults.isEmpty()) {
        String target = expected.orElse(classes.isEmpty() ? "<name>" : classes.get(0).getMetadata().getName());
        return CheckResult.fail(DEFAULT_CLASS, "no default StorageClass among "
            + Resources.count(classes.size(), "class", "classes") + (classes.isEmpty() ? "" : " ("
            + Resources.names(classes.stream().map(c -> c.getMetadata().getName()).sorted().toList()) + ")")
            + ", so PVCs without storageClassName stay Pending",
            "kubectl annotate storageclass " + target + " " + DEFAULT_CLASS_ANNOTATION + "=true");
      }
      if (defaults.size() > 1) {
        return CheckResult.fail(DEFAULT_CLASS, defaults.size() + " StorageClasses are marked default: "
            + Resources.names(defaults),
            "keep the annotation " + DEFAULT_CLASS_ANNOTATION + " on one class only, e.g. kubectl annotate "
                + "storageclass " + defaults.get(defaults.get(0).equals(expected.orElse("")) ? 1 : 0) + " "
                + DEFAULT_CLASS_ANNOTATION + "-");
      }
      String actual = defaults.get(0);
      if (expected.isPresent() && !expected.get().equals(actual)) {
        boolean exists = classes.stream().anyMatch(c -> expected.get().equals(c.getMetadata().getName()));
        return CheckResult.fail(DEFAULT_CLASS, "the default StorageClass is " + actual + " but storage.default_class is "
            + expected.get() + (exists ? "" : ", which does not exist"),
            "make " + expected.get() + " the only default StorageClass, or set storage.default_class: " + actual);
      }
      String provisioner = classes.stream().filter(c -> actual.equals(c.getMetadata().getName())).findFirst()
          .flatMap(StorageChecks::provisioner).orElse("unknown");
      return CheckResult.pass(DEFAULT_CLASS, "the default StorageClass is " + actual + " (provisioner " + provisioner
          + ")");
    });
  }

  /**
   * {@value #SNAPSHOTS}: for {@code prod}, the snapshot CRDs exist and exactly one default VolumeSnapshotClass uses
   * the default StorageClass's provisioner as its driver; {@code cost} and {@code dev} skip it and read nothing.
   */
  public static Check snapshots(Profile profile) {
    return snapshots(profile, Optional.empty());
  }

  /**
   * {@value #SNAPSHOTS} for a storage provider that renders the default VolumeSnapshotClass {@code rendered} itself:
   * as {@link #snapshots(Profile)}, but while no default class exists and {@code rendered} is missing, the remedy is
   * to apply the rendered one.
   */
  public static Check snapshots(Profile profile, String rendered) {
    return snapshots(profile, Optional.of(rendered));
  }

  private static Check snapshots(Profile profile, Optional<String> rendered) {
    if (profile != Profile.PROD) {
      return Check.of(SNAPSHOTS, Set.of(), snapshot -> CheckResult.skip(SNAPSHOTS, "profile is " + profile.id()
          + ": cost and dev take no backups, so volume snapshots are not needed"));
    }
    return Check.of(SNAPSHOTS, Set.of(ResourceKind.VOLUME_SNAPSHOT_CLASSES, ResourceKind.STORAGE_CLASSES),
        snapshot -> judgeSnapshots(snapshot, rendered));
  }

  private static CheckResult judgeSnapshots(ClusterSnapshot snapshot, Optional<String> rendered) {
    if (snapshot.state(ResourceKind.VOLUME_SNAPSHOT_CLASSES) == ClusterSnapshot.ReadState.ABSENT) {
      return CheckResult.fail(SNAPSHOTS, "prod needs volume snapshots for backups but the snapshot CRD "
          + ResourceKind.VOLUME_SNAPSHOT_CLASSES.qualifiedName() + " is absent",
          "install the external-snapshotter CRDs and snapshot-controller (github.com/kubernetes-csi/external-snapshotter),"
              + " then create a default VolumeSnapshotClass for the default StorageClass's CSI driver");
    }
    List<GenericKubernetesResource> snapshotClasses = snapshot.list(ResourceKind.VOLUME_SNAPSHOT_CLASSES);
    List<GenericKubernetesResource> defaults = new ArrayList<>();
    for (GenericKubernetesResource vsc : snapshotClasses) {
      if (isTrue(Resources.annotation(vsc, DEFAULT_SNAPSHOT_CLASS_ANNOTATION))) {
        defaults.add(vsc);
      }
    }
    List<GenericKubernetesResource> storageClasses = snapshot.list(ResourceKind.STORAGE_CLASSES);
    List<String> defaultStorage = defaultClasses(storageClasses);
    Optional<String> driverWanted = defaultStorage.size() == 1
        ? storageClasses.stream().filter(c -> defaultStorage.get(0).equals(c.getMetadata().getName())).findFirst()
            .flatMap(StorageChecks::provisioner)
        : Optional.empty();
    String createRemedy = "create a VolumeSnapshotClass with driver: " + driverWanted.orElse("<the default class's CSI driver>")
        + " annotated " + DEFAULT_SNAPSHOT_CLASS_ANNOTATION + ": \"true\"";
    if (defaults.isEmpty()) {
      Optional<String> missing = rendered.filter(name -> snapshotClasses.stream()
          .noneMatch(v -> name.equals(v.getMetadata().getName())));
      return CheckResult.fail(SNAPSHOTS, "no default VolumeSnapshotClass ("
          + Resources.count(snapshotClasses.size(), "VolumeSnapshotClass", "VolumeSnapshotClasses")
          + ", none annotated " + DEFAULT_SNAPSHOT_CLASS_ANNOTATION + "), so prod backups cannot snapshot volumes",
          missing.map(name -> applyRendered("VolumeSnapshotClass", name)).orElse(createRemedy));
    }
    if (defaults.size() > 1) {
      return CheckResult.fail(SNAPSHOTS, defaults.size() + " VolumeSnapshotClasses are marked default: "
          + Resources.names(defaults.stream().map(v -> v.getMetadata().getName()).sorted().toList()),
          "keep " + DEFAULT_SNAPSHOT_CLASS_ANNOTATION + ": \"true\" on the one whose driver is "
              + driverWanted.orElse("the default StorageClass's provisioner"));
    }
    GenericKubernetesResource vsc = defaults.get(0);
    String driver = Resources.string(vsc, "driver").orElse("");
    if (driverWanted.isEmpty()) {
      return CheckResult.fail(SNAPSHOTS, "the default VolumeSnapshotClass " + vsc.getMetadata().getName()
          + " (driver " + driver + ") cannot be matched: there is not exactly one default StorageClass",
          "fix " + DEFAULT_CLASS + " first: mark exactly one StorageClass default");
    }
    if (!driverWanted.get().equals(driver)) {
      return CheckResult.fail(SNAPSHOTS, "the default VolumeSnapshotClass " + vsc.getMetadata().getName()
          + " uses driver " + driver + " but the default StorageClass " + defaultStorage.get(0)
          + " is provisioned by " + driverWanted.get(), createRemedy + " (and remove the annotation from "
          + vsc.getMetadata().getName() + ")");
    }
    return CheckResult.pass(SNAPSHOTS, "the default VolumeSnapshotClass " + vsc.getMetadata().getName()
        + " snapshots volumes of the default StorageClass " + defaultStorage.get(0) + " (driver " + driver + ")");
  }

  /**
   * {@value #RWX}: when {@code storage.shared_weights} is true, some StorageClass serves ReadWriteMany: the
   * configured {@code storage.rwx_class} if it exists, else a class whose provisioner is known to. Otherwise it
   * skips and reads nothing.
   */
  public static Check rwx(StorageConfig storage) {
    return rwx(storage, Optional.empty());
  }

  /**
   * {@value #RWX} for a storage provider that renders the ReadWriteMany StorageClass {@code rendered} for shared
   * weights: unless {@code storage.rwx_class} names another class, that class must exist, and while it does not the
   * remedy is to apply it.
   */
  public static Check rwx(StorageConfig storage, String rendered) {
    return rwx(storage, Optional.of(rendered));
  }

  private static Check rwx(StorageConfig storage, Optional<String> rendered) {
    if (!storage.sharedWeights()) {
      return Check.of(RWX, Set.of(), snapshot -> CheckResult.skip(RWX,
          "storage.shared_weights is false, so no ReadWriteMany class is needed"));
    }
    Optional<String> configured = storage.rwxClass();
    return Check.of(RWX, Set.of(ResourceKind.STORAGE_CLASSES), snapshot -> {
      Map<String, String> provisioners = new TreeMap<>();
      for (GenericKubernetesResource c : snapshot.list(ResourceKind.STORAGE_CLASSES)) {
        provisioners.put(c.getMetadata().getName(), provisioner(c).orElse(""));
      }
      if (configured.isEmpty() && rendered.isPresent()) {
        String name = rendered.get();
        if (provisioners.containsKey(name)) {
          return CheckResult.pass(RWX, "StorageClass " + name + ", rendered for shared weights, exists (provisioner "
              + provisioners.get(name) + ")");
        }
        return CheckResult.fail(RWX, "storage.shared_weights is true but the StorageClass " + name
            + " rendered for it does not exist", applyRendered("StorageClass", name));
      }
      if (configured.isPresent()) {
        String name = configured.get();
        if (provisioners.containsKey(name)) {
          return CheckResult.pass(RWX, "storage.rwx_class " + name + " exists (provisioner " + provisioners.get(name)
              + ")");
        }
        return CheckResult.fail(RWX, "storage.rwx_class is " + name + " but no StorageClass has that name",
            "create the StorageClass " + name + ", or " + RWX_REMEDY);
      }
      for (Map.Entry<String, String> c : provisioners.entrySet()) {
        String known = RWX_PROVISIONERS.get(c.getValue());
        if (known != null) {
          return CheckResult.pass(RWX, "StorageClass " + c.getKey() + " serves ReadWriteMany (" + c.getValue() + ": "
              + known + ")");
        }
      }
      return CheckResult.fail(RWX, "storage.shared_weights is true but no StorageClass serves ReadWriteMany"
          + (provisioners.isEmpty() ? "" : " (provisioners: " + Resources.names(Set.copyOf(provisioners.values())
              .stream().sorted().toList()) + ")"), RWX_REMEDY);
    });
  }

  private static String applyRendered(String kind, String name) {
    return "apply the rendered " + kind + " " + name + " (substrate apply, or through GitOps)";
  }

  /** Names of the StorageClasses marked default, sorted. */
  static List<String> defaultClasses(List<GenericKubernetesResource> classes) {
    List<String> defaults = new ArrayList<>();
    for (GenericKubernetesResource c : classes) {
      if (isTrue(Resources.annotation(c, DEFAULT_CLASS_ANNOTATION))
          || (Resources.annotation(c, DEFAULT_CLASS_ANNOTATION).isEmpty()
              && isTrue(Resources.annotation(c, BETA_DEFAULT_CLASS_ANNOTATION)))) {
        defaults.add(c.getMetadata().getName());
      }
    }
    defaults.sort(null);
    return defaults;
  }

  private static Optional<String> provisioner(GenericKubernetesResource storageClass) {
    return Resources.string(storageClass, "provisioner");
  }

  private static boolean isTrue(Optional<String> annotation) {
    return annotation.filter("true"::equals).isPresent();
  }
}
