package dev.substrate.gke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.DeclaredReads;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.spi.Check;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.storage.CSIDriverBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** GKE configs, cluster objects shaped like GKE's, and running one check the way doctor does. */
final class GkeFixtures {
  /** The cluster section of a real GKE config: Secret Manager needs the project to render its store. */
  static final String CLUSTER = "substrate: {id: gke}\ncluster: {name: prod, projectID: acme-ml, location: europe-west4}\n";
  static final ResourceKind CSI_DRIVERS = ResourceKind.of("storage.k8s.io", "v1", "CSIDriver", "csidrivers", false);

  private GkeFixtures() {}

  /** Substrate {@code gke} with {@link #CLUSTER} and {@code yaml}. */
  static Substrate gke(String yaml) {
    return Substrates.create(SubstrateConfig.parse(CLUSTER + yaml));
  }

  static Check check(Substrate substrate, String id) {
    return substrate.checks().stream().filter(c -> c.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + id + " in " + substrate.checks()));
  }

  /** Runs {@code check} on a view that only lets it read what it declared, as the doctor engine does. */
  static CheckResult run(Check check, ClusterSnapshot snapshot) {
    return DeclaredReads.run(check, snapshot);
  }

  static CheckResult run(Substrate substrate, String id, ClusterSnapshot snapshot) {
    return run(check(substrate, id), snapshot);
  }

  static ClusterSnapshot nodes(Node... nodes) {
    return ClusterSnapshot.builder().addObjects(ResourceKind.NODES, List.of(nodes)).build();
  }

  /** A CPU node of a GKE node pool. */
  static Node cpuNode(String name) {
    return new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels("cloud.google.com/gke-nodepool", "default-pool").endMetadata()
        .withNewSpec().withProviderID("gce://acme-ml/europe-west4-a/" + name).endSpec()
        .withNewStatus().addToAllocatable("cpu", new Quantity("7910m")).endStatus()
        .build();
  }

  /**
   * A node of a GKE GPU pool with an L4, its driver at {@code driverVersion} (null: label absent), advertising
   * {@code gpus} (null: no nvidia.com/gpu in allocatable at all).
   */
  static Node gpuNode(String name, String driverVersion, String gpus) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels("cloud.google.com/gke-nodepool", "gpu-pool")
        .addToLabels("cloud.google.com/gke-accelerator", "nvidia-l4").endMetadata()
        .withNewSpec().withProviderID("gce://acme-ml/europe-west4-a/" + name)
            .addNewTaint().withKey("nvidia.com/gpu").withValue("present").withEffect("NoSchedule").endTaint().endSpec()
        .withNewStatus().addToAllocatable("cpu", new Quantity("7910m")).endStatus();
    if (driverVersion != null) {
      b.editMetadata().addToLabels("cloud.google.com/gke-gpu-driver-version", driverVersion).endMetadata();
    }
    if (gpus != null) {
      b.editStatus().addToAllocatable("nvidia.com/gpu", new Quantity(gpus)).endStatus();
    }
    return b.build();
  }

  static DaemonSet daemonSet(String namespace, String name, Map<String, String> labels, int desired, int ready) {
    return new DaemonSetBuilder().withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels)
        .endMetadata()
        .withNewStatus().withDesiredNumberScheduled(desired).withNumberReady(ready).endStatus()
        .build();
  }

  /** GKE's device plugin and managed DCGM exporter, both running on {@code gpus} nodes. */
  static List<DaemonSet> gkeDaemonSets(int gpus) {
    return List.of(
        daemonSet("kube-system", "nvidia-gpu-device-plugin-small-cos", Map.of("k8s-app", "nvidia-gpu-device-plugin"),
            gpus, gpus),
        daemonSet("gke-managed-system", "dcgm-exporter", Map.of("app.kubernetes.io/name", "gke-managed-dcgm-exporter"),
            gpus, gpus));
  }

  static ClusterSnapshot daemonSets(List<DaemonSet> daemonSets, Node... nodes) {
    return ClusterSnapshot.builder().addObjects(ResourceKind.DAEMON_SETS, daemonSets)
        .addObjects(ResourceKind.NODES, List.of(nodes)).build();
  }

  static StorageClass storageClass(String name, String provisioner, boolean isDefault) {
    return new StorageClassBuilder().withNewMetadata().withName(name)
        .addToAnnotations("storageclass.kubernetes.io/is-default-class", String.valueOf(isDefault)).endMetadata()
        .withProvisioner(provisioner).build();
  }

  /** GKE's PD classes, {@code standard-rwo} the default. */
  static List<StorageClass> gkeStorageClasses() {
    return List.of(storageClass("standard-rwo", "pd.csi.storage.gke.io", true),
        storageClass("premium-rwo", "pd.csi.storage.gke.io", false),
        storageClass("standard", "kubernetes.io/gce-pd", false));
  }

  static GenericKubernetesResource snapshotClass(String name, String driver, boolean isDefault) {
    return new GenericKubernetesResourceBuilder().withApiVersion("snapshot.storage.k8s.io/v1")
        .withKind("VolumeSnapshotClass")
        .withNewMetadata().withName(name)
            .addToAnnotations("snapshot.storage.kubernetes.io/is-default-class", String.valueOf(isDefault)).endMetadata()
        .addToAdditionalProperties("driver", driver).addToAdditionalProperties("deletionPolicy", "Delete")
        .build();
  }

  /** Storage classes, snapshot classes and CSI drivers (by name) as doctor would read them. */
  static ClusterSnapshot storage(List<StorageClass> classes, List<GenericKubernetesResource> snapshotClasses,
      String... csiDrivers) {
    List<Object> drivers = new ArrayList<>();
    for (String d : csiDrivers) {
      drivers.add(new CSIDriverBuilder().withNewMetadata().withName(d).endMetadata().withNewSpec().endSpec().build());
    }
    return ClusterSnapshot.builder().addObjects(ResourceKind.STORAGE_CLASSES, classes)
        .add(ResourceKind.VOLUME_SNAPSHOT_CLASSES, snapshotClasses)
        .addObjects(CSI_DRIVERS, drivers).build();
  }

  /** Runs the upstream-schema validator on {@code dir}; fails the test unless it exits 0. */
  static String validate(Path dir) throws Exception {
    Path tool = Path.of(System.getProperty("substrate.shared", "/work/shared"), "tools", "validate-manifests");
    Process p = new ProcessBuilder("bash", tool.toString(), dir.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("validate-manifests finished").isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }
}
