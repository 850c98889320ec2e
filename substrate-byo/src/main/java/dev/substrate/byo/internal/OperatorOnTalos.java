package dev.substrate.byo.internal;

import static dev.substrate.spi.Resources.map;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ConfigException;
import dev.substrate.GpuConfig;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import dev.substrate.spi.checks.GpuChecks;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GPU Operator on Talos Linux, whose NVIDIA driver and container runtime come from Talos system extensions
 * ({@code nonfree-kmod-nvidia} or {@code nvidia-open-gpu-kernel-modules}, and {@code nvidia-container-toolkit}), as
 * Talos's guide "NVIDIA GPU (Proprietary drivers)" for v1.13 and v1.14 has it (siderolabs/docs
 * public/talos/v1.1[34]/configure-your-talos-cluster/hardware-and-drivers/nvidia-gpu-proprietary.mdx at 5debdd9): the
 * chart with {@code driver.enabled=false}, {@code toolkit.enabled=false} and
 * {@code hostPaths.driverInstallDir=/usr/local}, GPU Operator v26.3.1 or later.
 */
final class OperatorOnTalos {
  static final String RUNTIME_CLASS_CHECK = "gpu.operator.talos-runtime-class";
  static final String NODES_CHECK = "gpu.operator.talos-nodes";
  /**
   * The RuntimeClass and its handler: the operator creates RuntimeClass {@code operator.runtimeClass} with the same
   * name as handler (NVIDIA/gpu-operator assets/pre-requisites/0200_runtime_class.yaml, controllers/object_controls.go
   * transformRuntimeClass, at a22dbf6), and the nvidia-container-toolkit extension registers containerd runtime
   * {@code nvidia} (siderolabs/extensions nvidia-gpu/nvidia-container-toolkit/nvidia-container-runtime/
   * 10-nvidia-container-runtime.part at 26822f5).
   */
  static final String RUNTIME_CLASS = "nvidia";
  /** Where the extensions put the driver's binaries and libraries (Talos's guide). */
  static final String DRIVER_INSTALL_DIR = "/usr/local";
  /**
   * v26.3.0 fails on Talos parsing {@code VERSION_ID=v1.x} (NVIDIA/gpu-operator#2239, fixed by #2244 in v26.3.1), and
   * Talos's guide says "install GPU operator version v26.3.1 or higher".
   */
  static final int[] MIN_OPERATOR = {26, 3, 1};
  /** Talos runs the GPU Operator from v1.13 on (NVIDIA/gpu-operator#2731; the v1.12 guide runs the device plugin). */
  static final int[] OLDEST_TALOS = {1, 13};
  /** The newest Talos whose guide runs the operator with toolkit off; v1.15's has the operator install the toolkit. */
  static final int[] NEWEST_TALOS = {1, 14};
  /**
   * Talos lists its extensions on the Node as {@code extensions.talos.dev/<name>}: a label whose value is the version,
   * or an annotation when the version is no valid label value (siderolabs/talos pkg/machinery/constants
   * K8sExtensionPrefix, internal/app/machined/pkg/controllers/k8s/node_label_spec.go; "What's new" in v1.8).
   */
  static final String EXTENSION_PREFIX = "extensions.talos.dev/";
  /** Extension names, each with a tier suffix today ({@code -production}, {@code -lts}). */
  static final List<String> KERNEL_MODULE_EXTENSIONS = List.of("nonfree-kmod-nvidia", "nvidia-open-gpu-kernel-modules");
  static final String TOOLKIT_EXTENSION = "nvidia-container-toolkit";

  private static final Pattern TALOS_OS_IMAGE = Pattern.compile("Talos \\(v(\\d+)\\.(\\d+)\\.(\\d+)[^)]*\\)");
  private static final Pattern RELEASE = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");
  private static final String EXTENSIONS_REMEDY = "build the GPU nodes' image with the extensions "
      + "siderolabs/nonfree-kmod-nvidia-production (or nvidia-open-gpu-kernel-modules-production) and "
      + "siderolabs/nvidia-container-toolkit-production of the same driver version (an Image Factory schematic), "
      + "then talosctl upgrade --image <that installer> on each GPU node";
  private static final String LOAD_MODULES = "load the modules nvidia, nvidia_uvm, nvidia_drm and nvidia_modeset "
      + "(a KernelModuleConfig per module on Talos v1.14, machine.kernel.modules on v1.13)";
  private static final String MODULES_REMEDY = LOAD_MODULES + ", check talosctl read /proc/driver/nvidia/version, "
      + "then the GPU Operator's device-plugin pods";

