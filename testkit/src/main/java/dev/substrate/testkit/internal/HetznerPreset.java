package dev.substrate.testkit.internal;

import java.util.Map;

/**
 * A k3s cluster on Hetzner in fsn1: a Cloud control plane and Cloud workers ({@code hcloud://}),
 * dedicated Robot GPU servers ({@code hrobot://}, GEX44 with an RTX 4000 SFF Ada, every fourth GPU node a
 * GEX130 with an RTX 6000 Ada) labelled by GPU feature discovery; the hcloud cloud-controller-manager
 * (Robot enabled, default LB location fsn1) and CSI driver; {@code hcloud-volumes} as the default class.
 */
final class HetznerPreset {

  static final String GIT_VERSION = "v1.32.4+k3s1";
  private static final String REGION = "fsn1";
  private static final String CLOUD_ZONE = "fsn1-dc14";
  private static final String ROBOT_ZONE = "fsn1-dc16";
  private static final NodeSpec.Software SOFTWARE = new NodeSpec.Software(GIT_VERSION, "containerd://2.0.4-k3s2",
      "Ubuntu 24.04.2 LTS", "6.8.0-57-generic");
  private static final NodeSpec.Machine CPX31 = new NodeSpec.Machine("cpx31", 4, 8, 0);
  private static final NodeSpec.Machine CPX41 = new NodeSpec.Machine("cpx41", 8, 16, 0);
  private static final NodeSpec.Machine GEX44 = new NodeSpec.Machine("GEX44", 20, 64, 1);
  private static final NodeSpec.Machine GEX130 = new NodeSpec.Machine("GEX130", 48, 128, 1);

  private HetznerPreset() {
  }

  static void seed(Seed s, int nodes) {
    s.addAll(Kube.common("10.43.0.1", "10.43.0.10"));
    int gpus = Presets.gpuNodes(nodes);
    int cloud = nodes - gpus;
    for (int i = 0; i < cloud; i++) {
      boolean controlPlane = i == 0;
      NodeSpec n = cloudNode(controlPlane ? "k3s-control-plane-fsn1-" : "k3s-agent-cpx41-fsn1-", i,
          controlPlane ? CPX31 : CPX41);
      if (controlPlane) {
        n.label("node-role.kubernetes.io/control-plane", "true")
            .label("node-role.kubernetes.io/etcd", "true")
            .label("node-role.kubernetes.io/master", "true");
      }
      s.node(n);
    }
    int gex44 = 0;
    int gex130 = 0;
    for (int i = 0; i < gpus; i++) {
      boolean big = i % 4 == 3;
      String name = big ? String.format("gex130-%02d", ++gex130) : String.format("gex44-%02d", ++gex44);
      s.node(robotGpuNode(name, cloud + i, big));
    }

    s.add(Kube.opaqueSecret("kube-system", "hcloud", Map.of(
        "token", "embedded-fake-hcloud-token-0000000000000000000000000000000000000000000000000000",
        "robot-user", "#ws+embedded",
        "robot-password", "embedded-fake-robot-password")));
    s.add(Kube.serviceAccount("kube-system", "hcloud-cloud-controller-manager"));
    s.add(new Workload("kube-system", "hcloud-cloud-controller-manager", "app.kubernetes.io/name",
        "hcloud-cloud-controller-manager")
        .container("hcloud-cloud-controller-manager", "docker.io/hetznercloud/hcloud-cloud-controller-manager:v1.35.0",
            "--allow-untagged-cloud", "--cloud-provider=hcloud", "--route-reconciliation-period=30s",
            "--webhook-secure-port=0", "--leader-elect=false")
        .envFromSecret("HCLOUD_TOKEN", "hcloud", "token")
        .envFromSecret("ROBOT_USER", "hcloud", "robot-user")
        .envFromSecret("ROBOT_PASSWORD", "hcloud", "robot-password")
        .env("HCLOUD_LOAD_BALANCERS_LOCATION", REGION)
        .env("ROBOT_ENABLED", "true")
        .tolerate("node.cloudprovider.kubernetes.io/uninitialized", "Exists", "NoSchedule")
        .tolerate("node-role.kubernetes.io/control-plane", "Exists", "NoSchedule")
        .serviceAccount("hcloud-cloud-controller-manager")
        .priorityClass("system-cluster-critical")
        .deployment(1));
    s.add(Kube.serviceAccount("kube-system", "hcloud-csi-controller"));
    s.add(new Workload("kube-system", "hcloud-csi-controller", "app.kubernetes.io/name", "hcloud-csi")
        .label("app.kubernetes.io/component", "controller")
        .container("csi-attacher", "registry.k8s.io/sig-storage/csi-attacher:v4.8.1")
        .container("csi-resizer", "registry.k8s.io/sig-storage/csi-resizer:v1.13.2")
        .container("csi-provisioner", "registry.k8s.io/sig-storage/csi-provisioner:v5.2.0")
        .container("liveness-probe", "registry.k8s.io/sig-storage/livenessprobe:v2.15.0")
        .container("hcloud-csi-driver", "docker.io/hetznercloud/hcloud-csi-driver:v2.22.1", "-controller")
        .envFromSecret("HCLOUD_TOKEN", "hcloud", "token")
        .serviceAccount("hcloud-csi-controller")
        .deployment(1));
    s.add(new Workload("kube-system", "hcloud-csi-node", "app.kubernetes.io/name", "hcloud-csi")
        .label("app.kubernetes.io/component", "node")
        .container("csi-node-driver-registrar", "registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.13.0")
        .container("liveness-probe", "registry.k8s.io/sig-storage/livenessprobe:v2.15.0")
        .container("hcloud-csi-driver", "docker.io/hetznercloud/hcloud-csi-driver:v2.22.1", "-node")
        .requireLabel("instance.hetzner.cloud/is-root-server", "NotIn", "true")
        .requireLabel("instance.hetzner.cloud/provided-by", "NotIn", "robot")
        .tolerate("", "Exists", "NoExecute")
        .tolerate("", "Exists", "NoSchedule")
        .daemonSet(cloud));
    s.add(Kube.csiDriver("csi.hetzner.cloud", true, true));
    s.add(new Workload("kube-system", "coredns", "k8s-app", "kube-dns")
        .container("coredns", "rancher/mirrored-coredns-coredns:1.12.1")
        .serviceAccount("coredns")
        .priorityClass("system-cluster-critical")
        .deployment(1));
    s.add(new Workload("kube-system", "local-path-provisioner", "app", "local-path-provisioner")
        .container("local-path-provisioner", "rancher/local-path-provisioner:v0.0.31")
        .serviceAccount("local-path-provisioner-service-account")
        .deployment(1));
    s.add(new Workload("kube-system", "metrics-server", "k8s-app", "metrics-server")
        .container("metrics-server", "rancher/mirrored-metrics-server:v0.7.2")
        .serviceAccount("metrics-server")
        .deployment(1));

    s.add(Kube.storageClass("hcloud-volumes", "csi.hetzner.cloud", true, "WaitForFirstConsumer", true, Map.of()));
    s.add(Kube.storageClass("local-path", "rancher.io/local-path", false, "WaitForFirstConsumer", false, Map.of()));
  }

