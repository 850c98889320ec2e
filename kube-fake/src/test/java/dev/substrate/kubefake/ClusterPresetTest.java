package dev.substrate.kubefake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import dev.substrate.kubefake.internal.preset.Presets;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClusterPresetTest {

  @Test
  void ids_parse_case_insensitively_and_unknown_ids_list_the_valid_ones() {
    assertThat(ClusterPreset.fromId("hetzner")).isEqualTo(ClusterPreset.HETZNER);
    assertThat(ClusterPreset.fromId("GKE")).isEqualTo(ClusterPreset.GKE);
    assertThat(ClusterPreset.fromId("byo")).isEqualTo(ClusterPreset.BYO);
    assertThat(ClusterPreset.fromId("bare")).isEqualTo(ClusterPreset.BARE);
    assertThatThrownBy(() -> ClusterPreset.fromId("eks"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown cluster preset 'eks'; valid presets: bare, gke, hetzner, byo, aws, hybrid");
  }

  @ParameterizedTest
  @EnumSource(ClusterPreset.class)
  void every_preset_has_the_system_namespaces_and_ready_linux_nodes(ClusterPreset preset) {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(preset)) {
      KubernetesClient client = cluster.client();

      assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
          .contains("default", "kube-system", "kube-public");
      List<Node> nodes = client.nodes().list().getItems();
      assertThat(nodes).hasSize(preset.defaultNodes());
      assertThat(nodes).allSatisfy(n -> {
        assertThat(n.getMetadata().getLabels()).containsEntry("kubernetes.io/os", "linux")
            .containsEntry("kubernetes.io/arch", "amd64")
            .containsEntry("kubernetes.io/hostname", n.getMetadata().getName());
        assertThat(n.getStatus().getConditions()).anySatisfy(c -> {
          assertThat(c.getType()).isEqualTo("Ready");
          assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThat(n.getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods");
        assertThat(n.getStatus().getNodeInfo().getKubeletVersion())
            .startsWith(Presets.gitVersion(preset).substring(0, 5));
        assertThat(n.getMetadata().getUid()).isNotBlank();
        assertThat(n.getMetadata().getResourceVersion()).isNotBlank();
      });
    }
  }

  @Nested
  @DisplayName("hybrid")
  class Hybrid {

    @Test
    void talos_runs_on_hcloud_vms_and_proxmox_vms_and_the_gpu_node_uses_the_nvidia_runtime_class() {
      try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.HYBRID)) {
        KubernetesClient client = cluster.client();
        List<Node> nodes = client.nodes().list().getItems();
        assertThat(nodes).extracting(n -> n.getSpec().getProviderID().replaceAll("://.*", "://"))
            .containsExactlyInAnyOrder("hcloud://", "hcloud://", "proxmox://", "proxmox://");
        assertThat(nodes).allSatisfy(n -> assertThat(n.getStatus().getNodeInfo().getOsImage()).startsWith("Talos ("));
        assertThat(nodes).filteredOn(n -> n.getStatus().getAllocatable().containsKey("nvidia.com/gpu"))
            .extracting(n -> n.getMetadata().getName()).containsExactly("pve-gpu-1");
        assertThat(client.resources(RuntimeClass.class).withName("nvidia").get().getHandler()).isEqualTo("nvidia");
        assertThat(client.storage().v1().storageClasses().list().getItems())
            .extracting(sc -> sc.getMetadata().getName(), sc -> sc.getProvisioner())
            .contains(tuple("hcloud-volumes", "csi.hetzner.cloud"), tuple("proxmox-csi", "csi.proxmox.sinextra.dev"),
                tuple("local-path", "rancher.io/local-path"));
      }
    }
  }

  @Nested
  @DisplayName("GKE")
  class Gke {

    @Test
    void nodes_are_gce_instances_with_gke_labels_and_l4_gpu_nodes_are_tainted() {
      try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.GKE)) {
        List<Node> nodes = cluster.client().nodes().list().getItems();

        assertThat(nodes).allSatisfy(n -> {
          assertThat(n.getSpec().getProviderID())
              .matches("gce://acme-ml/europe-west4-[abc]/gke-prod-(default|gpu)-pool-[0-9a-f]{8}-[0-9a-z]{4}")
              .endsWith("/" + n.getMetadata().getName());
          assertThat(n.getMetadata().getLabels())
              .containsEntry("cloud.google.com/gke-os-distribution", "cos")
              .containsEntry("cloud.google.com/gke-container-runtime", "containerd")
              .containsKeys("cloud.google.com/gke-nodepool", "cloud.google.com/machine-family",
                  "node.kubernetes.io/instance-type", "topology.kubernetes.io/region", "topology.kubernetes.io/zone");
          assertThat(n.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.32.4-gke.1106006");
        });
        List<Node> gpu = nodes.stream()
            .filter(n -> "nvidia-l4".equals(n.getMetadata().getLabels().get("cloud.google.com/gke-accelerator")))
            .collect(Collectors.toList());
        assertThat(gpu).singleElement().satisfies(n -> {
          assertThat(n.getMetadata().getLabels()).containsEntry("cloud.google.com/gke-gpu", "true")
              .containsEntry("node.kubernetes.io/instance-type", "g2-standard-8")
              .containsEntry("cloud.google.com/gke-nodepool", "gpu-pool");
          assertThat(n.getSpec().getTaints()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
            assertThat(t.getValue()).isEqualTo("present");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
          });
          assertThat(n.getStatus().getAllocatable()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        });
      }
    }

    @Test
    void the_managed_gpu_stack_and_pd_storage_classes_are_there() {
      try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.GKE)) {
        KubernetesClient client = cluster.client();

        DaemonSet plugin = client.apps().daemonSets().inNamespace("kube-system")
            .withName("nvidia-gpu-device-plugin-small-cos").get();
        assertThat(plugin.getMetadata().getLabels()).containsEntry("k8s-app", "nvidia-gpu-device-plugin");
        assertThat(plugin.getStatus().getNumberReady()).isEqualTo(1);
        assertThat(client.apps().daemonSets().inNamespace("gke-managed-system").withName("dcgm-exporter").get())
            .isNotNull();

        Map<String, StorageClass> classes = client.storage().v1().storageClasses().list().getItems().stream()
            .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
        assertThat(classes).containsOnlyKeys("standard-rwo", "premium-rwo", "standard");
        StorageClass rwo = classes.get("standard-rwo");
        assertThat(rwo.getProvisioner()).isEqualTo("pd.csi.storage.gke.io");
        assertThat(rwo.getParameters()).containsEntry("type", "pd-balanced");
        assertThat(rwo.getVolumeBindingMode()).isEqualTo("WaitForFirstConsumer");
        assertThat(rwo.getAllowVolumeExpansion()).isTrue();
        assertThat(defaultClasses(client)).containsExactly("standard-rwo");
        assertThat(classes.get("standard").getProvisioner()).isEqualTo("kubernetes.io/gce-pd");

        assertThat(client.apiextensions().v1().customResourceDefinitions().withName(
            "volumesnapshotclasses.snapshot.storage.k8s.io").get()).isNotNull();
        assertThat(client.genericKubernetesResources("snapshot.storage.k8s.io/v1", "VolumeSnapshotClass").list()
            .getItems()).isEmpty();
      }
    }

    @Test
    void the_platform_secret_store_reads_gcp_secret_manager_through_workload_identity_and_is_ready() {
      try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.GKE)) {
        KubernetesClient client = cluster.client();

        GenericKubernetesResource store = client.genericKubernetesResources("external-secrets.io/v1",
            "ClusterSecretStore").withName("secret-store").get();
        assertThat(store).isNotNull();
        String project = store.get("spec", "provider", "gcpsm", "projectID");
        assertThat(project).isEqualTo("acme-ml");
        Map<String, Object> workloadIdentity = store.get("spec", "provider", "gcpsm", "auth", "workloadIdentity");
        assertThat(workloadIdentity).containsEntry(
            "serviceAccountRef", Map.of("name", "external-secrets", "namespace", "external-secrets"))
            .containsEntry("clusterProjectID", "acme-ml");
        List<Map<String, Object>> conditions = store.get("status", "conditions");
        assertThat(conditions).singleElement().satisfies(c -> assertThat(c)
            .containsEntry("type", "Ready").containsEntry("status", "True").containsEntry("reason", "Valid"));
        ServiceAccount eso = client.serviceAccounts().inNamespace("external-secrets").withName("external-secrets").get();
        assertThat(eso.getMetadata().getAnnotations())
            .containsEntry("iam.gke.io/gcp-service-account", "external-secrets@acme-ml.iam.gserviceaccount.com");
        assertThat(client.apps().deployments().inNamespace("external-secrets").withName("external-secrets").get()
            .getStatus().getReadyReplicas()).isEqualTo(1);
      }
    }
  }

  @Nested
  @DisplayName("Hetzner")
  class Hetzner {

    @Test
    void cloud_nodes_and_robot_gpu_nodes_carry_the_ccm_labels() {
      try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER).nodes(16).start()) {
        List<Node> nodes = cluster.client().nodes().list().getItems();

        List<Node> cloud = byProvidedBy(nodes, "cloud");
        List<Node> robot = byProvidedBy(nodes, "robot");
        assertThat(robot).hasSize(4);
        assertThat(cloud).hasSize(12).allSatisfy(n -> {
          assertThat(n.getSpec().getProviderID()).matches("hcloud://\\d+");
          assertThat(n.getMetadata().getLabels()).containsEntry("topology.kubernetes.io/region", "fsn1")
              .containsEntry("csi.hetzner.cloud/location", "fsn1")
              .containsKey("node.kubernetes.io/instance-type");
          assertThat(n.getStatus().getAllocatable()).doesNotContainKey("nvidia.com/gpu");
        });
        assertThat(robot).allSatisfy(n -> {
          assertThat(n.getSpec().getProviderID()).matches("hrobot://\\d+");
          assertThat(n.getMetadata().getLabels()).doesNotContainKey("csi.hetzner.cloud/location")
              .containsEntry("nvidia.com/gpu.count", "1");
          assertThat(n.getStatus().getAllocatable()).containsEntry("nvidia.com/gpu", new Quantity("1"));
          assertThat(n.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.32.4+k3s1");
          assertThat(n.getStatus().getNodeInfo().getContainerRuntimeVersion()).isEqualTo("containerd://2.0.4-k3s2");
        });
        assertThat(robot).extracting(n -> n.getMetadata().getLabels().get("node.kubernetes.io/instance-type"))
            .containsExactlyInAnyOrder("GEX44", "GEX44", "GEX44", "GEX130");
        assertThat(robot).filteredOn(n -> n.getMetadata().getName().startsWith("gex44"))
            .allSatisfy(n -> assertThat(n.getMetadata().getLabels())
                .containsEntry("nvidia.com/gpu.product", "NVIDIA-RTX-4000-SFF-Ada-Generation")
                .containsEntry("nvidia.com/gpu.memory", "20475"));
        assertThat(cloud).filteredOn(n -> n.getMetadata().getLabels().containsKey(
            "node-role.kubernetes.io/control-plane")).hasSize(1);
      }
    }

    @Test
    void the_ccm_has_a_default_lb_location_and_hcloud_volumes_is_the_default_class() {
      try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.HETZNER)) {
        KubernetesClient client = cluster.client();

        Deployment ccm = client.apps().deployments().inNamespace("kube-system")
            .withName("hcloud-cloud-controller-manager").get();
        Map<String, String> env = ccm.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getValue() != null)
            .collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
        assertThat(env).containsEntry("HCLOUD_LOAD_BALANCERS_LOCATION", "fsn1").containsEntry("ROBOT_ENABLED", "true");
        assertThat(client.apps().deployments().inNamespace("kube-system").withName("hcloud-csi-controller").get())
            .isNotNull();
        assertThat(client.apps().daemonSets().inNamespace("kube-system").withName("hcloud-csi-node").get()
            .getStatus().getDesiredNumberScheduled()).isEqualTo(3);

        StorageClass volumes = client.storage().v1().storageClasses().withName("hcloud-volumes").get();
        assertThat(volumes.getProvisioner()).isEqualTo("csi.hetzner.cloud");
        assertThat(volumes.getVolumeBindingMode()).isEqualTo("WaitForFirstConsumer");
        assertThat(volumes.getAllowVolumeExpansion()).isTrue();
        assertThat(defaultClasses(client)).containsExactly("hcloud-volumes");
        assertThat(client.storage().v1().storageClasses().withName("local-path").get().getProvisioner())
            .isEqualTo("rancher.io/local-path");
      }
    }
  }

  @Test
  void byo_nodes_have_no_provider_id_and_local_path_is_the_only_default_class() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO)) {
      KubernetesClient client = cluster.client();
      List<Node> nodes = client.nodes().list().getItems();

      assertThat(nodes).allSatisfy(n -> assertThat(n.getSpec().getProviderID()).isNull());
      assertThat(nodes).filteredOn(n -> n.getStatus().getAllocatable().containsKey("nvidia.com/gpu")).hasSize(1);
      assertThat(defaultClasses(client)).containsExactly("local-path");
      assertThat(client.storage().v1().storageClasses().withName("local-path").get().getProvisioner())
          .isEqualTo("rancher.io/local-path");
    }
  }

  @Test
  void bare_has_one_node_and_no_storage_class() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BARE)) {
      assertThat(cluster.client().nodes().list().getItems()).hasSize(1);
      assertThat(cluster.client().storage().v1().storageClasses().list().getItems()).isEmpty();
    }
  }

  @Test
  void ten_thousand_nodes_start_in_seconds_and_keep_the_mix() {
    long start = System.nanoTime();
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER).nodes(10_000).start()) {
      Duration startup = Duration.ofNanos(System.nanoTime() - start);
      List<Node> nodes = cluster.client().nodes().list().getItems();

      assertThat(startup).as("seconds, not minutes, even on a loaded machine").isLessThan(Duration.ofSeconds(60));
      assertThat(nodes).hasSize(10_000);
      assertThat(nodes.stream().map(n -> n.getMetadata().getName()).distinct().count()).isEqualTo(10_000);
      assertThat(byProvidedBy(nodes, "robot")).hasSize(2_500);
      assertThat(cluster.client().apps().daemonSets().inNamespace("kube-system").withName("hcloud-csi-node").get()
          .getStatus().getDesiredNumberScheduled()).isEqualTo(7_500);
    }
  }

  @Test
  void extra_objects_are_seeded_after_the_preset() {
    var crd = EmbeddedClusterTest.widgetCrd();
    var widget = EmbeddedClusterTest.widget("seeded", 7);
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.BARE).objects(crd, widget).start()) {
      assertThat(cluster.client().genericKubernetesResources("example.com/v1", "Widget").inNamespace("default")
          .withName("seeded").get()).isNotNull();
      assertThat(widget.getMetadata().getUid()).as("the caller's object is not modified").isNull();
    }
  }

  private static List<Node> byProvidedBy(List<Node> nodes, String value) {
    return nodes.stream()
        .filter(n -> value.equals(n.getMetadata().getLabels().get("instance.hetzner.cloud/provided-by")))
        .collect(Collectors.toList());
  }

  private static List<String> defaultClasses(KubernetesClient client) {
    return client.storage().v1().storageClasses().list().getItems().stream()
        .filter(s -> "true".equals(s.getMetadata().getAnnotations().get("storageclass.kubernetes.io/is-default-class")))
        .map(s -> s.getMetadata().getName())
        .collect(Collectors.toList());
  }
}
