package dev.substrate.kubefake.internal.preset;

import dev.substrate.kubefake.internal.store.Names;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A working EKS cluster in eu-west-1 with its substrate layer applied: a managed node group of m6i.2xlarge CPU nodes
 * and Karpenter-launched p5.48xlarge GPU nodes (8 H100 each) on the EKS-optimised AL2023 NVIDIA AMI, with NVIDIA's
 * device plugin and GPU feature discovery; the EBS and EFS CSI add-ons, the snapshot controller and its CRDs, the gp3
 * default class; the AWS Load Balancer Controller and an NLB for ingress-nginx; External Secrets Operator with the
 * ClusterSecretStore {@code secret-store} on AWS Secrets Manager through IRSA, Ready. Label keys and providerID form:
 * substrate-aws's README.
 */
final class AwsPreset {

  static final String GIT_VERSION = "v1.32.4-eks-1a2b3c4";
  static final String ACCOUNT = "123456789012";
  static final String CLUSTER = "prod";
  static final String REGION = "eu-west-1";
  /** EKS's issuer form: https://oidc.eks.REGION.amazonaws.com/id/ID (32 upper-case hex digits). */
  static final String ISSUER = "https://oidc.eks." + REGION + ".amazonaws.com/id/5C3F9E2A7B1D4E6F8A0B2C4D6E8F0A1B";
  static final String ESO_NAMESPACE = "external-secrets";
  static final String ESO_SERVICE_ACCOUNT = "external-secrets";
  static final String ESO_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/" + CLUSTER + "-external-secrets";
  private static final List<String> ZONES = List.of("eu-west-1a", "eu-west-1b", "eu-west-1c");
  private static final NodeSpec.Software SOFTWARE = new NodeSpec.Software(GIT_VERSION, "containerd://1.7.27",
      "Amazon Linux 2023.7.20250609", "6.1.140-154.222.amzn2023.x86_64");
  private static final NodeSpec.Machine M6I_2XLARGE = new NodeSpec.Machine("m6i.2xlarge", 8, 32, 0);
  private static final NodeSpec.Machine P5_48XLARGE = new NodeSpec.Machine("p5.48xlarge", 192, 2048, 8);

  private AwsPreset() {
  }

  static String exampleConfig() {
    return "# the platform config the embedded aws cluster was made for\n"
        + "cluster: {name: " + CLUSTER + ", location: " + REGION + "}\n"
        + "aws: {account_id: \"" + ACCOUNT + "\", gpu_nodes: karpenter}\n";
  }

