package dev.substrate.node;

import dev.substrate.spi.gpu.DriverImages;
import dev.substrate.spi.gpu.DriverPreflight;
import dev.substrate.spi.gpu.Finding;
import dev.substrate.spi.gpu.Finding.Status;
import dev.substrate.spi.gpu.GpuCatalog;
import dev.substrate.spi.gpu.GpuModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Whether the NVIDIA GPU Operator's driver can start on a node, from its {@link NodeFacts}: its GPUs (product, PCI
 * id, VRAM, MIG mode and profiles, matched to the {@link GpuCatalog}), the host's driver, kernel, OS, Secure Boot,
 * nouveau and kernel headers, and findings with the exact remedy.
 *
 * <pre>{@code
 * NodePreflight p = NodePreflight.of(NodeFacts.live());
 * if (p.worst() == Finding.Status.FAIL) { ... p.findings() ... }
 * }</pre>
 */
public final class NodePreflight {
  /** The branch of the chart's default driver (595.91.07 at v26.7.0), which precompiled images are looked up for. */
  static final String PRECOMPILED_BRANCH = "595";

  private final NodeFacts facts;
  private final GpuCatalog catalog;
  private final List<Gpu> gpus;
  private final List<Finding> findings = new ArrayList<>();

  private NodePreflight(NodeFacts facts, GpuCatalog catalog) {
    this.facts = facts;
    this.catalog = catalog;
    this.gpus = facts.nvidiaSmi() && !facts.gpus().isEmpty() ? facts.gpus() : fromPci(facts, catalog);
    check();
  }

  /** The preflight of {@code facts} against the shipped GPU catalog. */
  public static NodePreflight of(NodeFacts facts) {
    return of(facts, GpuCatalog.shipped());
  }

  /** The preflight of {@code facts} against {@code catalog}. */
  public static NodePreflight of(NodeFacts facts, GpuCatalog catalog) {
    return new NodePreflight(facts, catalog);
  }

  /** The facts this preflight read. */
  public NodeFacts facts() {
    return facts;
  }

  /** The GPUs: from {@code nvidia-smi}, or from NVIDIA PCI functions (product from the catalog) without it. */
  public List<Gpu> gpus() {
    return gpus;
  }

  /** The catalog model of {@code gpu}, by PCI device id. */
  public Optional<GpuModel> model(Gpu gpu) {
    return catalog.byPciDeviceId(hex(gpu.pciDeviceId()));
  }

  /** The loaded driver's version. */
  public Optional<String> driverVersion() {
    return facts.driverVersion();
  }

  /** {@code open} or {@code proprietary}: the flavour of the loaded NVIDIA kernel module. */
  public Optional<String> kernelModuleType() {
    return facts.kernelModule().map(l -> l.contains("Open Kernel Module") ? "open" : "proprietary");
  }

  /** Whether a host NVIDIA driver is loaded (then the operator's driver must be disabled). */
  public boolean hostDriver() {
    return facts.kernelModule().isPresent()
        || facts.loadedModules().filter(m -> m.contains("nvidia")).isPresent()
        || facts.nvidiaSmi();
  }

  /** Whether {@code nouveau} is loaded; false when the loaded modules were not captured. */
  public boolean nouveauLoaded() {
    return facts.loadedModules().filter(m -> m.contains("nouveau")).isPresent();
  }

  /** Every finding, in check order. */
  public List<Finding> findings() {
    return List.copyOf(findings);
  }

  /** The worst status among the findings. */
  public Status worst() {
    return findings.stream().map(Finding::status).max(Comparator.naturalOrder()).orElse(Status.PASS);
  }

  private void check() {
    checkGpus();
    checkHostDriver();
    checkPrecompiled();
    checkNvidiaSmi();
    checkNouveau();
    checkSecureBoot();
    checkHeaders();
    checkMig();
  }

  private void checkGpus() {
    if (gpus.isEmpty()) {
      add("gpu", Status.FAIL, "no NVIDIA GPU: no nvidia-smi GPU and no PCI display function of vendor 0x10de",
          "run the preflight on the GPU node itself; on a VM, pass the GPU through (vfio-pci) first");
      return;
    }
    for (Gpu g : gpus) {
      Optional<GpuModel> m = model(g);
      if (m.isPresent()) {
        add("gpu", Status.PASS, "GPU " + g.index() + ": " + g.product() + " is the catalog's " + m.get().describe(),
            null);
      } else {
        add("gpu", Status.WARN, "GPU " + g.index() + ": " + g.product() + " (PCI device " + hex(g.pciDeviceId())
            + ") is not in Substrate's GPU catalog; VRAM and MIG checks cannot use it",
            "add it: GpuCatalog.shipped().with(GpuModel.builder()...build())");
      }
      if (m.filter(x -> x.architecture().equals("Blackwell")).isPresent()
          && kernelModuleType().filter("proprietary"::equals).isPresent()) {
        add("kernel-module", Status.FAIL, "GPU " + g.index() + " is a Blackwell GPU, which needs NVIDIA's open kernel "
            + "module, but the proprietary one is loaded",
            "install the open kernel module (nvidia-driver-<branch>-open, "
            + "or the GPU Operator with driver.kernelModuleType=open)");
      }
    }
  }

