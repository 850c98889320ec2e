package dev.substrate.kubefake.internal.preset;

import dev.substrate.kubefake.internal.store.Names;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.TopologySelectorTermBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Talos Linux on Hetzner Cloud VMs (the control plane and a public worker, {@code hcloud://}, behind an hcloud Load
 * Balancer) joined by a WireGuard mesh to Proxmox VMs at home ({@code proxmox://home/<vmid>}, workers and one with an
 * NVIDIA L4 passed through). Hetzner Cloud CSI on the Cloud VMs, Proxmox CSI at home and local-path side by side;
 * the GPU driver and container toolkit come from Talos system extensions, so the GPU Operator runs with both off and
 * pods use the {@code nvidia} RuntimeClass; External Secrets Operator reads Vault.
 */
final class HybridPreset {

  static final String GIT_VERSION = "v1.34.1";
  /**
   * Talos 1.13 with its kernel and containerd, as {@code kubectl get nodes -o wide} shows them (siderolabs/talos
   * v1.13.9 {@code hack/release.toml} and {@code pkg/machinery/constants}).
   */
  private static final NodeSpec.Software TALOS = new NodeSpec.Software(GIT_VERSION, "containerd://2.2.7",
      "Talos (v1.13.9)", "6.18.44-talos");
  /**
   * The NVIDIA system extensions on the GPU node, as Talos labels nodes with their extensions
   * ({@code extensions.talos.dev/<name>=<version>}, siderolabs/talos {@code node_label_spec.go}); versions from
   * siderolabs/extensions {@code release-1.13}: the driver, and the toolkit built against it.
   */
  private static final Map<String, String> NVIDIA_EXTENSIONS = Map.of(
      "extensions.talos.dev/nonfree-kmod-nvidia-production", "595.91.07-v1.13.9",
      "extensions.talos.dev/nvidia-container-toolkit-production", "595.91.07-v1.19.1");
  private static final String REGION = "fsn1";
  private static final String CLOUD_ZONE = "fsn1-dc14";
  /** The Proxmox cluster's region in the Proxmox CCM's config, and the PVE host the VMs run on. */
  private static final String HOME = "home";
  private static final String PVE_HOST = "pve-1";
  private static final NodeSpec.Machine CPX31 = new NodeSpec.Machine("cpx31", 4, 8, 0);
  private static final NodeSpec.Machine CPX41 = new NodeSpec.Machine("cpx41", 8, 16, 0);
  private static final NodeSpec.Machine HOME_WORKER = new NodeSpec.Machine("8VCPU-32GB", 8, 32, 0);
  private static final NodeSpec.Machine HOME_GPU = new NodeSpec.Machine("16VCPU-64GB", 16, 64, 1);

  static final String VAULT_SERVER = "https://vault.home.arpa:8200";
  static final String ESO_NAMESPACE = "external-secrets";

  private HybridPreset() {
  }

  static String exampleConfig() {
    return "# the platform config the embedded hybrid cluster was made for\n"
        + "substrate:\n"
        + "  id: hetzner            # the control plane's substrate: load balancer, secrets\n"
        + "  pools:\n"
        + "    home: {substrate: proxmox}\n"
        + "proxmox: {storage: local-lvm}  # the Proxmox storage volumes are provisioned on\n"
        + "gpu_stack: talos         # every node runs Talos: the driver comes from its system extensions\n"
        + "secret_backend: vault\n"
        + "vault:\n"
        + "  server: " + VAULT_SERVER + "\n"
        + "  auth: {kubernetes: {role: external-secrets}}\n";
  }

  /** Half the nodes (at least one, the control plane) on Hetzner Cloud, the rest at home, one of them with a GPU. */
  static void seed(Seed s, int nodes) {
    s.addAll(Kube.common("10.96.0.1", "10.96.0.10"));
    int cloud = Math.max(1, nodes / 2);
    int home = nodes - cloud;
    for (int i = 0; i < cloud; i++) {
      boolean controlPlane = i == 0;
      String name = controlPlane ? "talos-cp-" + (i + 1) : "talos-cloud-" + i;
      NodeSpec n = new NodeSpec(name)
          .providerId("hcloud://" + (61_234_567 + i))
          .cloud(controlPlane ? "cpx31" : "cpx41", REGION, CLOUD_ZONE)
          .label("csi.hetzner.cloud/location", REGION)
          .label("instance.hetzner.cloud/provided-by", "cloud")
          .machine(controlPlane ? CPX31 : CPX41)
          .software(TALOS)
          .addresses(Names.ip("10.0", i), Names.ip("49.13", i));
      if (controlPlane) {
        n.label("node-role.kubernetes.io/control-plane", "")
            .taint("node-role.kubernetes.io/control-plane", null, "NoSchedule");
      }
      s.node(n);
    }
    for (int i = 0; i < home; i++) {
      boolean gpu = i == home - 1;
      String name = gpu ? "pve-gpu-1" : "pve-worker-" + (i + 1);
      NodeSpec n = new NodeSpec(name)
          .providerId("proxmox://" + HOME + "/" + (201 + i))
          .cloud(gpu ? HOME_GPU.type() : HOME_WORKER.type(), HOME, PVE_HOST)
          // the Proxmox CCM labels every node it initialises (pkg/proxmox/instances.go)
          .label("topology.proxmox.sinextra.dev/region", HOME)
          .label("topology.proxmox.sinextra.dev/zone", PVE_HOST)
          .machine(gpu ? HOME_GPU : HOME_WORKER)
          .software(TALOS)
          .addresses(Names.ip("192.168", i), null);
      if (gpu) {
        n.label("feature.node.kubernetes.io/pci-10de.present", "true")
            .label("nvidia.com/gpu.present", "true")
            .label("nvidia.com/gpu.product", "NVIDIA-L4")
            .label("nvidia.com/gpu.count", "1")
            .label("nvidia.com/gpu.memory", "23034")
            .label("nvidia.com/gpu.family", "ada-lovelace")
            .label("nvidia.com/gpu.replicas", "1")
            .label("nvidia.com/gpu.sharing-strategy", "none")
            .label("nvidia.com/mig.capable", "false")
            .label("nvidia.com/gpu.deploy.device-plugin", "true")
            .label("nvidia.com/gpu.deploy.gpu-feature-discovery", "true")
            .label("nvidia.com/gpu.deploy.dcgm-exporter", "true");
        NVIDIA_EXTENSIONS.forEach(n::label);
        s.add(Kube.namespace(GpuPods.NAMESPACE));
        s.add(GpuPods.vllm(name, "nvidia.com/gpu.product", "NVIDIA-L4", s.now));
      }
      s.node(n);
    }

    HetznerPreset.hcloudControllers(s, cloud, false);
    proxmox(s, home);
    s.add(new Workload("kube-system", "coredns", "k8s-app", "kube-dns")
        .container("coredns", "registry.k8s.io/coredns/coredns:v1.12.1")
        .serviceAccount("coredns")
        .priorityClass("system-cluster-critical")
        .deployment(2));
    s.add(Kube.namespace("local-path-storage"));
    s.add(new Workload("local-path-storage", "local-path-provisioner", "app", "local-path-provisioner")
        .container("local-path-provisioner", "docker.io/rancher/local-path-provisioner:v0.0.31")
        .serviceAccount("local-path-provisioner-service-account")
        .deployment(1));

    StorageClass hcloudVolumes = Kube.storageClass("hcloud-volumes", "csi.hetzner.cloud", true, "WaitForFirstConsumer",
        true, Map.of());
    hcloudVolumes.setAllowedTopologies(List.of(new TopologySelectorTermBuilder().addNewMatchLabelExpression()
        .withKey("instance.hetzner.cloud/provided-by").withValues("cloud").endMatchLabelExpression().build()));
    s.add(hcloudVolumes);
    s.add(Kube.storageClass("local-path", "rancher.io/local-path", false, "WaitForFirstConsumer", false, Map.of()));

    gpuOperator(s);
    HetznerPreset.ingress(s);
    externalSecrets(s);
  }

  /** The Proxmox cloud-controller-manager and CSI plugin (sergelogvinov's), with the home pool's StorageClass. */
  private static void proxmox(Seed s, int home) {
    s.add(new Workload("kube-system", "proxmox-cloud-controller-manager", "app.kubernetes.io/name",
        "proxmox-cloud-controller-manager")
        .container("proxmox-cloud-controller-manager",
            "ghcr.io/sergelogvinov/proxmox-cloud-controller-manager:v0.13.1", "--cloud-provider=proxmox",
            "--cloud-config=/etc/proxmox/config.yaml", "--controllers=cloud-node,cloud-node-lifecycle")
        .tolerate("node-role.kubernetes.io/control-plane", "Exists", "NoSchedule")
        .nodeSelector("node-role.kubernetes.io/control-plane", "")
        .serviceAccount("proxmox-cloud-controller-manager")
        .deployment(1));
    s.add(Kube.namespace("csi-proxmox"));
    s.add(new Workload("csi-proxmox", "proxmox-csi-plugin-controller", "app.kubernetes.io/name", "proxmox-csi-plugin")
        .label("app.kubernetes.io/component", "controller")
        .container("proxmox-csi-plugin-controller", "ghcr.io/sergelogvinov/proxmox-csi-controller:v0.19.1")
        .serviceAccount("proxmox-csi-plugin-controller")
        .deployment(1));
    s.add(new Workload("csi-proxmox", "proxmox-csi-plugin-node", "app.kubernetes.io/name", "proxmox-csi-plugin")
        .label("app.kubernetes.io/component", "node")
        .container("proxmox-csi-plugin-node", "ghcr.io/sergelogvinov/proxmox-csi-node:v0.19.1")
        .requireLabel("topology.kubernetes.io/region", "In", HOME)
        .daemonSet(home));
    s.add(Kube.csiDriver("csi.proxmox.sinextra.dev", true, true));
    s.add(Kube.storageClass("proxmox-csi", "csi.proxmox.sinextra.dev", false, "WaitForFirstConsumer", true,
        Map.of("storage", "local-lvm", "csi.storage.k8s.io/fstype", "ext4")));
  }

  /**
   * Talos's {@code nvidia} RuntimeClass, and the GPU Operator with driver and toolkit off (the Talos extensions
   * provide both): its CRD, a ready ClusterPolicy, and the device plugin, GPU feature discovery and DCGM exporter.
   */
  private static void gpuOperator(Seed s) {
    s.add(new RuntimeClassBuilder().withNewMetadata().withName("nvidia").endMetadata().withHandler("nvidia").build());
    s.add(Kube.crd("nvidia.com", "v1", "ClusterPolicy", "clusterpolicies", false, List.of()));
    s.add(Kube.namespace(HetznerPreset.GPU_OPERATOR_NAMESPACE));
    s.add(new Workload(HetznerPreset.GPU_OPERATOR_NAMESPACE, "gpu-operator", "app", "gpu-operator")
        .container("gpu-operator", "nvcr.io/nvidia/gpu-operator:v26.7.0")
        .serviceAccount("gpu-operator")
        .deployment(1));
    String[][] operands = {
        {"nvidia-device-plugin-daemonset", "device-plugin", "nvcr.io/nvidia/k8s-device-plugin:v0.20.0"},
        {"gpu-feature-discovery", "gpu-feature-discovery", "nvcr.io/nvidia/k8s-device-plugin:v0.20.0"},
        {"nvidia-dcgm-exporter", "dcgm-exporter", "nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04"}};
    for (String[] o : operands) {
      s.add(new Workload(HetznerPreset.GPU_OPERATOR_NAMESPACE, o[0], "app", o[0])
          .container(o[0].replace("-daemonset", ""), o[2])
          .nodeSelector("nvidia.com/gpu.deploy." + o[1], "true")
          .tolerate("nvidia.com/gpu", "Exists", "NoSchedule")
          .priorityClass("system-node-critical")
          .daemonSet(1));
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("operator", Map.of("defaultRuntime", "containerd"));
    spec.put("driver", Map.of("enabled", false));
    spec.put("toolkit", Map.of("enabled", false));
    spec.put("devicePlugin", Map.of("enabled", true));
    spec.put("dcgm", Map.of("enabled", true));
    spec.put("dcgmExporter", Map.of("enabled", true));
    spec.put("gfd", Map.of("enabled", true));
    spec.put("daemonsets", Map.of());
    spec.put("validator", Map.of());
    s.add(new GenericKubernetesResourceBuilder()
        .withApiVersion("nvidia.com/v1").withKind("ClusterPolicy")
        .withNewMetadata().withName("cluster-policy").endMetadata()
        .addToAdditionalProperties("spec", spec)
        .addToAdditionalProperties("status", Map.of("state", "ready", "namespace",
            HetznerPreset.GPU_OPERATOR_NAMESPACE, "conditions", List.of(ready(s, "Reconciled",
                "ClusterPolicy is ready as all resources have been successfully reconciled"))))
        .build());
  }

  /** External Secrets Operator and the one ClusterSecretStore: Vault's KV v2 through Kubernetes auth. */
  private static void externalSecrets(Seed s) {
    s.add(Kube.namespace(ESO_NAMESPACE));
    s.add(Kube.serviceAccount(ESO_NAMESPACE, "external-secrets"));
    s.add(new Workload(ESO_NAMESPACE, "external-secrets", "app.kubernetes.io/name", "external-secrets")
        .container("external-secrets", "ghcr.io/external-secrets/external-secrets:v2.9.0", "--concurrent=1")
        .serviceAccount("external-secrets")
        .deployment(1));
    Map<String, Object> vault = new LinkedHashMap<>();
    vault.put("server", VAULT_SERVER);
    vault.put("path", "secret");
    vault.put("version", "v2");
    vault.put("auth", Map.of("kubernetes", Map.of("mountPath", "kubernetes", "role", "external-secrets",
        "serviceAccountRef", Map.of("name", "external-secrets", "namespace", ESO_NAMESPACE))));
    s.add(new GenericKubernetesResourceBuilder()
        .withApiVersion("external-secrets.io/v1").withKind("ClusterSecretStore")
        .withNewMetadata().withName("secret-store").addToLabels("app.kubernetes.io/managed-by", "substrate")
            .endMetadata()
        .addToAdditionalProperties("spec", Map.of("provider", Map.of("vault", vault)))
        .addToAdditionalProperties("status", Map.of("conditions", List.of(ready(s, "Valid", "store validated")),
            "capabilities", "ReadWrite"))
        .build());
  }

  private static Map<String, Object> ready(Seed s, String reason, String message) {
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("type", "Ready");
    ready.put("status", "True");
    ready.put("reason", reason);
    ready.put("message", message);
    ready.put("lastTransitionTime", s.now);
    return ready;
  }
}
