package dev.substrate.spi.checks;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Resources;
import dev.substrate.spi.Check;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Doctor checks of a GPU stack: GPU nodes advertise GPUs, the GPU Operator's ClusterPolicy is ready, DCGM exporter
 * runs.
 *
 * <pre>{@code
 * Check advertise = GpuChecks.nodesAdvertise("check the device plugin pods on those nodes");
 * }</pre>
 */
public final class GpuChecks {
  public static final String NODES_ADVERTISE = "gpu.nodes-advertise";
  public static final String CLUSTER_POLICY = "gpu.operator.cluster-policy";
  public static final String DCGM_EXPORTER = "gpu.dcgm-exporter";
  public static final String NONE = "gpu.none";

  /** The extended resource a whole or time-sliced NVIDIA GPU is advertised as. */
  public static final String GPU_RESOURCE = "nvidia.com/gpu";
  /** The extended resource of a shared GPU when the device plugin renames shared replicas. */
  public static final String SHARED_GPU_RESOURCE = "nvidia.com/gpu.shared";

  private static final String GPU_PRESENT_LABEL = "nvidia.com/gpu.present";
  private static final String NFD_NVIDIA_PCI_LABEL = "feature.node.kubernetes.io/pci-10de.present";
  private static final String MIG_RESOURCE_PREFIX = "nvidia.com/mig-";

  private GpuChecks() {}