  static void seed(Seed s, int nodes) {
    s.addAll(Kube.common("172.20.0.1", "172.20.0.10"));
    int gpus = Presets.gpuNodes(nodes);
    int cpus = nodes - gpus;
    for (int i = 0; i < cpus; i++) {
      s.node(node(i, M6I_2XLARGE)
          .label("eks.amazonaws.com/nodegroup", "system")
          .label("eks.amazonaws.com/capacityType", "ON_DEMAND")
          .label("eks.amazonaws.com/nodegroup-image", "ami-0c1d2e3f4a5b6c7d8")
          .label("k8s.io/cloud-provider-aws", Names.hex8(CLUSTER)));
    }
    for (int i = 0; i < gpus; i++) {
      s.node(node(cpus + i, P5_48XLARGE)
          .label("karpenter.sh/nodepool", "gpu")
          .label("karpenter.sh/capacity-type", "on-demand")
          .label("karpenter.sh/initialized", "true")
          .label("karpenter.sh/registered", "true")
          .label("karpenter.k8s.aws/instance-family", "p5")
          .label("karpenter.k8s.aws/instance-gpu-name", "h100")
          .label("karpenter.k8s.aws/instance-gpu-manufacturer", "nvidia")
          .label("karpenter.k8s.aws/instance-gpu-count", "8")
          .label("karpenter.k8s.aws/instance-gpu-memory", "81559")
          .label("k8s.io/cloud-provider-aws", Names.hex8(CLUSTER))
          .label("feature.node.kubernetes.io/pci-10de.present", "true")
          .label("nvidia.com/gpu.present", "true")
          .label("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3")
          .label("nvidia.com/gpu.count", "8")
          .label("nvidia.com/gpu.memory", "81559")
          .label("nvidia.com/gpu.family", "hopper")
          .label("nvidia.com/mig.capable", "true")
          .label("nvidia.com/gpu.replicas", "1")
          .label("nvidia.com/gpu.sharing-strategy", "none")
          .taint("nvidia.com/gpu", null, "NoSchedule"));
    }

    for (String ds : List.of("aws-node", "kube-proxy")) {
      s.add(new Workload("kube-system", ds, "k8s-app", ds)
          .container(ds, "602401143452.dkr.ecr." + REGION + ".amazonaws.com/eks/" + (ds.equals("aws-node")
              ? "amazon-k8s-cni:v1.19.5-eksbuild.1" : "kube-proxy:v1.32.3-minimal-eksbuild.7"))
          .tolerate("", "Exists", "NoSchedule")
          .priorityClass("system-node-critical")
          .daemonSet(nodes));
    }
    s.add(new Workload("kube-system", "coredns", "k8s-app", "kube-dns")
        .container("coredns", "602401143452.dkr.ecr." + REGION + ".amazonaws.com/eks/coredns:v1.11.4-eksbuild.14")
        .serviceAccount("coredns")
        .priorityClass("system-cluster-critical")
        .deployment(2));
    storage(s, nodes);
    devicePlugin(s, gpus);
    loadBalancing(s);
    externalSecrets(s);
  }

  /** The EBS and EFS CSI add-ons, the snapshot controller, and the classes the substrate layer adds. */
  private static void storage(Seed s, int nodes) {
    String ecr = "602401143452.dkr.ecr." + REGION + ".amazonaws.com/eks/";
    for (String driver : List.of("ebs", "efs")) {
      s.add(Kube.serviceAccount("kube-system", driver + "-csi-controller-sa"));
      s.add(new Workload("kube-system", driver + "-csi-controller", "app", driver + "-csi-controller")
          .label("app.kubernetes.io/name", "aws-" + driver + "-csi-driver")
          .container(driver + "-plugin", "public.ecr.aws/" + (driver.equals("ebs")
              ? "ebs-csi-driver/aws-ebs-csi-driver:v1.45.0" : "efs-csi-driver/amazon/aws-efs-csi-driver:v2.1.9"))
          .container("csi-provisioner", "public.ecr.aws/csi-components/csi-provisioner:v5.3.0-eksbuild.1")
          .serviceAccount(driver + "-csi-controller-sa")
          .deployment(2));
      s.add(new Workload("kube-system", driver + "-csi-node", "app", driver + "-csi-node")
          .label("app.kubernetes.io/name", "aws-" + driver + "-csi-driver")
          .container(driver + "-plugin", "public.ecr.aws/" + (driver.equals("ebs")
              ? "ebs-csi-driver/aws-ebs-csi-driver:v1.45.0" : "efs-csi-driver/amazon/aws-efs-csi-driver:v2.1.9"))
          .tolerate("", "Exists", "NoSchedule")
          .daemonSet(nodes));
    }
    s.add(Kube.csiDriver("ebs.csi.aws.com", true, false));
    s.add(Kube.csiDriver("efs.csi.aws.com", false, false));
    s.add(new Workload("kube-system", "snapshot-controller", "app", "snapshot-controller")
        .container("snapshot-controller", ecr + "csi-snapshot-controller:v8.2.0-eksbuild.1")
        .deployment(2));
    s.add(Kube.crd("snapshot.storage.k8s.io", "v1", "VolumeSnapshotClass", "volumesnapshotclasses", false,
        List.of("vsclass", "vsclasses")));
    s.add(Kube.crd("snapshot.storage.k8s.io", "v1", "VolumeSnapshot", "volumesnapshots", true, List.of("vs")));
    s.add(Kube.crd("snapshot.storage.k8s.io", "v1", "VolumeSnapshotContent", "volumesnapshotcontents", false,
        List.of("vsc", "vscs")));
    // EKS's own class (in-tree provisioner, not the default since EKS 1.30) and the rendered gp3 default.
    s.add(Kube.storageClass("gp2", "kubernetes.io/aws-ebs", false, "WaitForFirstConsumer", false,
        Map.of("type", "gp2", "fsType", "ext4")));
    Map<String, String> gp3 = new LinkedHashMap<>();
    gp3.put("type", "gp3");
    gp3.put("csi.storage.k8s.io/fstype", "ext4");
    gp3.put("encrypted", "true");
    StorageClass substrateGp3 = Kube.storageClass("gp3", "ebs.csi.aws.com", true, "WaitForFirstConsumer", true, gp3);
    substrateGp3.getMetadata().setLabels(Map.of("app.kubernetes.io/managed-by", "substrate"));
    s.add(substrateGp3);
  }

