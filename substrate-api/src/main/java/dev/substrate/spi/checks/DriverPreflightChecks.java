package dev.substrate.spi.checks;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.GpuConfig;
import dev.substrate.GpuConfig.TenancyMode;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import dev.substrate.spi.gpu.DriverImages;
import dev.substrate.spi.gpu.DriverImages.Prediction;
import dev.substrate.spi.gpu.DriverPreflight;
import dev.substrate.spi.gpu.Finding;
import dev.substrate.spi.gpu.Finding.Status;
import dev.substrate.spi.gpu.GpuCatalog;
import dev.substrate.spi.gpu.GpuModel;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Driver preflight from the cluster: before the GPU Operator installs its driver, whether the driver can start on each
 * GPU node, predicted from the node's {@code status.nodeInfo} (kernel, OS image, architecture), its labels and the
 * rendered driver settings ({@code gpu.operator.driver.*}). One doctor check per {@link DriverPreflight} finding id,
 * {@code gpu.driver.<id>}; each names the nodes a finding holds for, worst first.
 *
 * <pre>{@code
 * List<Check> checks = DriverPreflightChecks.checks(config.gpu(), GpuCatalog.shipped());
 * List<Finding> one = DriverPreflightChecks.predict(node, config.gpu(), GpuCatalog.shipped(), false);
 * }</pre>
 *
 * <p>What the cluster cannot see (Secure Boot, loaded modules, installed headers) is said as what to check on the node
 * ({@code substrate node preflight} reads it there). Sources: {@link DriverImages} (images), {@link DriverPreflight}
 * (remedies); host drivers: GKE's {@code cloud.google.com/gke-gpu-driver-version} label (DOMAIN §GKE), Bottlerocket's
 * NVIDIA variants, whose {@code PRETTY_NAME} ends in {@code -nvidia)} and which ship the driver
 * (bottlerocket-os/bottlerocket-core-kit #122), and GPU feature discovery's {@code nvidia.com/cuda.driver-version.*}
 * (older {@code nvidia.com/cuda.driver.*}) labels, which need a loaded driver (NVIDIA/k8s-device-plugin
 * docs/gpu-feature-discovery/README.md); MIG: {@code nvidia.com/mig.config} keys {@code all-disabled},
 * {@code all-enabled}, {@code all-balanced} and {@code all-<profile>} with {@code +} written as {@code .}, and
 * {@code nvidia.com/mig.config.state} (NVIDIA/gpu-operator v26.7.0 assets/state-mig-manager/0400_configmap.yaml,
 * controllers/state_manager.go); MPS excludes MIG (NVIDIA/k8s-device-plugin README).
 */
public final class DriverPreflightChecks {
  public static final String IMAGE = "gpu.driver.image";
  public static final String HOST_DRIVER = "gpu.driver.host-driver";
  public static final String SECURE_BOOT = "gpu.driver.secure-boot";
  public static final String KERNEL_HEADERS = "gpu.driver.kernel-headers";
  public static final String NOUVEAU = "gpu.driver.nouveau";
  public static final String MIG = "gpu.driver.mig";

  /** The driver version of the GPU Operator chart v26.7.0 ({@code driver.version} in its values.yaml). */
  public static final String CHART_DRIVER_VERSION = "595.91.07";

  private static final String NFD_KERNEL = "feature.node.kubernetes.io/kernel-version.full";
  private static final String NFD_OS_ID = "feature.node.kubernetes.io/system-os_release.ID";
  private static final String NFD_OS_VERSION = "feature.node.kubernetes.io/system-os_release.VERSION_ID";
  private static final String GKE_DRIVER = "cloud.google.com/gke-gpu-driver-version";
  private static final List<String> CUDA_DRIVER_LABELS = List.of("nvidia.com/cuda.driver-version.full",
      "nvidia.com/cuda.driver-version.major", "nvidia.com/cuda.driver.major");
  private static final String MIG_CONFIG = "nvidia.com/mig.config";
  private static final String MIG_CONFIG_STATE = "nvidia.com/mig.config.state";
  private static final String MIG_CAPABLE = "nvidia.com/mig.capable";
  private static final Pattern BOTTLEROCKET_NVIDIA = Pattern.compile("Bottlerocket OS .*\\(.*-nvidia(-fips)?\\)");
  private static final Pattern UBUNTU_ARCHIVE_KERNEL = Pattern.compile("\\d+\\.\\d+\\.\\d+-\\d+-[a-z][a-z0-9-]*");
  private static final Pattern MIG_ALL = Pattern.compile("all-(\\d+g\\.\\d+gb)(?:\\.(.+))?|all-(\\d+g\\.\\d+gb-me)");

  private DriverPreflightChecks() {}

  /** The six checks, each reading the nodes and the GPU Operator's ClusterPolicies once. */
  public static List<Check> checks(GpuConfig gpu, GpuCatalog catalog) {
    List<Check> out = new ArrayList<>();
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put(IMAGE, DriverPreflight.DRIVER_IMAGE);
    ids.put(HOST_DRIVER, DriverPreflight.HOST_DRIVER);
    ids.put(SECURE_BOOT, DriverPreflight.SECURE_BOOT);
    ids.put(KERNEL_HEADERS, DriverPreflight.KERNEL_HEADERS);
    ids.put(NOUVEAU, DriverPreflight.NOUVEAU);
    ids.put(MIG, DriverPreflight.MIG);
    AtomicReference<Predicted> last = new AtomicReference<>();
    ids.forEach((checkId, findingId) -> out.add(Check.of(checkId,
        Set.of(ResourceKind.NODES, ResourceKind.CLUSTER_POLICIES),
        snapshot -> aggregate(checkId, predicted(snapshot, gpu, catalog, last).getOrDefault(findingId, List.of())))));
    return out;
  }

  /**
   * The last snapshot's findings by finding id, each with its node, and the nodes they were predicted from as the
   * snapshot (and every view of it a check gets) holds them: the six checks predict each node once, not six times.
   */
  private record Predicted(List<Node> nodes, boolean operatorReady, Map<String, List<Map.Entry<String, Finding>>> found) {}

  private static Map<String, List<Map.Entry<String, Finding>>> predicted(ClusterSnapshot snapshot, GpuConfig gpu,
      GpuCatalog catalog, AtomicReference<Predicted> last) {
    boolean ready = operatorReady(snapshot);
    List<Node> nodes = snapshot.list(ResourceKind.NODES, Node.class);
    Predicted seen = last.get();
    if (seen != null && seen.nodes() == nodes && seen.operatorReady() == ready) {
      return seen.found();
    }
    Map<String, List<Map.Entry<String, Finding>>> found = new HashMap<>();
    for (Node node : nodes) {
      if (GpuNodes.isGpuNode(node, catalog)) {
        for (Finding f : predict(node, gpu, catalog, ready)) {
          found.computeIfAbsent(f.id(), id -> new ArrayList<>()).add(Map.entry(node.getMetadata().getName(), f));
        }
      }
    }
    last.set(new Predicted(nodes, ready, found));
    return found;
  }

  /**
   * The driver preflight findings of one node, predicted from the node object and the driver settings.
   *
   * @param operatorReady whether a ClusterPolicy reports {@code ready}: the operator's driver runs, so what only the
   *     node can tell has evidently held
   */
  public static List<Finding> predict(Node node, GpuConfig gpu, GpuCatalog catalog, boolean operatorReady) {
    NodeFacts n = NodeFacts.of(node);
    List<Finding> out = new ArrayList<>();
    Optional<Prediction> precompiled = n.kernel.flatMap(k -> n.osTag.map(os ->
        DriverImages.precompiled(gpu.driverBranch(), k, os)));
    Optional<Prediction> conventional = n.osTag.map(os ->
        DriverImages.conventional(gpu.driverVersion().orElse(CHART_DRIVER_VERSION), os));
    Optional<String> hostDriver = hostDriver(n, gpu, operatorReady);
    Finding image = image(n, gpu, precompiled, conventional);
    out.add(operatorReady && image.status() != Status.PASS ? pass(DriverPreflight.DRIVER_IMAGE, "the GPU Operator's "
        + "driver runs (a ClusterPolicy is ready), so its image was pulled, from a mirror if NVIDIA publishes none ("
        + image.message() + ")") : image);
    out.add(hostDriverFinding(gpu, hostDriver));
    String off = "gpu.operator.driver.enabled is false: the operator installs no driver; the host's driver is used";
    String runs = "the GPU Operator's driver runs (a ClusterPolicy is ready), so ";
    boolean compiled = !gpu.driverPrecompiled() || precompiled.filter(Prediction::published).isEmpty();
    if (!gpu.driverEnabled()) {
      out.add(pass(DriverPreflight.SECURE_BOOT, off));
      out.add(pass(DriverPreflight.KERNEL_HEADERS, off));
      out.add(pass(DriverPreflight.NOUVEAU, off));
    } else if (operatorReady) {
      out.add(pass(DriverPreflight.SECURE_BOOT, runs + "its modules load"));
      out.add(pass(DriverPreflight.KERNEL_HEADERS, runs + "it had what it builds against"));
      out.add(pass(DriverPreflight.NOUVEAU, runs + "nouveau does not hold the GPU"));
    } else {
      out.add(secureBoot(n, compiled, precompiled));
      out.add(headers(n, compiled, precompiled));
      out.add(new Finding(DriverPreflight.NOUVEAU, Status.INFO, "whether nouveau holds the GPU is not visible from "
          + "the cluster (" + n.describe() + ")", Optional.of(DriverPreflight.NOUVEAU_STATE)));
    }
    out.add(mig(node, n, gpu, catalog));
    return out;
  }

  private static Finding image(NodeFacts n, GpuConfig gpu, Optional<Prediction> precompiled,
      Optional<Prediction> conventional) {
    if (!gpu.driverEnabled()) {
      return pass(DriverPreflight.DRIVER_IMAGE, "gpu.operator.driver.enabled is false: the operator pulls no driver "
          + "image");
    }
    if (gpu.driverPrecompiled()) {
      if (precompiled.isEmpty()) {
        return new Finding(DriverPreflight.DRIVER_IMAGE, Status.WARN, "the precompiled image cannot be named: "
            + n.describe() + " gives no kernel or no OS Substrate recognises", Optional.of("check the node's "
            + "status.nodeInfo (kubectl get node -o wide) and look the tag <branch>-<kernel>-<os> up on NGC ("
            + DriverImages.NGC_TAGS + ")"));
      }
      return DriverPreflight.driverImage(precompiled.get(), true, conventional);
    }
    if (conventional.isEmpty()) {
      return new Finding(DriverPreflight.DRIVER_IMAGE, Status.WARN, "the driver image cannot be named: "
          + n.describe() + " is not an OS Substrate recognises", Optional.of("check the node's OS against the GPU "
          + "Operator's supported operating systems and look the tag <version>-<os> up on NGC ("
          + DriverImages.NGC_TAGS + ")"));
    }
    return DriverPreflight.driverImage(conventional.get(), false, Optional.empty());
  }

  private static Optional<String> hostDriver(NodeFacts n, GpuConfig gpu, boolean operatorReady) {
    Optional<String> gke = n.label(GKE_DRIVER);
    if (gke.isPresent()) {
      return Optional.of("GKE installs its driver on it (" + GKE_DRIVER + "=" + gke.get() + ")");
    }
    if (n.osImage.filter(os -> BOTTLEROCKET_NVIDIA.matcher(os).matches()).isPresent()) {
      return Optional.of("its OS, " + n.osImage.get() + ", is a Bottlerocket NVIDIA variant, which ships the driver");
    }
    // GFD needs a loaded driver to label CUDA versions; before the operator's driver runs, that driver is the host's.
    if (!operatorReady || !gpu.driverEnabled()) {
      for (String label : CUDA_DRIVER_LABELS) {
        Optional<String> v = n.label(label);
        if (v.isPresent()) {
          return Optional.of("GPU feature discovery reports a loaded driver (" + label + "=" + v.get() + ")"
              + (gpu.driverEnabled() ? " while the GPU Operator's driver does not run" : ""));
        }
      }
    }
    return Optional.empty();
  }

  private static Finding hostDriverFinding(GpuConfig gpu, Optional<String> hostDriver) {
    if (hostDriver.isPresent() && gpu.driverEnabled()) {
      return new Finding(DriverPreflight.HOST_DRIVER, Status.FAIL, "a driver is already on the host: "
          + hostDriver.get() + "; the operator's driver container cannot load its module over it",
          Optional.of(DriverPreflight.DRIVER_OFF + " (gpu.operator.driver.enabled: false)"));
    }
    if (hostDriver.isPresent()) {
      return pass(DriverPreflight.HOST_DRIVER, "the host's driver is used, with gpu.operator.driver.enabled false: "
          + hostDriver.get());
    }
    if (!gpu.driverEnabled()) {
      return new Finding(DriverPreflight.HOST_DRIVER, Status.WARN, "gpu.operator.driver.enabled is false, but nothing "
          + "on the node shows a host driver (no GKE driver label, no NVIDIA OS variant, no GPU feature discovery CUDA "
          + "labels)", Optional.of("install the NVIDIA driver on the host (check with nvidia-smi there), or set "
          + "gpu.operator.driver.enabled: true"));
    }
    return pass(DriverPreflight.HOST_DRIVER, "no sign of a host driver: the operator's driver container installs it");
  }

  private static Finding secureBoot(NodeFacts n, boolean compiled, Optional<Prediction> precompiled) {
    if (!compiled) {
      if (!"amd64".equals(n.arch.orElse("amd64"))) {
        return new Finding(DriverPreflight.SECURE_BOOT, Status.WARN, "precompiled modules are signed on amd64 only "
            + "(linux-signatures-nvidia), and the node is " + n.arch.get() + ": with Secure Boot on they do not "
            + "load; Secure Boot is not visible from the cluster", Optional.of(DriverPreflight.SECURE_BOOT_STATE
            + "; if it is on, turn it off in the firmware"));
      }
      return pass(DriverPreflight.SECURE_BOOT, "precompiled modules carry Canonical's signatures "
          + "(linux-signatures-nvidia), so they load with Secure Boot on or off");
    }
    return new Finding(DriverPreflight.SECURE_BOOT, Status.WARN, "the driver container compiles the module at run "
        + "time, unsigned, so it loads only with Secure Boot off; Secure Boot is not visible from the cluster ("
        + n.describe() + ")", Optional.of(DriverPreflight.SECURE_BOOT_STATE + "; if it is on: "
        + DriverPreflight.secureBootRemedy(n.kernel.orElse("$(uname -r)"), precompiled)));
  }

  private static Finding headers(NodeFacts n, boolean compiled, Optional<Prediction> precompiled) {
    if (!compiled) {
      return pass(DriverPreflight.KERNEL_HEADERS, "precompiled modules need no kernel headers");
    }
    String kernel = n.kernel.orElse("$(uname -r)");
    String remedy = DriverPreflight.headersRemedy(kernel, precompiled);
    boolean ubuntu = n.osTag.filter(os -> os.startsWith("ubuntu")).isPresent();
    if (ubuntu && n.kernel.filter(k -> !UBUNTU_ARCHIVE_KERNEL.matcher(k).matches()).isPresent()) {
      return new Finding(DriverPreflight.KERNEL_HEADERS, Status.WARN, "kernel " + kernel + " is not an Ubuntu archive "
          + "kernel, so the driver container will likely find no linux-headers-" + kernel + " package to compile "
          + "against", Optional.of(remedy));
    }
    return new Finding(DriverPreflight.KERNEL_HEADERS, Status.INFO, "the driver container compiles the module at "
        + "start against the headers of kernel " + kernel + ", which it installs from the OS package repositories",
        Optional.of(remedy));
  }

  private static Finding mig(Node node, NodeFacts n, GpuConfig gpu, GpuCatalog catalog) {
    Optional<GpuModel> model = GpuNodes.product(node, catalog);
    Optional<Boolean> capable = model.map(GpuModel::mig).or(() -> n.label(MIG_CAPABLE).map("true"::equals));
    Optional<String> config = n.label(MIG_CONFIG).filter(c -> !c.isBlank());
    String gpuName = model.map(GpuModel::name).orElse("its GPU");
    String name = node.getMetadata().getName();
    boolean enabling = config.filter(c -> !c.equals("all-disabled")).isPresent();
    if (enabling && capable.filter(c -> !c).isPresent()) {
      return new Finding(DriverPreflight.MIG, Status.FAIL, MIG_CONFIG + "=" + config.get() + " asks for MIG, but "
          + gpuName + " has no MIG", Optional.of("kubectl label node " + name + " " + MIG_CONFIG + "-"));
    }
    if (n.label(MIG_CONFIG_STATE).filter("failed"::equals).isPresent()) {
      return new Finding(DriverPreflight.MIG, Status.FAIL, "the MIG manager failed to apply " + MIG_CONFIG + "="
          + config.orElse("") + " (" + MIG_CONFIG_STATE + "=failed)", Optional.of("read why: kubectl -n "
          + gpu.operatorNamespace() + " logs -l app=nvidia-mig-manager; then label a layout " + gpuName + " has"));
    }
    Optional<String> profile = config.flatMap(DriverPreflightChecks::migProfile);
    if (profile.isPresent() && model.isPresent() && !model.get().migProfiles().containsKey(profile.get())) {
      return new Finding(DriverPreflight.MIG, Status.FAIL, MIG_CONFIG + "=" + config.get() + " names MIG profile "
          + profile.get() + ", which " + gpuName + " does not have (its profiles: "
          + String.join(", ", model.get().migProfiles().keySet()) + "), so the MIG manager cannot apply it",
          Optional.of("kubectl label node " + name + " --overwrite " + MIG_CONFIG + "=" + migConfig(
              smallestProfile(model.get())) + " (or another all-<profile> of " + gpuName + ", or your own "
              + "mig-parted config)"));
    }
    if (enabling && gpu.tenancyMode() == TenancyMode.MPS) {
      return new Finding(DriverPreflight.MIG, Status.FAIL, MIG_CONFIG + "=" + config.get() + " enables MIG, but "
          + "gpu.tenancy.mode is mps, and the device plugin shares only full GPUs through MPS, not MIG devices",
          Optional.of("kubectl label node " + name + " --overwrite " + MIG_CONFIG + "=all-disabled, or set "
              + "gpu.tenancy.mode: mig"));
    }
    if (gpu.tenancyMode() == TenancyMode.MIG && capable.orElse(false) && !enabling) {
      String layout = model.map(m -> migConfig(smallestProfile(m))).orElse("all-<profile>");
      return new Finding(DriverPreflight.MIG, Status.WARN, "gpu.tenancy.mode is mig, but " + config.map(c ->
          MIG_CONFIG + " is " + c).orElse("there is no " + MIG_CONFIG + " label") + ", so " + gpuName
          + " stays one whole GPU", Optional.of("kubectl label node " + name + " --overwrite " + MIG_CONFIG + "="
          + layout));
    }
    if (enabling) {
      return pass(DriverPreflight.MIG, "MIG layout " + config.get() + " for " + gpuName);
    }
    return pass(DriverPreflight.MIG, capable.orElse(false) ? gpuName + " is MIG-capable and whole (MIG "
        + config.orElse("not configured") + ")" : gpuName + " is used whole (no MIG)");
  }

  /**
   * The MIG profile an {@code nvidia.com/mig.config} key of the default mig-parted config names, e.g.
   * {@code all-1g.18gb.me} gives {@code 1g.18gb+me}; empty for {@code all-disabled}, {@code all-enabled},
   * {@code all-balanced} and keys of a custom config.
   */
  public static Optional<String> migProfile(String config) {
    Matcher m = MIG_ALL.matcher(config.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    if (m.group(3) != null) {
      return Optional.of(m.group(3));
    }
    return Optional.of(m.group(1) + (m.group(2) == null ? "" : "+" + m.group(2)));
  }

  private static String migConfig(String profile) {
    return "all-" + profile.replace('+', '.');
  }

  private static String smallestProfile(GpuModel m) {
    return m.migProfiles().keySet().stream().filter(p -> p.matches("\\d+g\\.\\d+gb")).findFirst()
        .orElse(m.migProfiles().keySet().iterator().next());
  }

  private static boolean operatorReady(ClusterSnapshot snapshot) {
    if (snapshot.state(ResourceKind.CLUSTER_POLICIES) != ClusterSnapshot.ReadState.READ) {
      return false;
    }
    return snapshot.list(ResourceKind.CLUSTER_POLICIES).stream()
        .anyMatch(p -> Resources.string(p, "status", "state").filter("ready"::equals).isPresent());
  }


  private static Finding pass(String id, String message) {
    return new Finding(id, Status.PASS, message, Optional.empty());
  }

  /** Nodes grouped by what was found on them; the result has the worst status, its findings and remedies. */
  private static CheckResult aggregate(String checkId, List<Map.Entry<String, Finding>> found) {
    if (found.isEmpty()) {
      return CheckResult.skip(checkId, "no GPU nodes to predict the GPU Operator's driver for");
    }
    Map<Finding, List<String>> groups = new LinkedHashMap<>();
    found.forEach(e -> groups.computeIfAbsent(e.getValue(), f -> new ArrayList<>()).add(e.getKey()));
    Status worst = groups.keySet().stream().map(Finding::status).max(Comparator.naturalOrder()).orElseThrow();
    boolean problem = worst.compareTo(Status.WARN) >= 0;
    List<Map.Entry<Finding, List<String>>> top = groups.entrySet().stream()
        .filter(e -> !problem || e.getKey().status() == worst).collect(Collectors.toList());
    String finding = top.stream().map(e -> Resources.names(e.getValue()) + ": " + e.getKey().message())
        .collect(Collectors.joining("; "));
    String remedy = top.stream().map(e -> e.getKey().remedy()).flatMap(Optional::stream).distinct()
        .collect(Collectors.joining("; "));
    CheckStatus status = worst == Status.FAIL ? CheckStatus.FAIL : worst == Status.WARN ? CheckStatus.WARN
        : CheckStatus.PASS;
    CheckResult.Builder b = CheckResult.builder().id(checkId).status(status).finding(finding);
    if (!remedy.isEmpty()) {
      b.remedy(remedy);
    }
    return b.build();
  }

  /** What a node object tells about the driver's ground: NFD's labels first, then {@code status.nodeInfo}. */
  private static final class NodeFacts {
    final Map<String, String> labels;
    final Optional<String> kernel;
    final Optional<String> osImage;
    final Optional<String> osTag;
    final Optional<String> arch;

    private NodeFacts(Map<String, String> labels, NodeSystemInfo info) {
      this.labels = labels;
      this.osImage = Optional.ofNullable(info == null ? null : info.getOsImage()).filter(s -> !s.isBlank());
      this.kernel = label(NFD_KERNEL).or(() -> Optional.ofNullable(info == null ? null : info.getKernelVersion()))
          .filter(s -> !s.isBlank());
      Optional<String> nfd = label(NFD_OS_ID).flatMap(id -> label(NFD_OS_VERSION)
          .map(v -> DriverImages.osTag(id, v)));
      this.osTag = nfd.or(() -> osImage.flatMap(DriverImages::osTag));
      this.arch = label("kubernetes.io/arch").or(() -> Optional.ofNullable(info == null ? null
          : info.getArchitecture())).map(a -> a.toLowerCase(Locale.ROOT));
    }

    static NodeFacts of(Node node) {
      Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
      return new NodeFacts(labels, node.getStatus() == null ? null : node.getStatus().getNodeInfo());
    }

    Optional<String> label(String key) {
      return Optional.ofNullable(labels.get(key));
    }

    /** E.g. {@code kernel 6.8.0-57-generic, Ubuntu 24.04.2 LTS}. */
    String describe() {
      return "kernel " + kernel.orElse("unknown") + ", " + osImage.orElse("OS unknown");
    }
  }
}