  /**
   * {@value #NODES_ADVERTISE}: every node that looks like a GPU node (label {@code nvidia.com/gpu.present=true},
   * NFD's NVIDIA PCI label, or allocatable {@code nvidia.com/gpu}) advertises allocatable GPUs; no GPU node is a
   * warning.
   *
   * @param remedy what to do about GPU nodes that advertise nothing, for the GPU stack in use
   */
  public static Check nodesAdvertise(String remedy) {
    return Check.of(NODES_ADVERTISE, Set.of(ResourceKind.NODES), snapshot -> {
      List<String> silent = new ArrayList<>();
      int gpuNodes = 0;
      BigDecimal total = BigDecimal.ZERO;
      for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
        if (!looksLikeGpuNode(node)) {
          continue;
        }
        gpuNodes++;
        BigDecimal gpus = advertisedGpus(node);
        if (gpus.signum() > 0) {
          total = total.add(gpus);
        } else {
          silent.add(node.getMetadata().getName());
        }
      }
      if (gpuNodes == 0) {
        return CheckResult.warn(NODES_ADVERTISE, "no GPU nodes: no node is labelled " + GPU_PRESENT_LABEL + "=true or "
            + NFD_NVIDIA_PCI_LABEL + "=true, or advertises " + GPU_RESOURCE,
            "join GPU nodes to the cluster; GPU workloads stay Pending until then");
      }
      if (!silent.isEmpty()) {
        return CheckResult.fail(NODES_ADVERTISE, silent.size() + " of " + Resources.count(gpuNodes, "GPU node", "GPU nodes")
            + " advertise no allocatable " + GPU_RESOURCE + ": " + Resources.names(silent), remedy);
      }
      String gpus = total.stripTrailingZeros().toPlainString();
      return CheckResult.pass(NODES_ADVERTISE, Resources.count(gpuNodes, "GPU node advertises", "GPU nodes advertise")
          + " " + gpus + (gpus.equals("1") ? " allocatable GPU" : " allocatable GPUs") + " in total");
    });
  }

  /**
   * {@value #NONE}: with no GPU stack configured, warns when nodes advertise {@code nvidia.com/gpu} anyway, since
   * Substrate then checks nothing about them.
   */
  public static Check noGpuStack() {
    return Check.of(NONE, Set.of(ResourceKind.NODES), snapshot -> {
      List<String> advertising = new ArrayList<>();
      for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
        if (advertisedGpus(node).signum() > 0) {
          advertising.add(node.getMetadata().getName());
        }
      }
      if (advertising.isEmpty()) {
        return CheckResult.pass(NONE, "no GPU stack is configured and no node advertises " + GPU_RESOURCE);
      }
      return CheckResult.warn(NONE, Resources.count(advertising.size(), "node advertises", "nodes advertise") + " "
          + GPU_RESOURCE + " but gpu_stack is none: " + Resources.names(advertising),
          "set gpu_stack: operator or gpu_stack: external so that doctor checks the GPU stack");
    });
  }

  /**
   * {@value #CLUSTER_POLICY}: the GPU Operator is installed (its ClusterPolicy CRD exists) and a ClusterPolicy
   * reports {@code status.state: ready}.
   */
  public static Check clusterPolicy() {
    return Check.of(CLUSTER_POLICY, Set.of(ResourceKind.CLUSTER_POLICIES), snapshot -> {
      if (snapshot.state(ResourceKind.CLUSTER_POLICIES) == ClusterSnapshot.ReadState.ABSENT) {
        return CheckResult.fail(CLUSTER_POLICY, "GPU Operator not installed: the CRD "
            + ResourceKind.CLUSTER_POLICIES.qualifiedName() + " is absent",
            "apply the rendered Argo CD Application gpu-operator (or Flux HelmRelease, render --gitops flux; or helm "
                + "install the gpu-operator chart from https://helm.ngc.nvidia.com/nvidia, render --gitops helm-values) "
                + "and wait for it to sync");
      }
      List<GenericKubernetesResource> policies = snapshot.list(ResourceKind.CLUSTER_POLICIES);
      if (policies.isEmpty()) {
        return CheckResult.fail(CLUSTER_POLICY, "the GPU Operator's CRD exists but there is no ClusterPolicy",
            "install the gpu-operator chart with clusterPolicy.deployCR: true (its default) so it creates "
                + "cluster-policy");
      }
      List<String> notReady = new ArrayList<>();
      for (GenericKubernetesResource policy : policies) {
        String state = Resources.string(policy, "status", "state").orElse("");
        String name = policy.getMetadata().getName();
        if (state.equals("ready")) {
          return CheckResult.pass(CLUSTER_POLICY, "ClusterPolicy " + name + " is ready");
        }
        String detail = state.isEmpty() ? "has no state yet" : "is " + state;
        Optional<String> message = Resources.condition(policy, "Error")
            .filter(c -> "True".equals(c.get("status")))
            .or(() -> Resources.condition(policy, "Ready"))
            .map(c -> String.valueOf(Optional.ofNullable(c.get("message")).orElse(c.get("reason"))))
            .filter(m -> !m.equals("null") && !m.isBlank());
        notReady.add("ClusterPolicy " + name + " " + detail + message.map(m -> " (" + m + ")").orElse(""));
      }
      return CheckResult.fail(CLUSTER_POLICY, String.join("; ", notReady),
          "look at the operator's pods (kubectl -n gpu-operator get pods) and the ClusterPolicy's conditions "
              + "(kubectl describe clusterpolicy) for the operand that is not ready");
    });
  }

  /**
   * {@value #DCGM_EXPORTER}: a DaemonSet of the NVIDIA DCGM exporter (named like {@code nvidia-dcgm-exporter} or
   * labelled {@code app=nvidia-dcgm-exporter}) runs in some namespace, so GPU metrics reach Prometheus.
   *
   * @param whenMissing {@link CheckStatus#FAIL} where the stack is meant to deploy it, else {@link CheckStatus#WARN}
   */
  public static Check dcgmExporter(CheckStatus whenMissing) {
    return Check.of(DCGM_EXPORTER, Set.of(ResourceKind.DAEMON_SETS), snapshot -> {
      for (GenericKubernetesResource ds : snapshot.list(ResourceKind.DAEMON_SETS)) {
        if (!isDcgmExporter(ds)) {
          continue;
        }
        long desired = number(ds, "desiredNumberScheduled");
        long ready = number(ds, "numberReady");
        if (ready < desired) {
          return CheckResult.warn(DCGM_EXPORTER, "DaemonSet " + Resources.ref(ds) + " has " + ready + " of " + desired
              + " pods ready", "kubectl -n " + ds.getMetadata().getNamespace() + " describe daemonset "
              + ds.getMetadata().getName() + " to see why its pods are not ready");
        }
        return CheckResult.pass(DCGM_EXPORTER, "DaemonSet " + Resources.ref(ds) + " exports GPU metrics ("
            + ready + " of " + desired + " pods ready)");
      }
      String finding = "no DCGM exporter DaemonSet (nvidia-dcgm-exporter) runs, so there are no GPU metrics";
      String remedy = "enable dcgmExporter in the GPU Operator (the rendered Application enables it), or install "
          + "NVIDIA's dcgm-exporter chart";
      return CheckResult.builder().id(DCGM_EXPORTER).status(whenMissing).finding(finding).remedy(remedy).build();
    });
  }

  /**
   * Whether {@code node} looks like a GPU node to {@link #nodesAdvertise(String)}: labelled
   * {@code nvidia.com/gpu.present=true} or with NFD's NVIDIA PCI label, or listing {@code nvidia.com/gpu} in its
   * allocatable resources (even at 0). Substrates whose GPU nodes carry their own label add that test to this one.
   */
  public static boolean looksLikeGpuNode(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    if (labels != null && ("true".equals(labels.get(GPU_PRESENT_LABEL)) || "true".equals(labels.get(NFD_NVIDIA_PCI_LABEL)))) {
      return true;
    }
    return node.getStatus() != null && node.getStatus().getAllocatable() != null
        && node.getStatus().getAllocatable().containsKey(GPU_RESOURCE);
  }

  /**
   * The GPUs {@code node} advertises as allocatable: {@code nvidia.com/gpu}, its shared rename, and MIG devices of
   * the mixed strategy; zero when it advertises none or the quantities do not parse.
   */
  public static BigDecimal advertisedGpus(Node node) {
    BigDecimal sum = BigDecimal.ZERO;
    if (node.getStatus() == null || node.getStatus().getAllocatable() == null) {
      return sum;
    }
    for (Map.Entry<String, Quantity> e : node.getStatus().getAllocatable().entrySet()) {
      String resource = e.getKey();
      if (resource.equals(GPU_RESOURCE) || resource.equals(SHARED_GPU_RESOURCE)
          || resource.startsWith(MIG_RESOURCE_PREFIX)) {
        try {
          sum = sum.add(e.getValue().getNumericalAmount());
        } catch (ArithmeticException | IllegalArgumentException malformed) {
          // a quantity that does not parse advertises nothing usable
        }
      }
    }
    return sum;
  }

  private static boolean isDcgmExporter(GenericKubernetesResource ds) {
    String name = ds.getMetadata().getName();
    return (name != null && name.contains("dcgm-exporter"))
        || Resources.label(ds, "app").filter("nvidia-dcgm-exporter"::equals).isPresent()
        || Resources.label(ds, "app.kubernetes.io/name").filter("dcgm-exporter"::equals).isPresent();
  }

  private static long number(GenericKubernetesResource ds, String statusField) {
    return Resources.at(ds, "status", statusField).filter(v -> v instanceof Number).map(v -> ((Number) v).longValue())
        .orElse(0L);
  }
}