  /** NVIDIA's device plugin chart with GPU feature discovery, as substrate-aws renders it for the AL2023 AMI. */
  private static void devicePlugin(Seed s, int gpus) {
    s.add(Kube.namespace("nvidia"));
    s.add(new Workload("nvidia", "nvidia-device-plugin", "app.kubernetes.io/name", "nvidia-device-plugin")
        .container("nvidia-device-plugin-ctr", "nvcr.io/nvidia/k8s-device-plugin:v0.20.0")
        .requireLabel("feature.node.kubernetes.io/pci-10de.present", "In", "true")
        .tolerate("nvidia.com/gpu", "Exists", "NoSchedule")
        .priorityClass("system-node-critical")
        .daemonSet(gpus));
    s.add(new Workload("nvidia", "nvidia-device-plugin-gpu-feature-discovery", "app.kubernetes.io/name",
        "gpu-feature-discovery")
        .container("gpu-feature-discovery-ctr", "nvcr.io/nvidia/k8s-device-plugin:v0.20.0")
        .requireLabel("feature.node.kubernetes.io/pci-10de.present", "In", "true")
        .tolerate("nvidia.com/gpu", "Exists", "NoSchedule")
        .daemonSet(gpus));
  }

  /** The AWS Load Balancer Controller and the NLB it made for ingress-nginx's Service. */
  private static void loadBalancing(Seed s) {
    ServiceAccount sa = Kube.serviceAccount("kube-system", "aws-load-balancer-controller");
    sa.getMetadata().setAnnotations(Map.of("eks.amazonaws.com/role-arn",
        "arn:aws:iam::" + ACCOUNT + ":role/" + CLUSTER + "-aws-load-balancer-controller"));
    s.add(sa);
    s.add(new Workload("kube-system", "aws-load-balancer-controller", "app.kubernetes.io/name",
        "aws-load-balancer-controller")
        .container("aws-load-balancer-controller", "public.ecr.aws/eks/aws-load-balancer-controller:v2.13.3",
            "--cluster-name=" + CLUSTER, "--ingress-class=alb")
        .serviceAccount("aws-load-balancer-controller")
        .priorityClass("system-cluster-critical")
        .deployment(2));
    s.add(Kube.namespace("ingress-nginx"));
    s.add(new Workload("ingress-nginx", "ingress-nginx-controller", "app.kubernetes.io/name", "ingress-nginx")
        .label("app.kubernetes.io/component", "controller")
        .container("controller", "registry.k8s.io/ingress-nginx/controller:v1.12.1")
        .serviceAccount("ingress-nginx")
        .deployment(2));
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("service.beta.kubernetes.io/aws-load-balancer-type", "external");
    annotations.put("service.beta.kubernetes.io/aws-load-balancer-nlb-target-type", "ip");
    annotations.put("service.beta.kubernetes.io/aws-load-balancer-scheme", "internet-facing");
    annotations.put("service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol", "http");
    annotations.put("service.beta.kubernetes.io/aws-load-balancer-healthcheck-path", "/healthz");
    Service service = new ServiceBuilder()
        .withNewMetadata().withNamespace("ingress-nginx").withName("ingress-nginx-controller")
            .withAnnotations(annotations).addToLabels("app.kubernetes.io/name", "ingress-nginx")
            .addToFinalizers("service.k8s.aws/resources").endMetadata()
        .withNewSpec().withType("LoadBalancer").withClusterIP("172.20.91.4").withClusterIPs("172.20.91.4")
            .withExternalTrafficPolicy("Cluster").withLoadBalancerClass("service.k8s.aws/nlb")
            .addToSelector("app.kubernetes.io/name", "ingress-nginx")
            .addNewPort().withName("http").withProtocol("TCP").withPort(80).withNodePort(31080)
                .withNewTargetPort("http").endPort()
            .addNewPort().withName("https").withProtocol("TCP").withPort(443).withNodePort(31443)
                .withNewTargetPort("https").endPort()
        .endSpec()
        .withNewStatus().withNewLoadBalancer().addNewIngress()
            .withHostname("k8s-ingressn-ingressn-4f1b2c3d4e-0123456789abcdef.elb." + REGION + ".amazonaws.com")
            .endIngress().endLoadBalancer().endStatus()
        .build();
    s.add(service);
  }

