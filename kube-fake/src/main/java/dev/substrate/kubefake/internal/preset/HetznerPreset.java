package dev.substrate.kubefake.internal.preset;

import dev.substrate.kubefake.MinimalCrds;
import dev.substrate.kubefake.internal.store.Names;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.TopologySelectorTermBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A k3s cluster on Hetzner in fsn1: a Cloud control plane and Cloud workers ({@code hcloud://}),
 * dedicated Robot GPU servers ({@code hrobot://}, GEX44 with an RTX 4000 SFF Ada, every fourth GPU node a
 * GEX130 with an RTX 6000 Ada) labelled by GPU feature discovery; the hcloud cloud-controller-manager
 * (Robot enabled, default LB location fsn1) and CSI driver (provided-by topology on, as Robot nodes need);
 * {@code hcloud-volumes} as the default class; the
 * NVIDIA GPU Operator with a ready ClusterPolicy and its operands on the GPU servers; ingress-nginx behind an hcloud
 * Load Balancer; External Secrets Operator with the platform's ClusterSecretStore, keyless through WIF; a vLLM pod
 * using the GPU of every other GPU server ({@link GpuPods}).
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

  static final String GPU_OPERATOR_NAMESPACE = "gpu-operator";
  static final String ESO_NAMESPACE = "external-secrets";
  static final String ESO_SERVICE_ACCOUNT = "external-secrets";
  static final String GCP_PROJECT = "substrate-platform";
  static final String WIF_AUDIENCE = "//iam.googleapis.com/projects/123456789012/locations/global/"
      + "workloadIdentityPools/hetzner/providers/k3s-oidc";

  private HetznerPreset() {
  }

  static String exampleConfig() {
    return "# the platform config the embedded hetzner cluster was made for\n"
        + "cluster: {projectID: " + GCP_PROJECT + "}\n"
        + "wif:\n"
        + "  audience: " + WIF_AUDIENCE + "\n";
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
    if (gpus > 0) {
      s.add(Kube.namespace(GpuPods.NAMESPACE));
    }
    for (int i = 0; i < gpus; i++) {
      boolean big = i % 4 == 3;
      String name = big ? String.format("gex130-%02d", ++gex130) : String.format("gex44-%02d", ++gex44);
      s.node(robotGpuNode(name, cloud + i, big));
      if (GpuPods.busy(i)) {
        s.add(GpuPods.vllm(name, "nvidia.com/gpu.product",
            big ? "NVIDIA-RTX-6000-Ada-Generation" : "NVIDIA-RTX-4000-SFF-Ada-Generation", s.now));
      }
    }

    hcloudControllers(s, cloud, true);
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

    // The chart's class with global.enableProvidedByTopology (hetznercloud/csi-driver chart/templates/core/storageclass.yaml).
    StorageClass hcloudVolumes = Kube.storageClass("hcloud-volumes", "csi.hetzner.cloud", true, "WaitForFirstConsumer",
        true, Map.of());
    hcloudVolumes.setAllowedTopologies(List.of(new TopologySelectorTermBuilder().addNewMatchLabelExpression()
        .withKey("instance.hetzner.cloud/provided-by").withValues("cloud").endMatchLabelExpression().build()));
    s.add(hcloudVolumes);
    s.add(Kube.storageClass("local-path", "rancher.io/local-path", false, "WaitForFirstConsumer", false, Map.of()));

    gpuOperator(s, gpus);
    ingress(s);
    externalSecrets(s);
  }

  /**
   * The hcloud cloud-controller-manager (default LB location fsn1; Robot support as asked) and CSI driver (provided-by
   * topology on) with their token Secret, the CSI node plugin on the {@code cloud} Cloud servers.
   */
  static void hcloudControllers(Seed s, int cloud, boolean robot) {
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
        .env("ROBOT_ENABLED", String.valueOf(robot))
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
        .env("ENABLE_PROVIDED_BY_TOPOLOGY", "t")
        .serviceAccount("hcloud-csi-controller")
        .deployment(1));
    s.add(new Workload("kube-system", "hcloud-csi-node", "app.kubernetes.io/name", "hcloud-csi")
        .label("app.kubernetes.io/component", "node")
        .container("csi-node-driver-registrar", "registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.13.0")
        .container("liveness-probe", "registry.k8s.io/sig-storage/livenessprobe:v2.15.0")
        .container("hcloud-csi-driver", "docker.io/hetznercloud/hcloud-csi-driver:v2.22.1", "-node")
        .env("ENABLE_PROVIDED_BY_TOPOLOGY", "t")
        .requireLabel("instance.hetzner.cloud/is-root-server", "NotIn", "true")
        .requireLabel("instance.hetzner.cloud/provided-by", "NotIn", "robot")
        .tolerate("", "Exists", "NoExecute")
        .tolerate("", "Exists", "NoSchedule")
        .daemonSet(cloud));
    s.add(Kube.csiDriver("csi.hetzner.cloud", true, true));
  }

  /** The GPU Operator, self-managed on Hetzner: its CRD, a ready ClusterPolicy, and operands on the GPU servers. */
  private static void gpuOperator(Seed s, int gpus) {
    s.add(Kube.crd("nvidia.com", "v1", "ClusterPolicy", "clusterpolicies", false, List.of()));
    s.add(Kube.namespace(GPU_OPERATOR_NAMESPACE));
    s.add(new Workload(GPU_OPERATOR_NAMESPACE, "gpu-operator", "app", "gpu-operator")
        .container("gpu-operator", "nvcr.io/nvidia/gpu-operator:v26.7.0")
        .serviceAccount("gpu-operator")
        .deployment(1));
    String[][] operands = {
        {"nvidia-driver-daemonset", "nvidia-driver-daemonset", "driver", "nvcr.io/nvidia/driver:570-6.8.0-57-generic-ubuntu24.04"},
        {"nvidia-container-toolkit-daemonset", "nvidia-container-toolkit-daemonset", "container-toolkit",
            "nvcr.io/nvidia/k8s/container-toolkit:v1.17.8-ubuntu20.04"},
        {"nvidia-device-plugin-daemonset", "nvidia-device-plugin-daemonset", "device-plugin",
            "nvcr.io/nvidia/k8s-device-plugin:v0.20.0"},
        {"gpu-feature-discovery", "gpu-feature-discovery", "gpu-feature-discovery",
            "nvcr.io/nvidia/k8s-device-plugin:v0.20.0"},
        {"nvidia-dcgm-exporter", "nvidia-dcgm-exporter", "dcgm-exporter", "nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04"}};
    for (String[] o : operands) {
      s.add(new Workload(GPU_OPERATOR_NAMESPACE, o[0], "app", o[1])
          .container(o[1].replace("-daemonset", ""), o[3])
          .nodeSelector("nvidia.com/gpu.deploy." + o[2], "true")
          .tolerate("nvidia.com/gpu", "Exists", "NoSchedule")
          .priorityClass("system-node-critical")
          .daemonSet(gpus));
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("operator", Map.of("defaultRuntime", "containerd"));
    spec.put("driver", Map.of("enabled", true, "usePrecompiled", true));
    spec.put("toolkit", Map.of("enabled", true));
    spec.put("devicePlugin", Map.of("enabled", true));
    spec.put("dcgm", Map.of("enabled", true));
    spec.put("dcgmExporter", Map.of("enabled", true));
    spec.put("gfd", Map.of("enabled", true));
    spec.put("mig", Map.of("strategy", "single"));
    spec.put("daemonsets", Map.of());
    spec.put("validator", Map.of());
    spec.put("nodeStatusExporter", Map.of("enabled", false));
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("type", "Ready");
    ready.put("status", "True");
    ready.put("reason", "Reconciled");
    ready.put("message", "ClusterPolicy is ready as all resources have been successfully reconciled");
    ready.put("lastTransitionTime", s.now);
    GenericKubernetesResource policy = new GenericKubernetesResourceBuilder()
        .withApiVersion("nvidia.com/v1").withKind("ClusterPolicy")
        .withNewMetadata().withName("cluster-policy").endMetadata()
        .addToAdditionalProperties("spec", spec)
        .addToAdditionalProperties("status", Map.of("state", "ready", "namespace", GPU_OPERATOR_NAMESPACE,
            "conditions", List.of(ready)))
        .build();
    s.add(policy);
  }

  /** ingress-nginx's controller Service, for which the CCM made an hcloud Load Balancer in fsn1. */
  static void ingress(Seed s) {
    s.add(Kube.namespace("ingress-nginx"));
    s.add(new Workload("ingress-nginx", "ingress-nginx-controller", "app.kubernetes.io/name", "ingress-nginx")
        .label("app.kubernetes.io/component", "controller")
        .container("controller", "registry.k8s.io/ingress-nginx/controller:v1.12.1")
        .serviceAccount("ingress-nginx")
        .deployment(2));
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("load-balancer.hetzner.cloud/name", "k3s-ingress");
    annotations.put("load-balancer.hetzner.cloud/type", "lb11");
    annotations.put("load-balancer.hetzner.cloud/use-private-ip", "true");
    annotations.put("load-balancer.hetzner.cloud/uses-proxyprotocol", "true");
    annotations.put("load-balancer.hetzner.cloud/health-check-interval", "15s");
    annotations.put("load-balancer.hetzner.cloud/ipv4", "167.235.10.20");
    Service service = new ServiceBuilder()
        .withNewMetadata().withNamespace("ingress-nginx").withName("ingress-nginx-controller")
            .withAnnotations(annotations)
            .addToLabels("app.kubernetes.io/name", "ingress-nginx").endMetadata()
        .withNewSpec().withType("LoadBalancer").withClusterIP("10.43.120.15").withClusterIPs("10.43.120.15")
            .withExternalTrafficPolicy("Cluster")
            .addToSelector("app.kubernetes.io/name", "ingress-nginx")
            .addNewPort().withName("http").withProtocol("TCP").withPort(80).withNodePort(30080)
                .withNewTargetPort("http").endPort()
            .addNewPort().withName("https").withProtocol("TCP").withPort(443).withNodePort(30443)
                .withNewTargetPort("https").endPort()
        .endSpec()
        .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("167.235.10.20").withIpMode("VIP").endIngress()
            .addNewIngress().withIp("2a01:4f8:1c1e:a1b2::1").withIpMode("VIP").endIngress()
            .endLoadBalancer().endStatus()
        .build();
    s.add(service);
  }

  /** External Secrets Operator and the one ClusterSecretStore: GCP Secret Manager through WIF (no static key). */
  private static void externalSecrets(Seed s) {
    // Presets seeds MinimalCrds.platform() after this preset; the store's CRD must exist before the store.
    s.add(MinimalCrds.of("external-secrets.io", "v1", "ClusterSecretStore", "clustersecretstores", false));
    s.add(Kube.namespace(ESO_NAMESPACE));
    s.add(Kube.serviceAccount(ESO_NAMESPACE, ESO_SERVICE_ACCOUNT));
    s.add(new Workload(ESO_NAMESPACE, "external-secrets", "app.kubernetes.io/name", "external-secrets")
        .container("external-secrets", "ghcr.io/external-secrets/external-secrets:v2.9.0", "--concurrent=1")
        .serviceAccount(ESO_SERVICE_ACCOUNT)
        .deployment(1));
    Map<String, Object> wif = new LinkedHashMap<>();
    wif.put("audience", WIF_AUDIENCE);
    wif.put("serviceAccountRef", Map.of("name", ESO_SERVICE_ACCOUNT, "namespace", ESO_NAMESPACE,
        "audiences", List.of(WIF_AUDIENCE)));
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("type", "Ready");
    ready.put("status", "True");
    ready.put("reason", "Valid");
    ready.put("message", "store validated");
    ready.put("lastTransitionTime", s.now);
    s.add(new GenericKubernetesResourceBuilder()
        .withApiVersion("external-secrets.io/v1").withKind("ClusterSecretStore")
        .withNewMetadata().withName("secret-store").addToLabels("app.kubernetes.io/managed-by", "substrate")
            .endMetadata()
        .addToAdditionalProperties("spec", Map.of("provider", Map.of("gcpsm", Map.of("projectID", GCP_PROJECT,
            "auth", Map.of("workloadIdentityFederation", wif)))))
        .addToAdditionalProperties("status", Map.of("conditions", List.of(ready), "capabilities", "ReadWrite"))
        .build());
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
        .label("nvidia.com/gpu.deploy.driver", "true")
        .label("nvidia.com/gpu.deploy.container-toolkit", "true")
        .label("nvidia.com/gpu.deploy.device-plugin", "true")
        .label("nvidia.com/gpu.deploy.gpu-feature-discovery", "true")
        .label("nvidia.com/gpu.deploy.dcgm-exporter", "true")
        .label("nvidia.com/gpu.deploy.operator-validator", "true")
        .machine(gex130 ? GEX130 : GEX44)
        .software(SOFTWARE)
        .addresses(Names.ip("10.1", i), Names.ip("88.99", i));
  }
}