  private static NodeSpec cloudNode(String prefix, int i, NodeSpec.Machine machine) {
    String name = prefix + Names.suffix4(i);
    return new NodeSpec(name)
        .providerId("hcloud://" + (51_234_567 + i))
        .cloud(machine.type(), REGION, CLOUD_ZONE)
        .label("csi.hetzner.cloud/location", REGION)
        .label("instance.hetzner.cloud/provided-by", "cloud")
        .label("k3s.io/hostname", name)
        .machine(machine)
        .software(SOFTWARE)
        .addresses(Names.ip("10.0", i), Names.ip("49.12", i));
  }

  private static NodeSpec robotGpuNode(String name, int i, boolean gex130) {
    return new NodeSpec(name)
        .providerId("hrobot://" + (2_345_678 + i))
        .cloud(gex130 ? "GEX130" : "GEX44", REGION, ROBOT_ZONE)
        .label("instance.hetzner.cloud/provided-by", "robot")
        .label("k3s.io/hostname", name)
        .label("feature.node.kubernetes.io/pci-10de.present", "true")
        .label("nvidia.com/gpu.present", "true")
        .label("nvidia.com/gpu.product",
            gex130 ? "NVIDIA-RTX-6000-Ada-Generation" : "NVIDIA-RTX-4000-SFF-Ada-Generation")
        .label("nvidia.com/gpu.count", "1")
        .label("nvidia.com/gpu.memory", gex130 ? "49140" : "20475")
        .label("nvidia.com/gpu.family", "ada-lovelace")
        .label("nvidia.com/gpu.compute.major", "8")
        .label("nvidia.com/gpu.compute.minor", "9")
        .label("nvidia.com/gpu.replicas", "1")
        .label("nvidia.com/gpu.sharing-strategy", "none")
        .label("nvidia.com/mig.capable", "false")
        .machine(gex130 ? GEX130 : GEX44)
        .software(SOFTWARE)
        .addresses(Names.ip("10.1", i), Names.ip("88.99", i));
  }
}
