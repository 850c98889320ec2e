package dev.substrate.gke.internal;

import dev.substrate.CheckResult;
import dev.substrate.ResourceKind;
import dev.substrate.SubstrateConfig;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import dev.substrate.spi.checks.GpuChecks;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Doctor checks of GKE's managed GPU stack: GPU nodes advertise GPUs, GKE's device plugin and DCGM exporter run. */
final class GkeGpuChecks {
  static final String DEVICE_PLUGIN = "gpu.gke.device-plugin";
  static final String DCGM = "gpu.gke.dcgm";

  static final String DEVICE_PLUGIN_NAMESPACE = "kube-system";
  static final String DEVICE_PLUGIN_PREFIX = "nvidia-gpu-device-plugin";
  static final String DEVICE_PLUGIN_APP_LABEL = "k8s-app";
  /** Where GKE runs its managed DCGM exporter, and where the older Managed Prometheus recipe put one. */
  static final List<String> DCGM_NAMESPACES = List.of("gke-managed-system", "gmp-public");

  private static final String CREATE_GPU_POOL = "gcloud container node-pools create gpu-pool --cluster CLUSTER "
      + "--accelerator type=nvidia-l4,count=1,gpu-driver-version=default --enable-autoscaling --min-nodes 0 "
      + "--max-nodes N";

  private GkeGpuChecks() {}