  /** External Secrets Operator on AWS Secrets Manager: its ServiceAccount acts as an IAM role through IRSA. */
  private static void externalSecrets(Seed s) {
    s.add(Kube.namespace(ESO_NAMESPACE));
    ServiceAccount eso = Kube.serviceAccount(ESO_NAMESPACE, ESO_SERVICE_ACCOUNT);
    eso.getMetadata().setAnnotations(Map.of("eks.amazonaws.com/role-arn", ESO_ROLE));
    s.add(eso);
    s.add(new Workload(ESO_NAMESPACE, "external-secrets", "app.kubernetes.io/name", "external-secrets")
        .container("external-secrets", "ghcr.io/external-secrets/external-secrets:v2.9.0", "--concurrent=1")
        .serviceAccount(ESO_SERVICE_ACCOUNT)
        .deployment(1));
    s.add(clusterSecretStore(s.now));
  }

  /** ESO's aws provider with IRSA-style {@code auth.jwt}, as ESO reports it once validated. */
  private static GenericKubernetesResource clusterSecretStore(String now) {
    Map<String, Object> aws = new LinkedHashMap<>();
    aws.put("service", "SecretsManager");
    aws.put("region", REGION);
    aws.put("auth", Map.of("jwt", Map.of("serviceAccountRef",
        Map.of("name", ESO_SERVICE_ACCOUNT, "namespace", ESO_NAMESPACE))));
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
        .addToAdditionalProperties("spec", Map.of("provider", Map.of("aws", aws)))
        .addToAdditionalProperties("status", Map.of("conditions", List.of(ready), "capabilities", "ReadWrite"))
        .build();
  }

  private static NodeSpec node(int i, NodeSpec.Machine machine) {
    String ip = Names.ip("10.0", i);
    String zone = ZONES.get(i % ZONES.size());
    String name = "ip-" + ip.replace('.', '-') + "." + REGION + ".compute.internal";
    String instance = "i-0" + Names.hex8(name) + Names.hex8(name + "/instance");
    return new NodeSpec(name)
        .providerId("aws:///" + zone + "/" + instance)
        .cloud(machine.type(), REGION, zone)
        .label("topology.k8s.aws/zone-id", "euw1-az" + (i % ZONES.size() + 1))
        .machine(machine)
        .software(SOFTWARE)
        .addresses(ip, null);
  }
}
