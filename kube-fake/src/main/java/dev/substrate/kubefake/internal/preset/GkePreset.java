package dev.substrate.kubefake.internal.preset;

import dev.substrate.kubefake.internal.store.Names;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A working GKE Standard cluster in europe-west4, as the platform runs on it: a CPU pool of n2-standard-8 nodes and
 * a GPU pool of g2-standard-8 nodes with one NVIDIA L4 each (driver installed by GKE, {@code gpu-driver-version=default});
 * GKE's own device plugin and managed DCGM exporter; PD CSI storage classes; the VolumeSnapshot CRDs but no
 * VolumeSnapshotClass (GKE ships none); External Secrets Operator with the platform's ClusterSecretStore
 * {@code secret-store} on GCP Secret Manager through Workload Identity, Ready; a vLLM pod using the GPU of every
 * other GPU node ({@link GpuPods}).
 */
final class GkePreset {

  static final String GIT_VERSION = "v1.32.4-gke.1106006";
  static final String PROJECT = "acme-ml";
  static final String CLUSTER = "prod";
  static final String REGION = "europe-west4";
  static final String ESO_NAMESPACE = "external-secrets";
  static final String ESO_SERVICE_ACCOUNT = "external-secrets";
  private static final List<String> ZONES = List.of("europe-west4-a", "europe-west4-b", "europe-west4-c");
  private static final List<String> GPU_ZONES = List.of("europe-west4-a", "europe-west4-b");
  private static final NodeSpec.Software SOFTWARE = new NodeSpec.Software(GIT_VERSION, "containerd://2.0.4",
      "Container-Optimized OS from Google", "6.6.87+");
  private static final NodeSpec.Machine N2_STANDARD_8 = new NodeSpec.Machine("n2-standard-8", 8, 32, 0);
  private static final NodeSpec.Machine G2_STANDARD_8 = new NodeSpec.Machine("g2-standard-8", 8, 32, 1);

  private GkePreset() {
  }

  static void seed(Seed s, int nodes) {
    s.addAll(Kube.common("34.118.224.1", "34.118.224.10"));
    s.add(Kube.namespace("gke-managed-system"));
    int gpus = Presets.gpuNodes(nodes);
    int cpus = nodes - gpus;
    for (int i = 0; i < cpus; i++) {
      s.node(node("default-pool", N2_STANDARD_8, "n2", ZONES.get(i % ZONES.size()), i));
    }
    if (gpus > 0) {
      s.add(Kube.namespace(GpuPods.NAMESPACE));
    }
    for (int i = 0; i < gpus; i++) {
      NodeSpec gpuNode = node("gpu-pool", G2_STANDARD_8, "g2", GPU_ZONES.get(i % GPU_ZONES.size()), cpus + i)
          .label("cloud.google.com/gke-accelerator", "nvidia-l4")
          .label("cloud.google.com/gke-gpu", "true")
          .label("cloud.google.com/gke-gpu-driver-version", "default")
          .taint("nvidia.com/gpu", "present", "NoSchedule");
      s.node(gpuNode);
      if (GpuPods.busy(i)) {
        s.add(GpuPods.vllm(gpuNode.name(), "cloud.google.com/gke-accelerator", "nvidia-l4", s.now));
      }
    }

    for (String size : List.of("small", "large")) {
      s.add(new Workload("kube-system", "nvidia-gpu-device-plugin-" + size + "-cos", "k8s-app",
          "nvidia-gpu-device-plugin")
          .container("nvidia-gpu-device-plugin", "gke.gcr.io/nvidia-gpu-device-plugin:v1.0.25-gke.77",
              "/usr/bin/nvidia-gpu-device-plugin", "-logtostderr", "--enable-container-gpu-metrics",
              "--enable-health-monitoring")
          .requireLabel("cloud.google.com/gke-accelerator", "Exists")
          .requireLabel("cloud.google.com/gke-os-distribution", "In", "cos")
          .tolerate("", "Exists", "NoExecute")
          .tolerate("", "Exists", "NoSchedule")
          .priorityClass("system-node-critical")
          .daemonSet(size.equals("small") ? gpus : 0));
    }
    s.add(new Workload("gke-managed-system", "dcgm-exporter", "app.kubernetes.io/name", "gke-managed-dcgm-exporter")
        .container("dcgm-exporter", "gke.gcr.io/dcgm-exporter:3.3.9-3.6.1-gke.5")
        .requireLabel("cloud.google.com/gke-accelerator", "Exists")
        .requireLabel("cloud.google.com/gke-gpu-driver-version", "In", "default", "latest")
        .tolerate("nvidia.com/gpu", "Exists", "NoSchedule")
        .priorityClass("system-node-critical")
        .daemonSet(gpus));
    s.add(new Workload("kube-system", "pdcsi-node", "k8s-app", "gcp-compute-persistent-disk-csi-driver")
        .container("gce-pd-driver", "gke.gcr.io/gcp-compute-persistent-disk-csi-driver:v1.15.4-gke.0")
        .nodeSelector("kubernetes.io/os", "linux")
        .tolerate("", "Exists", "NoSchedule")
        .priorityClass("system-node-critical")
        .daemonSet(nodes));
    s.add(new Workload("kube-system", "kube-dns", "k8s-app", "kube-dns")
        .container("kubedns", "gke.gcr.io/k8s-dns-kube-dns:1.23.0-gke.9")
        .container("dnsmasq", "gke.gcr.io/k8s-dns-dnsmasq-nanny:1.23.0-gke.9")
        .priorityClass("system-cluster-critical")
        .serviceAccount("kube-dns")
        .deployment(2));
    s.add(Kube.serviceAccount("kube-system", "kube-dns"));

    s.add(Kube.csiDriver("pd.csi.storage.gke.io", true, false));
    s.add(Kube.storageClass("standard-rwo", "pd.csi.storage.gke.io", true, "WaitForFirstConsumer", true,
        Map.of("type", "pd-balanced")));
    s.add(Kube.storageClass("premium-rwo", "pd.csi.storage.gke.io", false, "WaitForFirstConsumer", true,
        Map.of("type", "pd-ssd")));
    s.add(Kube.storageClass("standard", "kubernetes.io/gce-pd", false, "Immediate", true,
        Map.of("type", "pd-standard")));
    s.add(Kube.crd("snapshot.storage.k8s.io", "v1", "VolumeSnapshotClass", "volumesnapshotclasses", false,
        List.of("vsclass", "vsclasses")));
    s.add(Kube.crd("snapshot.storage.k8s.io", "v1", "VolumeSnapshot", "volumesnapshots", true, List.of("vs")));
    s.add(Kube.crd("snapshot.storage.k8s.io", "v1", "VolumeSnapshotContent", "volumesnapshotcontents", false,
        List.of("vsc", "vscs")));

    // External Secrets Operator and the one ClusterSecretStore, keyless through GKE Workload Identity. Its CRDs are
    // MinimalCrds.platform(), which Presets seeds before this preset.
    s.add(Kube.namespace(ESO_NAMESPACE));
    ServiceAccount eso = Kube.serviceAccount(ESO_NAMESPACE, ESO_SERVICE_ACCOUNT);
    eso.getMetadata().setAnnotations(
        Map.of("iam.gke.io/gcp-service-account", "external-secrets@" + PROJECT + ".iam.gserviceaccount.com"));
    s.add(eso);
    s.add(new Workload(ESO_NAMESPACE, "external-secrets", "app.kubernetes.io/name", "external-secrets")
        .container("external-secrets", "ghcr.io/external-secrets/external-secrets:v2.9.0", "--concurrent=1",
            "--metrics-addr=:8080")
        .serviceAccount(ESO_SERVICE_ACCOUNT)
        .deployment(1));
    s.add(clusterSecretStore(s.now));
  }