  /**
   * {@value GpuChecks#NODES_ADVERTISE} on GKE: every node labelled {@value Gke#ACCELERATOR_LABEL} (or otherwise
   * looking like a GPU node) advertises allocatable GPUs. No GPU node only warns: the autoscaler may have scaled the
   * GPU pools to zero.
   */
  static Check nodesAdvertise() {
    return Check.of(GpuChecks.NODES_ADVERTISE, Set.of(ResourceKind.NODES), snapshot -> {
      int gpuNodes = 0;
      BigDecimal total = BigDecimal.ZERO;
      List<String> silent = new ArrayList<>();
      boolean disabledDriver = false;
      boolean disabledPlugin = false;
      for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
        if (!isGpuNode(node)) {
          continue;
        }
        gpuNodes++;
        BigDecimal gpus = GpuChecks.advertisedGpus(node);
        if (gpus.signum() > 0) {
          total = total.add(gpus);
          continue;
        }
        String driver = label(node, Gke.DRIVER_VERSION_LABEL);
        boolean noPlugin = "true".equals(label(node, Gke.NO_DEFAULT_DEVICE_PLUGIN_LABEL));
        disabledDriver |= driver == null || driver.equals("disabled");
        disabledPlugin |= noPlugin;
        silent.add(node.getMetadata().getName() + " (" + orElse(label(node, Gke.ACCELERATOR_LABEL), "no accelerator label")
            + ", gpu-driver-version " + orElse(driver, "not set") + (noPlugin ? ", GKE device plugin disabled" : "")
            + ")");
      }
      if (gpuNodes == 0) {
        return CheckResult.warn(GpuChecks.NODES_ADVERTISE, "no GPU nodes: no node is labelled " + Gke.ACCELERATOR_LABEL
            + "; GPU node pools may be scaled to zero by the cluster autoscaler",
            "nothing to do if a GPU node pool autoscales from zero: it scales up when a pod requests "
                + GpuChecks.GPU_RESOURCE + "; otherwise create one: " + CREATE_GPU_POOL);
      }
      if (!silent.isEmpty()) {
        List<String> remedies = new ArrayList<>();
        remedies.add("a new GPU node advertises " + GpuChecks.GPU_RESOURCE + " once GKE has installed its driver, a few "
            + "minutes after it joins");
        if (disabledDriver) {
          remedies.add("where gpu-driver-version is disabled or not set GKE installs no driver: recreate the node pool "
              + "with --accelerator type=TYPE,count=N,gpu-driver-version=default, or apply GKE's driver installer "
              + "DaemonSet (container-engine-accelerators nvidia-driver-installer/cos/daemonset-preloaded.yaml)");
        }
        if (disabledPlugin) {
          remedies.add("nodes labelled " + Gke.NO_DEFAULT_DEVICE_PLUGIN_LABEL + "=true run no GKE device plugin: "
              + "remove the label, or set gpu_stack: operator for those nodes");
        }
        return CheckResult.fail(GpuChecks.NODES_ADVERTISE, silent.size() + " of "
            + Resources.count(gpuNodes, "GPU node", "GPU nodes") + " advertise no allocatable " + GpuChecks.GPU_RESOURCE
            + ": " + Resources.names(silent), String.join("; ", remedies));
      }
      String gpus = total.stripTrailingZeros().toPlainString();
      return CheckResult.pass(GpuChecks.NODES_ADVERTISE, Resources.count(gpuNodes, "GPU node advertises",
          "GPU nodes advertise") + " " + gpus + (gpus.equals("1") ? " allocatable GPU" : " allocatable GPUs")
          + " in total");
    });
  }

  /**
   * {@value #DEVICE_PLUGIN}: GKE's NVIDIA device plugin runs: a DaemonSet in {@code kube-system} named
   * {@code nvidia-gpu-device-plugin*} or labelled {@code k8s-app=nvidia-gpu-device-plugin}.
   */
  static Check devicePlugin() {
    return Check.of(DEVICE_PLUGIN, Set.of(ResourceKind.DAEMON_SETS, ResourceKind.NODES), snapshot -> {
      List<GenericKubernetesResource> plugins = new ArrayList<>();
      for (GenericKubernetesResource ds : snapshot.list(ResourceKind.DAEMON_SETS)) {
        if (isDevicePlugin(ds)) {
          plugins.add(ds);
        }
      }
      if (plugins.isEmpty()) {
        boolean gpuNodes = snapshot.list(ResourceKind.NODES, Node.class).stream().anyMatch(GkeGpuChecks::isGpuNode);
        return CheckResult.fail(DEVICE_PLUGIN, "GKE's NVIDIA device plugin is missing: no DaemonSet "
            + DEVICE_PLUGIN_PREFIX + "* (or labelled " + DEVICE_PLUGIN_APP_LABEL + "=" + DEVICE_PLUGIN_PREFIX + ") in "
            + DEVICE_PLUGIN_NAMESPACE + (gpuNodes ? "" : ", and no node is labelled " + Gke.ACCELERATOR_LABEL)
            + ", so no GPU becomes schedulable",
            "GKE deploys its device plugin with the cluster's GPU node pools: create one (" + CREATE_GPU_POOL
                + "); on a cluster that is not GKE, set substrate.id or gpu_stack: operator");
      }
      return rollout(DEVICE_PLUGIN, plugins, "GKE's NVIDIA device plugin runs");
    });
  }

  /**
   * {@value #DCGM}: GKE's managed DCGM exporter runs (a DaemonSet named like {@code dcgm-exporter} in
   * {@code gke-managed-system}, or {@code gmp-public}); missing only warns, since GPUs work without metrics.
   */
  static Check dcgm(SubstrateConfig config) {
    return Check.of(DCGM, Set.of(ResourceKind.DAEMON_SETS), snapshot -> {
      List<GenericKubernetesResource> exporters = new ArrayList<>();
      for (GenericKubernetesResource ds : snapshot.list(ResourceKind.DAEMON_SETS)) {
        String name = ds.getMetadata().getName();
        if (DCGM_NAMESPACES.contains(ds.getMetadata().getNamespace()) && name != null && name.contains("dcgm-exporter")) {
          exporters.add(ds);
        }
      }
      if (exporters.isEmpty()) {
        return CheckResult.warn(DCGM, "GKE's managed DCGM exporter is not running (no dcgm-exporter DaemonSet in "
            + String.join(" or ", DCGM_NAMESPACES) + "), so there are no GPU metrics; Substrate deliberately renders "
            + "no exporter of its own beside GKE's",
            "enable GKE's managed DCGM metrics: gcloud container clusters update " + Gke.clusterArgs(config)
                + " --monitoring=SYSTEM,DCGM (needs Managed Service for Prometheus and GPU nodes with "
                + "gpu-driver-version default or latest)");
      }
      return rollout(DCGM, exporters, "GKE's managed DCGM exporter runs");
    });
  }

  static boolean isGpuNode(Node node) {
    return label(node, Gke.ACCELERATOR_LABEL) != null || GpuChecks.looksLikeGpuNode(node);
  }

  private static boolean isDevicePlugin(GenericKubernetesResource ds) {
    String name = ds.getMetadata().getName();
    return DEVICE_PLUGIN_NAMESPACE.equals(ds.getMetadata().getNamespace())
        && ((name != null && name.startsWith(DEVICE_PLUGIN_PREFIX))
            || Resources.label(ds, DEVICE_PLUGIN_APP_LABEL).filter(DEVICE_PLUGIN_PREFIX::equals).isPresent());
  }

  /** Passes when every pod of {@code daemonSets} is ready, else warns naming those that are not. */
  private static CheckResult rollout(String id, List<GenericKubernetesResource> daemonSets, String what) {
    long desired = 0;
    long ready = 0;
    List<String> names = new ArrayList<>();
    List<GenericKubernetesResource> lagging = new ArrayList<>();
    for (GenericKubernetesResource ds : daemonSets) {
      long d = number(ds, "desiredNumberScheduled");
      long r = number(ds, "numberReady");
      desired += d;
      ready += r;
      names.add(Resources.ref(ds));
      if (r < d) {
        lagging.add(ds);
      }
    }
    String pods = ready + " of " + desired + " pods ready";
    String found = (names.size() == 1 ? "DaemonSet " : "DaemonSets ") + Resources.names(names);
    if (!lagging.isEmpty()) {
      return CheckResult.warn(id, found + " exist but only " + pods,
          "kubectl -n " + lagging.get(0).getMetadata().getNamespace() + " describe daemonset "
              + lagging.get(0).getMetadata().getName() + " to see why its pods are not ready");
    }
    return CheckResult.pass(id, what + ": " + found + " (" + pods + ")");
  }

  private static long number(GenericKubernetesResource ds, String statusField) {
    return Resources.at(ds, "status", statusField).filter(v -> v instanceof Number)
        .map(v -> ((Number) v).longValue()).orElse(0L);
  }

  private static String label(Node node, String key) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  private static String orElse(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
