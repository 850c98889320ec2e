package dev.substrate.proxmox;

import static dev.substrate.proxmox.ProxmoxFixtures.BASE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.Report;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.storage.CSIDriverBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The Proxmox checks against an embedded cluster whose nodes and CSI plugin each test puts there. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProxmoxDoctorTest {
  private static final String CONFIG = BASE + "proxmox: {storage: local-lvm, region: home}\n";

  private static Map<String, CheckResult> byId(Report report) {
    return report.results().stream().collect(Collectors.toMap(CheckResult::id, r -> r));
  }

  /** The BARE preset without its node, and {@code nodes} instead. */
  private static EmbeddedCluster cluster(Node... nodes) {
    EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BARE);
    KubernetesClient c = cluster.client();
    c.nodes().list().getItems().forEach(n -> c.nodes().withName(n.getMetadata().getName()).delete());
    for (Node n : nodes) {
      c.nodes().resource(n).create();
    }
    return cluster;
  }

  /** The CSI plugin as its chart installs it: the CSIDriver and the controller Deployment with {@code ready} pods. */
  private static void installCsi(KubernetesClient c, int ready) {
    c.storage().v1().csiDrivers().resource(new CSIDriverBuilder().withNewMetadata()
        .withName("csi.proxmox.sinextra.dev").endMetadata().withNewSpec().withAttachRequired(true)
        .withPodInfoOnMount(true).endSpec().build()).create();
    c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("csi-proxmox").endMetadata().build())
        .create();
    Deployment d = new DeploymentBuilder().withNewMetadata().withName("proxmox-csi-plugin-controller")
        .withNamespace("csi-proxmox").addToLabels("app.kubernetes.io/name", "proxmox-csi-plugin")
        .addToLabels("app.kubernetes.io/component", "controller").endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app.kubernetes.io/name", "proxmox-csi-plugin")
        .endSelector().withNewTemplate().withNewMetadata().addToLabels("app.kubernetes.io/name", "proxmox-csi-plugin")
        .endMetadata().withNewSpec().addNewContainer().withName("proxmox-csi-plugin-controller")
        .withImage("ghcr.io/sergelogvinov/proxmox-csi-controller:v0.19.1").endContainer().endSpec().endTemplate()
        .endSpec().build();
    Deployment created = c.apps().deployments().resource(d).create();
    created.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(1)
        .withReadyReplicas(ready).build());
    c.apps().deployments().resource(created).updateStatus();
  }

  @Test
  void a_labelled_cluster_with_the_plugin_running_passes() {
    try (EmbeddedCluster cluster = cluster(ProxmoxFixtures.vm("pve-worker-1", "home", 201, "pve-1"),
        ProxmoxFixtures.vm("pve-worker-2", "home", 202, "pve-2"))) {
      installCsi(cluster.client(), 1);
      Substrate s = Substrates.builder().config(SubstrateConfig.parse(CONFIG)).client(cluster.client()).build();
      Map<String, CheckResult> r = byId(s.doctor(cluster.client()));

      assertThat(r.get("storage.proxmox.csi-driver").status()).as(r.toString()).isEqualTo(CheckStatus.PASS);
      assertThat(r.get("storage.proxmox.csi-driver").finding())
          .contains("csi-proxmox/proxmox-csi-plugin-controller (1 of 1 replicas ready)");
      assertThat(r.get("storage.proxmox.topology").status()).isEqualTo(CheckStatus.PASS);
      assertThat(r.get("storage.proxmox.topology").finding()).contains("2 nodes carry").contains("region home")
          .contains("2 PVE hosts (pve-1, pve-2)");
      assertThat(r.get("storage.default-class").status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.get("storage.default-class").remedy()).hasValueSatisfying(m -> assertThat(m)
          .contains("apply the rendered StorageClass proxmox-csi"));
    }
  }

  @Test
  void without_the_plugin_the_driver_check_fails_naming_the_chart() {
    try (EmbeddedCluster cluster = cluster(ProxmoxFixtures.vm("pve-worker-1", "home", 201, "pve-1"))) {
      Report report = ProxmoxFixtures.proxmox("proxmox: {storage: local-lvm}\n").doctor(cluster.client());
      CheckResult r = byId(report).get("storage.proxmox.csi-driver");

      assertThat(r.status()).as(report.toText()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("no CSIDriver csi.proxmox.sinextra.dev");
      assertThat(r.remedy()).hasValueSatisfying(m -> assertThat(m)
          .contains("helm upgrade -i -n csi-proxmox").contains("oci://ghcr.io/sergelogvinov/charts/proxmox-csi-plugin")
          .contains("pod-security.kubernetes.io/enforce=privileged"));
    }
  }

  @Test
  void a_controller_with_no_ready_replica_fails_with_where_to_look() {
    try (EmbeddedCluster cluster = cluster(ProxmoxFixtures.vm("pve-worker-1", "home", 201, "pve-1"))) {
      installCsi(cluster.client(), 0);
      CheckResult r = byId(ProxmoxFixtures.proxmox("").doctor(cluster.client())).get("storage.proxmox.csi-driver");

      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("has no ready replica (0 of 1)");
      assertThat(r.remedy()).hasValueSatisfying(m -> assertThat(m)
          .contains("kubectl -n csi-proxmox logs deploy/proxmox-csi-plugin-controller"));
    }
  }

  @Test
  void nodes_without_topology_labels_fail_naming_the_ccm() {
    Node bare = new NodeBuilder().withNewMetadata().withName("pve-worker-9").endMetadata()
        .withNewSpec().withProviderID("proxmox://home/209").endSpec().build();
    Node regionOnly = ProxmoxFixtures.node("pve-worker-8", "proxmox://home/208",
        Map.of("topology.kubernetes.io/region", "home"));
    try (EmbeddedCluster cluster = cluster(ProxmoxFixtures.vm("pve-worker-1", "home", 201, "pve-1"), bare,
        regionOnly)) {
      Report report = Substrates.create(SubstrateConfig.parse(CONFIG)).doctor(cluster.client());
      CheckResult r = byId(report).get("storage.proxmox.topology");

      assertThat(r.status()).as(report.toText()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).startsWith("2 nodes lack").contains("pve-worker-9 (no region or zone)")
          .contains("pve-worker-8 (no zone)");
      assertThat(r.remedy()).hasValueSatisfying(m -> assertThat(m)
          .contains("oci://ghcr.io/sergelogvinov/charts/proxmox-cloud-controller-manager")
          .contains("kubectl label node NODE topology.kubernetes.io/region=home topology.kubernetes.io/zone=PVE_HOST"));
    }
  }

  @Test
  void nodes_of_another_region_than_the_configured_one_fail() {
    try (EmbeddedCluster cluster = cluster(ProxmoxFixtures.vm("pve-worker-1", "home", 201, "pve-1"),
        ProxmoxFixtures.vm("lab-1", "lab", 301, "pve-lab"))) {
      CheckResult r = byId(Substrates.create(SubstrateConfig.parse(CONFIG)).doctor(cluster.client()))
          .get("storage.proxmox.topology");

      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).contains("1 node is not in proxmox.region home: lab-1 (lab)");
      assertThat(r.remedy()).hasValueSatisfying(m -> assertThat(m).contains("clusters[].region"));
    }
  }

  @Test
  void the_hybrid_preset_home_pool_passes_the_proxmox_checks() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.HYBRID)) {
      Substrate s = Substrates.builder().config(SubstrateConfig.parse("substrate:\n  id: byo\n  pools:\n"
          + "    home: {substrate: proxmox}\nproxmox: {storage: local-lvm, region: home}\n"))
          .client(cluster.client()).build();
      Report report = s.doctor(cluster.client());
      Map<String, CheckResult> r = byId(report);

      assertThat(r.get("home/storage.proxmox.csi-driver").status()).as(report.toText()).isEqualTo(CheckStatus.PASS);
      assertThat(r.get("home/storage.proxmox.topology").status()).as(report.toText()).isEqualTo(CheckStatus.PASS);
      assertThat(r.get("home/storage.proxmox.topology").finding()).contains("2 nodes carry").contains("region home");
      assertThat(r).doesNotContainKey("home/storage.default-class");
    }
  }
}