  /** The store Substrate renders for this cluster's defaults, as ESO reports it once validated. */
  private static GenericKubernetesResource clusterSecretStore(String now) {
    Map<String, Object> workloadIdentity = new LinkedHashMap<>();
    workloadIdentity.put("serviceAccountRef", Map.of("name", ESO_SERVICE_ACCOUNT, "namespace", ESO_NAMESPACE));
    workloadIdentity.put("clusterLocation", REGION);
    workloadIdentity.put("clusterName", CLUSTER);
    workloadIdentity.put("clusterProjectID", PROJECT);
    Map<String, Object> gcpsm = new LinkedHashMap<>();
    gcpsm.put("projectID", PROJECT);
    gcpsm.put("auth", Map.of("workloadIdentity", workloadIdentity));
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("type", "Ready");
    ready.put("status", "True");
    ready.put("reason", "Valid");
    ready.put("message", "store validated");
    ready.put("lastTransitionTime", now);
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("external-secrets.io/v1")
        .withKind("ClusterSecretStore")
        .withNewMetadata().withName("secret-store").addToLabels("app.kubernetes.io/managed-by", "substrate")
            .endMetadata()
        .addToAdditionalProperties("spec", Map.of("provider", Map.of("gcpsm", gcpsm)))
        .addToAdditionalProperties("status", Map.of("conditions", List.of(ready), "capabilities", "ReadWrite"))
        .build();
  }

  private static NodeSpec node(String pool, NodeSpec.Machine machine, String family, String zone, int i) {
    String group = Names.hex8(CLUSTER + "/" + pool + "/" + zone);
    String name = "gke-" + CLUSTER + "-" + pool + "-" + group + "-" + Names.suffix4(i);
    return new NodeSpec(name)
        .providerId("gce://" + PROJECT + "/" + zone + "/" + name)
        .cloud(machine.type(), REGION, zone)
        .label("cloud.google.com/gke-boot-disk", "pd-balanced")
        .label("cloud.google.com/gke-container-runtime", "containerd")
        .label("cloud.google.com/gke-nodepool", pool)
        .label("cloud.google.com/gke-os-distribution", "cos")
        .label("cloud.google.com/machine-family", family)
        .label("cloud.google.com/private-node", "false")
        .label("topology.gke.io/zone", zone)
        .machine(machine)
        .software(SOFTWARE)
        .addresses(Names.ip("10.164", i), null);
  }
}