  private void checkHostDriver() {
    if (hostDriver()) {
      String version = driverVersion().map(v -> "NVIDIA driver " + v).orElse("an NVIDIA driver");
      String type = kernelModuleType().map(t -> " (" + t + " kernel module)").orElse("");
      add(DriverPreflight.HOST_DRIVER, Status.WARN, version + type + " is already loaded on the host; the GPU "
          + "Operator's driver container cannot load its own module over it", DriverPreflight.DRIVER_OFF);
    } else {
      add(DriverPreflight.HOST_DRIVER, Status.PASS, "no NVIDIA driver on the host: the GPU Operator's driver container installs "
          + "it", null);
    }
  }

  /**
   * The precompiled image of the default chart's driver branch for this kernel and OS, when they are known: whether
   * the operator can run it instead of compiling on the node. Without a host driver only (with one, the operator's
   * driver is off).
   */
  public Optional<DriverImages.Prediction> precompiled() {
    if (facts.kernelRelease().isEmpty()) {
      return Optional.empty();
    }
    return facts.os().flatMap(DriverImages::osTag)
        .map(os -> DriverImages.precompiled(PRECOMPILED_BRANCH, facts.kernelRelease().get(), os));
  }

  private void checkPrecompiled() {
    if (hostDriver()) {
      return;
    }
    precompiled().ifPresent(p -> {
      if (p.published()) {
        add(DriverPreflight.DRIVER_IMAGE, Status.INFO, "a precompiled driver image exists for this kernel: "
            + p.image() + " (" + p.reason() + "; " + DriverImages.SOURCE + ")",
            "install the GPU Operator with " + DriverPreflight.usePrecompiled(PRECOMPILED_BRANCH)
            + ": no compiler or kernel headers on the node, and signed modules");
      } else {
        add(DriverPreflight.DRIVER_IMAGE, Status.INFO, "no precompiled driver image for this kernel (" + p.reason()
            + "; " + DriverImages.SOURCE + "): the driver container compiles the module at run time, so it needs "
            + "kernel headers and Secure Boot off", null);
      }
    });
  }

  private void checkNvidiaSmi() {
    if (facts.nvidiaSmi()) {
      return;
    }
    if (hostDriver()) {
      add("nvidia-smi", Status.WARN, "a driver is loaded but there is no nvidia-smi -q -x output: VRAM and MIG mode "
          + "are unknown", "capture `nvidia-smi -q -x` (and `nvidia-smi mig -lgip`) on the node, or install the "
          + "driver's utilities (nvidia-utils-<branch>)");
    } else {
      add("nvidia-smi", Status.INFO, "no nvidia-smi output (no driver yet): GPUs are known by PCI id only", null);
    }
  }

  private void checkNouveau() {
    if (facts.loadedModules().isEmpty()) {
      add(DriverPreflight.NOUVEAU, Status.INFO, "the loaded kernel modules were not captured; nouveau not checked", null);
    } else if (nouveauLoaded()) {
      add(DriverPreflight.NOUVEAU, Status.FAIL, "the nouveau module is loaded: it holds the GPU and the NVIDIA module "
          + "cannot bind", DriverPreflight.NOUVEAU_OFF);
    } else {
      add(DriverPreflight.NOUVEAU, Status.PASS, "nouveau is not loaded", null);
    }
  }

  private void checkSecureBoot() {
    String why = " (" + facts.secureBootEvidence() + ")";
    switch (facts.secureBoot()) {
      case OFF -> add(DriverPreflight.SECURE_BOOT, Status.PASS, "Secure Boot is off" + why, null);
      case ON -> {
        if (hostDriver()) {
          add(DriverPreflight.SECURE_BOOT, Status.PASS, "Secure Boot is on" + why + " and the kernel accepted the loaded (signed) "
              + "NVIDIA module", null);
        } else {
          add(DriverPreflight.SECURE_BOOT, Status.FAIL, "Secure Boot is on" + why + " and no signed NVIDIA driver is "
              + "loaded: the kernel refuses a module the driver container compiles at run time",
              DriverPreflight.secureBootRemedy(facts.kernelRelease().orElse("$(uname -r)"), precompiled()));
        }
      }
      default -> add(DriverPreflight.SECURE_BOOT, hostDriver() ? Status.INFO : Status.WARN, "Secure Boot state unknown"
          + why, "check with `mokutil --sb-state`; if it is on, the driver's modules must be signed");
    }
  }

  private void checkHeaders() {
    String release = facts.kernelRelease().orElse("$(uname -r)");
    Optional<Boolean> headers = facts.kernelHeaders();
    if (headers.orElse(false)) {
      add(DriverPreflight.KERNEL_HEADERS, Status.PASS, "kernel headers for " + release + " are installed", null);
    } else if (hostDriver()) {
      add(DriverPreflight.KERNEL_HEADERS, Status.PASS, "kernel headers for " + release + " are "
          + (headers.isPresent() ? "not installed" : "not captured") + "; not needed while the host driver is used",
          null);
    } else {
      add(DriverPreflight.KERNEL_HEADERS, Status.WARN, "kernel headers for " + release + " are "
          + (headers.isPresent() ? "not installed" : "not captured") + ": the driver container compiles the module "
          + "at run time and needs them", DriverPreflight.headersRemedy(release, precompiled()));
    }
  }

