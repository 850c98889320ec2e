package dev.substrate.aws.internal;

import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import dev.substrate.spi.checks.GpuChecks;
import dev.substrate.spi.gpu.GpuModel;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Doctor checks of the GPU nodes of an EKS cluster and the device plugin on them. */
final class EksGpuChecks {
  static final String DEVICE_PLUGIN = "gpu.eks.device-plugin";
  static final String ACCELERATOR_LABELS = "gpu.eks.accelerator-labels";
  static final String DEVICE_PLUGIN_NAME = "nvidia-device-plugin";

  private EksGpuChecks() {}

  /** A GPU node by its labels or allocatable resources, its EC2 instance type, or Karpenter's GPU labels. */
  static boolean isGpuNode(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return GpuChecks.looksLikeGpuNode(node) || (labels != null && (labels.containsKey(Eks.KARPENTER_GPU_NAME_LABEL)
        || AwsGpus.byInstanceType(labels.get(Eks.INSTANCE_TYPE_LABEL)).isPresent()));
  }

  static List<Node> gpuNodes(ClusterSnapshot snapshot) {
    return snapshot.list(ResourceKind.NODES, Node.class).stream().filter(EksGpuChecks::isGpuNode).toList();
  }

  /**
   * {@value GpuChecks#NODES_ADVERTISE} on EKS: every GPU node advertises allocatable {@code nvidia.com/gpu}. No GPU
   * node only warns: GPU node groups and Karpenter NodePools scale to zero when idle.
   */
  static Check nodesAdvertise(AwsSettings settings, SubstrateConfig config) {
    return Check.of(GpuChecks.NODES_ADVERTISE, Set.of(ResourceKind.NODES), snapshot -> {
      List<Node> gpuNodes = gpuNodes(snapshot);
      if (gpuNodes.isEmpty()) {
        return CheckResult.warn(GpuChecks.NODES_ADVERTISE, "no GPU nodes: no node has a GPU instance type or GPU "
            + "labels; " + (settings.karpenter() ? "Karpenter NodePools" : "GPU node groups") + " may be scaled to zero",
            "nothing to do if GPU nodes scale up on demand when a pod requests " + GpuChecks.GPU_RESOURCE
                + "; otherwise " + scaleUp(settings, config));
      }
      List<String> silent = new ArrayList<>();
      BigDecimal total = BigDecimal.ZERO;
      for (Node node : gpuNodes) {
        BigDecimal gpus = GpuChecks.advertisedGpus(node);
        if (gpus.signum() > 0) {
          total = total.add(gpus);
        } else {
          silent.add(node.getMetadata().getName() + " (" + label(node, Eks.INSTANCE_TYPE_LABEL).orElse("no instance type")
              + ")");
        }
      }
      if (!silent.isEmpty()) {
        return CheckResult.fail(GpuChecks.NODES_ADVERTISE, silent.size() + " of " + Resources.count(gpuNodes.size(),
            "GPU node", "GPU nodes") + " advertise no allocatable " + GpuChecks.GPU_RESOURCE + ": "
            + Resources.names(silent), settings.bottlerocket()
            ? "run the GPU nodes on the Bottlerocket NVIDIA AMI (amiType BOTTLEROCKET_x86_64_NVIDIA), whose device "
                + "plugin advertises the GPUs; check it is not disabled (settings.kubelet-device-plugins.nvidia.enabled)"
            : "run the GPU nodes on the EKS-optimised AL2023 NVIDIA AMI (amiType AL2023_x86_64_NVIDIA), which has the "
                + "driver, and apply the rendered device plugin (kubectl -n " + EksAcceleratedGpuStack.NAMESPACE
                + " get pods -o wide shows whether it runs there)");
      }
      String n = total.stripTrailingZeros().toPlainString();
      return CheckResult.pass(GpuChecks.NODES_ADVERTISE, Resources.count(gpuNodes.size(), "GPU node advertises",
          "GPU nodes advertise") + " " + n + (n.equals("1") ? " allocatable GPU" : " allocatable GPUs") + " in total");
    });
  }

  private static String scaleUp(AwsSettings settings, SubstrateConfig config) {
    return settings.karpenter()
        ? "create a Karpenter NodePool whose requirements allow GPU instance families (e.g. "
            + "karpenter.k8s.aws/instance-family In [p5, g6e])"
        : "create a GPU managed node group with a minimum of 0: eksctl create nodegroup " + Eks.clusterArgs(config)
            + " --name gpu --node-type p5.48xlarge --nodes-min 0 --nodes-max N";
  }

