package dev.substrate.kubefake.internal.preset;

import dev.substrate.kubefake.internal.store.Names;
import java.util.Map;

/**
 * A kubeadm cluster on machines nobody's cloud controller knows: no providerIDs, no instance-type or
 * topology labels; one control plane, workers, GPU workers (an NVIDIA L40S each, labelled by GPU
 * feature discovery), and the local-path provisioner as the default StorageClass.
 */
final class ByoPreset {

  static final String GIT_VERSION = "v1.32.4";
  static final NodeSpec.Software SOFTWARE = new NodeSpec.Software(GIT_VERSION, "containerd://1.7.27",
      "Ubuntu 24.04.2 LTS", "6.8.0-57-generic");
  private static final NodeSpec.Machine WORKER = new NodeSpec.Machine("", 16, 64, 0);
  private static final NodeSpec.Machine GPU_WORKER = new NodeSpec.Machine("", 32, 256, 1);

  private ByoPreset() {
  }

  static void seed(Seed s, int nodes) {
    s.addAll(Kube.common("10.96.0.1", "10.96.0.10"));
    s.add(Kube.namespace("local-path-storage"));
    int gpus = Presets.gpuNodes(nodes);
    int cpus = nodes - gpus;
    for (int i = 0; i < cpus; i++) {
      if (i == 0) {
        s.node(new NodeSpec("cp-1")
            .label("node-role.kubernetes.io/control-plane", "")
            .label("node.kubernetes.io/exclude-from-external-load-balancers", "")
            .taint("node-role.kubernetes.io/control-plane", null, "NoSchedule")
            .machine(new NodeSpec.Machine("", 4, 16, 0))
            .software(SOFTWARE)
            .addresses(Names.ip("192.168", i), null));
      } else {
        s.node(new NodeSpec("worker-" + i).machine(WORKER).software(SOFTWARE).addresses(Names.ip("192.168", i), null));
      }
    }
    for (int i = 0; i < gpus; i++) {
      s.node(new NodeSpec("gpu-" + (i + 1))
          .label("feature.node.kubernetes.io/pci-10de.present", "true")
          .label("nvidia.com/gpu.present", "true")
          .label("nvidia.com/gpu.product", "NVIDIA-L40S")
          .label("nvidia.com/gpu.count", "1")
          .label("nvidia.com/gpu.memory", "46068")
          .label("nvidia.com/gpu.family", "ada-lovelace")
          .label("nvidia.com/gpu.replicas", "1")
          .label("nvidia.com/mig.capable", "false")
          .machine(GPU_WORKER)
          .software(SOFTWARE)
          .addresses(Names.ip("192.168", cpus + i), null));
    }
    s.add(new Workload("kube-system", "coredns", "k8s-app", "kube-dns")
        .container("coredns", "registry.k8s.io/coredns/coredns:v1.11.3")
        .serviceAccount("coredns")
        .priorityClass("system-cluster-critical")
        .deployment(2));
    s.add(new Workload("kube-system", "kube-proxy", "k8s-app", "kube-proxy")
        .container("kube-proxy", "registry.k8s.io/kube-proxy:" + GIT_VERSION)
        .nodeSelector("kubernetes.io/os", "linux")
        .priorityClass("system-node-critical")
        .daemonSet(nodes));
    s.add(new Workload("local-path-storage", "local-path-provisioner", "app", "local-path-provisioner")
        .container("local-path-provisioner", "docker.io/rancher/local-path-provisioner:v0.0.31")
        .serviceAccount("local-path-provisioner-service-account")
        .deployment(1));
    s.add(Kube.storageClass("local-path", "rancher.io/local-path", true, "WaitForFirstConsumer", false, Map.of()));
  }
}
