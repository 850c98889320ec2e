package dev.substrate.aws.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.GpuConfig.TenancyMode;
import dev.substrate.ResourceKind;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import dev.substrate.spi.gpu.GpuModel;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What is true of EKS's GPU nodes whichever GPU stack runs on them: node groups and Karpenter scale them to zero, and
 * their GPUs partition with MIG or not by instance family. They refine the GPU stack's capabilities with the same ids.
 */
final class AwsCapabilities {
  static final String NONE = "none";
  static final String OPERATOR = "operator";
  static final String MIG_CAPABLE = "gpu.aws.mig-capable";

  private AwsCapabilities() {}

  /** {@code gpu.scale-to-zero} and {@code gpu.mig}, unless there is no GPU stack. */
  static List<Capability> of(SubstrateConfig config, AwsSettings settings) {
    String stack = config.gpuStack().orElse(EksAcceleratedGpuStackProvider.ID);
    if (NONE.equals(stack)) {
      return List.of();
    }
    return List.of(scaleToZero(settings), mig(stack, settings));
  }

  /**
   * Managed node groups scale to zero through the Cluster Autoscaler (minSize 0,
   * https://docs.aws.amazon.com/eks/latest/best-practices/cas.html); Karpenter launches nodes for pending pods and
   * removes empty ones (https://karpenter.sh/docs/concepts/disruption/).
   */
  static Capability scaleToZero(AwsSettings settings) {
    if (settings.karpenter()) {
      return Capability.of(CapabilityIds.GPU_SCALE_TO_ZERO, CapabilityState.SUPPORTED,
          "Karpenter launches a GPU instance when a pod requests nvidia.com/gpu and removes it once empty "
              + "(consolidation), so an idle GPU NodePool holds zero nodes", null);
    }
    return Capability.of(CapabilityIds.GPU_SCALE_TO_ZERO, CapabilityState.SUPPORTED,
        "EKS managed node groups scale from and to zero nodes with the Cluster Autoscaler (a GPU node group with "
            + "minSize 0); aws.gpu_nodes: karpenter says Karpenter does it instead", null);
  }

  /** {@code gpu.mig} by instance family, from the shared GPU catalog. */
  static Capability mig(String stack, AwsSettings settings) {
    String how;
    if (OPERATOR.equals(stack)) {
      how = "label each MIG-capable node nvidia.com/mig.config=all-1g.10gb (a layout of its GPU); the GPU Operator's "
          + "MIG manager applies it";
    } else if (settings.bottlerocket()) {
      how = "set in the GPU nodes' user data [settings.kubelet-device-plugins.nvidia] device-partitioning-strategy = "
          + "\"mig\" with a [settings.kubelet-device-plugins.nvidia.mig.profile] entry per GPU, e.g. \"h100.80gb\" = "
          + "\"7\"";
    } else {
      how = "the AL2023 AMI has no MIG manager: set gpu_stack: operator, whose MIG manager applies "
          + "nvidia.com/mig.config per node, or run nvidia-mig-parted from the node group's user data";
    }
    return Capability.of(CapabilityIds.GPU_MIG, CapabilityState.NEEDS_ACTION,
        "MIG depends on the instance type: " + AwsGpus.describe(AwsGpus.families(true)) + " partition; "
            + AwsGpus.describe(AwsGpus.families(false)) + " do not",
        "run MIG workloads on p4d, p4de, p5, p5e or p5en and set gpu.tenancy.mode: mig; " + how);
  }

  /** {@value #MIG_CAPABLE}: with {@code gpu.tenancy.mode: mig}, every GPU node's GPU supports MIG. */
  static Check migCapable(SubstrateConfig config) {
    if (config.gpu().tenancyMode() != TenancyMode.MIG) {
      return Check.of(MIG_CAPABLE, Set.of(), s -> CheckResult.skip(MIG_CAPABLE, "gpu.tenancy.mode is "
          + config.gpu().tenancyMode().id() + ", not mig"));
    }
    return Check.of(MIG_CAPABLE, Set.of(ResourceKind.NODES), snapshot -> {
      List<String> not = new ArrayList<>();
      List<String> unknown = new ArrayList<>();
      int gpuNodes = 0;
      for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
        if (!EksGpuChecks.isGpuNode(node)) {
          continue;
        }
        gpuNodes++;
        Optional<GpuModel> gpu = AwsGpus.of(node);
        String name = node.getMetadata().getName() + " (" + EksGpuChecks.label(node, Eks.INSTANCE_TYPE_LABEL)
            .orElse("no instance type") + gpu.map(g -> ", " + g.name()).orElse("") + ")";
        if (gpu.isEmpty()) {
          unknown.add(name);
        } else if (!gpu.get().mig()) {
          not.add(name);
        }
      }
      if (gpuNodes == 0) {
        return CheckResult.skip(MIG_CAPABLE, "no GPU nodes to check");
      }
      if (!not.isEmpty()) {
        return CheckResult.fail(MIG_CAPABLE, "gpu.tenancy.mode is mig but the GPU of " + Resources.names(not)
            + " has no MIG", "run MIG workloads on " + AwsGpus.describe(AwsGpus.families(true))
            + ", or share these GPUs with gpu.tenancy.mode: time-slicing or mps");
      }
      if (!unknown.isEmpty()) {
        return CheckResult.warn(MIG_CAPABLE, "cannot tell whether the GPU of " + Resources.names(unknown)
            + " supports MIG: neither its nvidia.com/gpu.product label nor its instance type is in the GPU catalog",
            "run GPU feature discovery so that the nodes carry nvidia.com/gpu.product");
      }
      return CheckResult.pass(MIG_CAPABLE, "every GPU node's GPU supports MIG ("
          + Resources.count(gpuNodes, "node", "nodes") + ")");
    });
  }
}