  /**
   * {@value #DEVICE_PLUGIN}: NVIDIA's device plugin runs, a DaemonSet named or labelled {@code nvidia-device-plugin}
   * in any namespace (the rendered chart's, eksctl's in kube-system, or the GPU Operator's).
   */
  static Check devicePlugin() {
    return Check.of(DEVICE_PLUGIN, Set.of(ResourceKind.DAEMON_SETS, ResourceKind.NODES), snapshot -> {
      List<GenericKubernetesResource> plugins = snapshot.list(ResourceKind.DAEMON_SETS).stream()
          .filter(EksGpuChecks::isDevicePlugin).toList();
      if (plugins.isEmpty()) {
        int gpus = gpuNodes(snapshot).size();
        return CheckResult.fail(DEVICE_PLUGIN, "NVIDIA's device plugin is not installed: no DaemonSet named "
            + DEVICE_PLUGIN_NAME + " in any namespace, so " + (gpus == 0 ? "no GPU node will advertise"
                : Resources.count(gpus, "GPU node advertises", "GPU nodes advertise") + " no")
            + " " + GpuChecks.GPU_RESOURCE + " (the AL2023 NVIDIA AMI has the driver but no device plugin)",
            "apply the rendered Argo CD Application " + EksAcceleratedGpuStack.APPLICATION + " (substrate render, or "
                + "substrate apply), or helm install nvdp nvdp/nvidia-device-plugin --namespace "
                + EksAcceleratedGpuStack.NAMESPACE + " --create-namespace --set gfd.enabled=true");
      }
      long desired = 0;
      long ready = 0;
      List<String> names = new ArrayList<>();
      for (GenericKubernetesResource ds : plugins) {
        desired += number(ds, "desiredNumberScheduled");
        ready += number(ds, "numberReady");
        names.add(Resources.ref(ds));
      }
      String found = (names.size() == 1 ? "DaemonSet " : "DaemonSets ") + Resources.names(names);
      if (ready < desired) {
        GenericKubernetesResource first = plugins.get(0);
        return CheckResult.warn(DEVICE_PLUGIN, found + " exist but only " + ready + " of " + desired + " pods ready",
            "kubectl -n " + first.getMetadata().getNamespace() + " describe daemonset " + first.getMetadata().getName()
                + " to see why its pods are not ready");
      }
      return CheckResult.pass(DEVICE_PLUGIN, "NVIDIA's device plugin runs: " + found + " (" + ready + " of " + desired
          + " pods ready)");
    });
  }

  /**
   * {@value #ACCELERATOR_LABELS}: every GPU node says which GPU it carries, through GFD's {@code nvidia.com/gpu.product}
   * or Karpenter's {@code karpenter.k8s.aws/instance-gpu-name}, so workloads can select a GPU model; a GPU the catalog
   * does not know is named.
   */
  static Check acceleratorLabels(AwsSettings settings) {
    return Check.of(ACCELERATOR_LABELS, Set.of(ResourceKind.NODES), snapshot -> {
      List<Node> gpuNodes = gpuNodes(snapshot);
      if (gpuNodes.isEmpty()) {
        return CheckResult.skip(ACCELERATOR_LABELS, "no GPU nodes to check");
      }
      List<String> unlabelled = new ArrayList<>();
      List<String> unknown = new ArrayList<>();
      List<String> found = new ArrayList<>();
      for (Node node : gpuNodes) {
        String name = node.getMetadata().getName();
        Optional<String> product = label(node, Eks.GPU_PRODUCT_LABEL).or(() -> label(node, Eks.KARPENTER_GPU_NAME_LABEL));
        if (product.isEmpty()) {
          unlabelled.add(name);
          continue;
        }
        Optional<GpuModel> gpu = AwsGpus.of(node);
        if (gpu.isEmpty()) {
          unknown.add(name + " (" + product.get() + ")");
        } else {
          found.add(label(node, Eks.INSTANCE_TYPE_LABEL).map(t -> t + " ").orElse("") + gpu.get().name());
        }
      }
      if (!unlabelled.isEmpty()) {
        return CheckResult.warn(ACCELERATOR_LABELS, Resources.count(unlabelled.size(), "GPU node carries",
            "GPU nodes carry") + " no " + Eks.GPU_PRODUCT_LABEL + " or " + Eks.KARPENTER_GPU_NAME_LABEL + " label: "
            + Resources.names(unlabelled) + "; workloads cannot select the GPU model",
            settings.bottlerocket() ? "run NVIDIA's GPU feature discovery (helm chart nvdp/gpu-feature-discovery) beside "
                + "Bottlerocket's device plugin" : "apply the rendered device plugin, whose GPU feature discovery "
                + "labels the nodes (gfd.enabled: true)");
      }
      if (!unknown.isEmpty()) {
        return CheckResult.warn(ACCELERATOR_LABELS, "the GPU of " + Resources.names(unknown) + " is not in Substrate's "
            + "GPU catalog, so MIG and VRAM checks cannot judge it", "nothing to do unless gpu.tenancy needs them; "
            + "known instance families: " + AwsGpus.describe(new ArrayList<>(AwsGpus.CATALOG.offerings().keySet())));
      }
      return CheckResult.pass(ACCELERATOR_LABELS, Resources.count(gpuNodes.size(), "GPU node says", "GPU nodes say")
          + " which GPU it carries: " + Resources.names(found));
    });
  }

  private static boolean isDevicePlugin(GenericKubernetesResource ds) {
    String name = ds.getMetadata().getName();
    return (name != null && name.contains(DEVICE_PLUGIN_NAME))
        || Resources.label(ds, "app.kubernetes.io/name").filter(DEVICE_PLUGIN_NAME::equals).isPresent();
  }

  private static long number(GenericKubernetesResource ds, String field) {
    return Resources.at(ds, "status", field).filter(v -> v instanceof Number).map(v -> ((Number) v).longValue())
        .orElse(0L);
  }

  static Optional<String> label(Node node, String key) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return Optional.ofNullable(labels == null ? null : labels.get(key));
  }
}