  private OperatorOnTalos() {}

  /** Config the Talos stack cannot honour, each as one line naming its key. */
  static void requireSupported(GpuConfig gpu, boolean gke) {
    List<String> problems = new ArrayList<>();
    String why = " with gpu_stack talos, where a Talos system extension brings the NVIDIA driver and the GPU Operator "
        + "installs none";
    if (gke) {
      problems.add("gpu_stack was 'talos' but must not be used on substrate gke, whose nodes run GKE's images, not "
          + "Talos Linux");
    }
    if (gpu.driverPrecompiled()) {
      problems.add("gpu.operator.driver.precompiled was 'true' but must be false" + why);
    }
    gpu.driverVersion().ifPresent(v -> problems.add("gpu.operator.driver.version was '" + v + "' but must be unset"
        + why));
    Matcher m = RELEASE.matcher(gpu.operatorVersion());
    if (!m.matches()) {
      problems.add("gpu.operator.version was '" + gpu.operatorVersion() + "' but must be a GPU Operator release "
          + "like v26.7.0 (v26.3.1 or later with gpu_stack talos)");
    } else if (compare(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3))}, MIN_OPERATOR) < 0) {
      problems.add("gpu.operator.version was '" + gpu.operatorVersion() + "' but must be v26.3.1 or later with "
          + "gpu_stack talos: earlier GPU Operators fail on Talos's OS version (NVIDIA/gpu-operator#2239)");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** The chart values Talos's guide passes, plus the RuntimeClass pinned to the extension's containerd runtime. */
  static Map<String, Object> talosValues() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("driver", map("enabled", false));
    values.put("toolkit", map("enabled", false));
    values.put("hostPaths", map("driverInstallDir", DRIVER_INSTALL_DIR));
    values.put("operator", map("runtimeClass", RUNTIME_CLASS));
    return values;
  }

  static Capability driverManagement() {
    return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
        "on Talos Linux v1.13 and v1.14 the system extensions nonfree-kmod-nvidia (or nvidia-open-gpu-kernel-modules) "
            + "and nvidia-container-toolkit bring the NVIDIA driver and container runtime, bound to one Talos release, "
            + "so the GPU Operator (v26.3.1 or later) runs with driver and toolkit off",
        EXTENSIONS_REMEDY + ", and " + LOAD_MODULES + "; upgrade the extensions with every Talos upgrade");
  }

  static List<Check> checks() {
    return List.of(runtimeClass(), nodes());
  }

  /** {@value #RUNTIME_CLASS_CHECK}: RuntimeClass {@code nvidia} exists with handler {@code nvidia}. */
  static Check runtimeClass() {
    return Check.of(RUNTIME_CLASS_CHECK, Set.of(ResourceKind.RUNTIME_CLASSES), snapshot -> {
      String create = "wait for the GPU Operator to reconcile its ClusterPolicy, which creates it, or create it: "
          + "kubectl apply -f - <<< '{\"apiVersion\": \"node.k8s.io/v1\", \"kind\": \"RuntimeClass\", "
          + "\"metadata\": {\"name\": \"" + RUNTIME_CLASS + "\"}, \"handler\": \"" + RUNTIME_CLASS + "\"}'";
      if (snapshot.state(ResourceKind.RUNTIME_CLASSES) == ClusterSnapshot.ReadState.ABSENT) {
        return CheckResult.fail(RUNTIME_CLASS_CHECK, "the API server serves no "
            + ResourceKind.RUNTIME_CLASSES.qualifiedName() + ", so pods cannot choose the nvidia runtime",
            "run a Kubernetes version that serves node.k8s.io/v1 (1.20 or later)");
      }
      Optional<GenericKubernetesResource> found = snapshot.list(ResourceKind.RUNTIME_CLASSES).stream()
          .filter(rc -> RUNTIME_CLASS.equals(rc.getMetadata().getName())).findFirst();
      if (found.isEmpty()) {
        return CheckResult.fail(RUNTIME_CLASS_CHECK, "no RuntimeClass " + RUNTIME_CLASS + ", so the GPU Operator's "
            + "pods and GPU workloads cannot run under the containerd runtime nvidia of Talos's "
            + "nvidia-container-toolkit extension", create);
      }
      String handler = Resources.string(found.get(), "handler").orElse("");
      if (!RUNTIME_CLASS.equals(handler)) {
        return CheckResult.fail(RUNTIME_CLASS_CHECK, "RuntimeClass " + RUNTIME_CLASS + " has handler '" + handler
            + "' but Talos's nvidia-container-toolkit extension registers the containerd runtime " + RUNTIME_CLASS,
            "kubectl delete runtimeclass " + RUNTIME_CLASS + ", then " + create);
      }
      return CheckResult.pass(RUNTIME_CLASS_CHECK, "RuntimeClass " + RUNTIME_CLASS + " runs pods under handler "
          + RUNTIME_CLASS + ", the containerd runtime of Talos's nvidia-container-toolkit extension");
    });
  }

  /**
   * {@value #NODES_CHECK}: every GPU node runs Talos v1.13 or later, lists an NVIDIA kernel-module extension and the
   * nvidia-container-toolkit extension of the same driver version, and advertises allocatable GPUs.
   */
  static Check nodes() {
    return Check.of(NODES_CHECK, Set.of(ResourceKind.NODES), snapshot -> {
      List<String> failures = new ArrayList<>();
      List<String> warnings = new ArrayList<>();
      Set<String> remedies = new LinkedHashSet<>();
      Set<String> warnRemedies = new LinkedHashSet<>();
      Set<String> seen = new LinkedHashSet<>();
      int gpuNodes = 0;
      BigDecimal gpus = BigDecimal.ZERO;
      for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
        Map<String, String> extensions = extensions(node);
        Optional<Map.Entry<String, String>> kmod = extension(extensions, KERNEL_MODULE_EXTENSIONS);
        Optional<Map.Entry<String, String>> toolkit = extension(extensions, List.of(TOOLKIT_EXTENSION));
        if (!GpuChecks.looksLikeGpuNode(node) && kmod.isEmpty() && toolkit.isEmpty()) {
          continue;
        }
        gpuNodes++;
        String name = node.getMetadata().getName();
        String osImage = node.getStatus() == null || node.getStatus().getNodeInfo() == null ? ""
            : String.valueOf(node.getStatus().getNodeInfo().getOsImage());
        Matcher talos = TALOS_OS_IMAGE.matcher(osImage);
        if (!talos.matches()) {
          failures.add(name + " runs " + (osImage.isBlank() ? "an unknown OS" : "'" + osImage + "'") + ", not Talos");
          remedies.add("run GPU nodes on Talos Linux v1.13 or v1.14, or choose the GPU stack for their OS "
              + "(gpu_stack: operator installs the driver itself)");
          continue;
        }
        int[] version = {Integer.parseInt(talos.group(1)), Integer.parseInt(talos.group(2))};
        String release = "v" + talos.group(1) + "." + talos.group(2) + "." + talos.group(3);
        seen.add(release);
        if (compare(version, OLDEST_TALOS) < 0) {
          failures.add(name + " runs Talos " + release + ", older than v1.13, the first whose guide runs the GPU "
              + "Operator");
          remedies.add("upgrade GPU nodes to Talos v1.13 or v1.14 with extensions built for that release "
              + "(talosctl upgrade --image <installer with the NVIDIA extensions>)");
        } else if (compare(version, NEWEST_TALOS) > 0) {
          warnings.add(name + " runs Talos " + release + ", whose guide says the nvidia-container-toolkit extension "
              + "no longer includes the NVIDIA Container Toolkit and has the GPU Operator install it, while this stack "
              + "follows the v1.13/v1.14 guide with toolkit.enabled false");
          warnRemedies.add("run GPU nodes on Talos v1.13 or v1.14, or follow the NVIDIA guide of the Talos release "
              + "they run");
        }
        if (kmod.isEmpty()) {
          failures.add(name + " lists no NVIDIA kernel-module extension (" + EXTENSION_PREFIX
              + "nonfree-kmod-nvidia-* or nvidia-open-gpu-kernel-modules-*)");
          remedies.add(EXTENSIONS_REMEDY);
        }
        if (toolkit.isEmpty()) {
          failures.add(name + " lists no " + EXTENSION_PREFIX + TOOLKIT_EXTENSION + "-* extension");
          remedies.add(EXTENSIONS_REMEDY);
        }
        if (kmod.isPresent() && toolkit.isPresent()
            && !driver(kmod.get().getValue()).equals(driver(toolkit.get().getValue()))) {
          failures.add(name + " has " + kmod.get().getKey() + " of driver " + driver(kmod.get().getValue()) + " but "
              + toolkit.get().getKey() + " of driver " + driver(toolkit.get().getValue()));
          remedies.add("use extensions of one driver version: " + EXTENSIONS_REMEDY);
        }
        BigDecimal advertised = GpuChecks.advertisedGpus(node);
        if (advertised.signum() <= 0) {
          failures.add(name + " advertises no allocatable " + GpuChecks.GPU_RESOURCE);
          remedies.add(MODULES_REMEDY);
        }
        gpus = gpus.add(advertised);
      }
      if (gpuNodes == 0) {
        return CheckResult.warn(NODES_CHECK, "no GPU nodes: no node lists an NVIDIA Talos extension ("
            + EXTENSION_PREFIX + "...), is labelled nvidia.com/gpu.present=true or advertises "
            + GpuChecks.GPU_RESOURCE,
            "join Talos GPU nodes built with the NVIDIA extensions; " + EXTENSIONS_REMEDY);
      }
      if (!failures.isEmpty()) {
        return CheckResult.fail(NODES_CHECK, String.join("; ", failures), String.join("; ", remedies));
      }
      if (!warnings.isEmpty()) {
        return CheckResult.warn(NODES_CHECK, String.join("; ", warnings), String.join("; ", warnRemedies));
      }
      String total = gpus.stripTrailingZeros().toPlainString();
      return CheckResult.pass(NODES_CHECK, Resources.count(gpuNodes, "Talos GPU node", "Talos GPU nodes") + " ("
          + String.join(", ", seen) + ") " + (gpuNodes == 1 ? "lists" : "list") + " the NVIDIA kernel-module and "
          + "container-toolkit extensions of one driver version and " + (gpuNodes == 1 ? "advertises " : "advertise ")
          + total + " allocatable " + (total.equals("1") ? "GPU" : "GPUs"));
    });
  }

  /** The node's Talos extensions by name, from its labels and (for versions no label may hold) annotations. */
  static Map<String, String> extensions(Node node) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map<String, String> source : Arrays.asList(node.getMetadata().getAnnotations(),
        node.getMetadata().getLabels())) {
      if (source == null) {
        continue;
      }
      source.forEach((k, v) -> {
        if (k.startsWith(EXTENSION_PREFIX) && !k.equals(EXTENSION_PREFIX + "schematic")) {
          out.put(k.substring(EXTENSION_PREFIX.length()), v == null ? "" : v);
        }
      });
    }
    return out;
  }

  private static Optional<Map.Entry<String, String>> extension(Map<String, String> extensions, List<String> names) {
    return extensions.entrySet().stream()
        .filter(e -> names.stream().anyMatch(n -> e.getKey().equals(n) || e.getKey().startsWith(n + "-")))
        .findFirst();
  }

  /** The driver part of an extension version ({@code <driver>-<talos>} or {@code <driver>-<toolkit>}). */
  private static String driver(String version) {
    int dash = version.indexOf('-');
    return dash < 0 ? version : version.substring(0, dash);
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    return 0;
  }
}