  private void checkMig() {
    for (Gpu g : gpus) {
      boolean capable = !g.migProfiles().isEmpty() || model(g).filter(GpuModel::mig).isPresent();
      if (!capable) {
        continue;
      }
      String profiles = g.migProfiles().isEmpty() ? ""
          : " (" + g.migProfiles().size() + " GPU instance profiles)";
      String current = g.migCurrent().orElse("unknown");
      if (g.migPending().isPresent() && !g.migPending().get().equalsIgnoreCase(current)) {
        add(DriverPreflight.MIG, Status.WARN, "GPU " + g.index() + ": MIG mode " + lower(current) + ", "
            + lower(g.migPending().get()) + " after the next GPU reset", "sudo nvidia-smi -i " + g.index()
            + " -r (with no process on the GPU), or reboot");
      } else if (g.migEnabled()) {
        add(DriverPreflight.MIG, Status.PASS, "GPU " + g.index() + ": MIG enabled" + profiles, null);
      } else {
        add(DriverPreflight.MIG, Status.INFO, "GPU " + g.index() + ": MIG-capable" + profiles + ", MIG " + lower(current)
            + ": the whole GPU is one nvidia.com/gpu", "to partition it: label the node nvidia.com/mig.config="
            + "<config> for the GPU Operator's MIG manager, or sudo nvidia-smi -i " + g.index() + " -mig 1");
      }
    }
  }

  private void add(String id, Status status, String message, String remedy) {
    findings.add(new Finding(id, status, message, Optional.ofNullable(remedy)));
  }

  private static List<Gpu> fromPci(NodeFacts facts, GpuCatalog catalog) {
    List<Gpu> out = new ArrayList<>();
    for (PciFunction f : facts.pciFunctions()) {
      String product = catalog.byPciDeviceId(hex(f.deviceId())).map(m -> m.name())
          .orElse("PCI device 10de:" + String.format(Locale.ROOT, "%04x", f.deviceId()));
      out.add(new Gpu(out.size(), product, f.deviceId(), OptionalLong.empty(), Optional.empty(),
          Optional.empty(), List.of()));
    }
    return out;
  }

  static String hex(int deviceId) {
    return String.format(Locale.ROOT, "0x%04x", deviceId);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /**
   * The report as text: node, driver, GPUs with their MIG profiles, then the findings, e.g.
   * {@code GPU 0  NVIDIA H200  PCI 0x2335  143771 MiB  MIG disabled}.
   */
  public String text() {
    String nl = System.lineSeparator();
    StringBuilder b = new StringBuilder("node preflight: ").append(facts.source()).append(nl);
    b.append(String.format("  kernel       %s%s%n", facts.kernelRelease().orElse("unknown"),
        facts.os().map(o -> " (" + o + ")").orElse("")));
    b.append(String.format("  driver       %s%n", driverVersion().map(v -> v + kernelModuleType()
        .map(t -> " (" + t + " kernel module)").orElse("")).orElse("none loaded")));
    b.append(String.format("  secure boot  %s (%s)%n", lower(facts.secureBoot().name()), facts.secureBootEvidence()));
    b.append(String.format("  nouveau      %s%n", facts.loadedModules().isEmpty() ? "not checked"
        : nouveauLoaded() ? "loaded" : "not loaded"));
    b.append(String.format("  headers      %s%n", facts.kernelHeaders().map(h -> h ? "installed" : "not installed")
        .orElse("not captured")));
    for (Gpu g : gpus) {
      b.append(nl).append(String.format("GPU %d  %s  PCI %s  %s  MIG %s%s%n", g.index(), g.product(),
          hex(g.pciDeviceId()), g.vramMib().isPresent() ? g.vramMib().getAsLong() + " MiB" : "VRAM unknown",
          lower(g.migCurrent().orElse("unknown")), g.migPending().filter(p -> !p.equalsIgnoreCase(
              g.migCurrent().orElse(""))).map(p -> " (pending " + lower(p) + ")").orElse("")));
      if (!g.migProfiles().isEmpty()) {
        b.append("  MIG profiles: ").append(g.migProfiles().stream().map(p -> String.format(Locale.ROOT,
            "%s x%d (%.2f GiB)", p.name(), p.instances(), p.memoryGib())).collect(Collectors.joining(", ")))
            .append(nl);
      }
    }
    b.append(nl).append("findings").append(nl);
    int width = findings.stream().mapToInt(f -> f.id().length()).max().orElse(0);
    for (Finding f : findings) {
      b.append(String.format("  %-4s  %-" + width + "s  %s%n", f.status(), f.id(), f.message()));
      f.remedy().ifPresent(r -> b.append(" ".repeat(2 + 4 + 2 + width + 2)).append("→ ").append(r).append(nl));
    }
    return b.toString();
  }
}
