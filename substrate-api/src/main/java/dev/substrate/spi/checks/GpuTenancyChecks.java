package dev.substrate.spi.checks;

import static dev.substrate.spi.checks.GpuNodes.fmt;

import dev.substrate.CheckResult;
import dev.substrate.GpuConfig;
import dev.substrate.GpuConfig.TenancyMode;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import dev.substrate.spi.gpu.GpuCatalog;
import dev.substrate.spi.gpu.GpuModel;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Whether what {@code gpu.tenancy} asks for fits the GPUs the nodes carry, on any substrate: the GPU of a node comes
 * from GFD's labels or, without them, from what the substrate's {@link GpuCatalog} sells under the node's GKE
 * accelerator or instance type. Every substrate runs these two checks with its catalog
 * ({@link dev.substrate.spi.SubstrateProvider#gpuCatalog()}).
 *
 * <pre>{@code
 * Check fit = GpuTenancyChecks.fit(config.gpu(), GpuCatalog.shipped().withOffering("nvidia-l4", GpuCatalog.L4));
 * }</pre>
 *
 * <p>MIG slices: a profile {@code <n>g.<m>gb} holds a fraction of the GPU's memory in eighths on seven-slice GPUs
 * (A100, H100, H200, B200) and quarters on four-slice ones (A30, RTX PRO 6000 Blackwell) (NVIDIA MIG User Guide,
 * "Supported MIG Profiles", column "Fraction of Memory"); the driver keeps a little of each, up to a tenth on the live
 * H200 ({@code nvidia-smi mig -lgip}: 1g.18gb 16.00 GiB of 140.4), so a slice is sized as a range and a model in that
 * last tenth is only a warning. Under the rendered {@code mig.strategy: single} every slice of a node has one profile,
 * so the largest model sizes it.
 *
 * <p>Every substrate builds these checks, also for commands that never run them, so this class names Fabric8 types
 * only where the JVM need not load them to verify it; reading a node is {@link GpuNodes}'s business.
 */
public final class GpuTenancyChecks {
  public static final String FIT = "gpu.tenancy.fit";
  public static final String MIG_CAPABLE = "gpu.tenancy.mig-capable";

  /** The share of a slice's nominal memory the driver may keep for itself (see the class comment). */
  static final double MIG_RESERVE = 0.10;

  private static final Pattern PLAIN_PROFILE = Pattern.compile("(\\d+)g\\.(\\d+)gb");

  private GpuTenancyChecks() {}

  /**
   * One MIG profile's memory on a GPU, as a range: what the driver leaves at least, and the profile's fraction of
   * the GPU's memory at most.
   *
   * @param profile e.g. {@code 1g.18gb}
   * @param instances how many of it one GPU holds
   * @param minGib the least memory a slice gives
   * @param maxGib its share of the GPU's memory
   */
  public record MigSlice(String profile, int instances, double minGib, double maxGib) {}

  /**
   * The plain MIG profiles ({@code <n>g.<m>gb}, without media-extension or graphics variants) of {@code model},
   * smallest first, sized on a GPU of {@code gpuGib}.
   */
  public static List<MigSlice> migSlices(GpuModel model, double gpuGib) {
    int largest = model.migProfiles().keySet().stream().map(PLAIN_PROFILE::matcher).filter(Matcher::matches)
        .mapToInt(m -> Integer.parseInt(m.group(2))).max().orElse(0);
    int memorySlices = model.maxMigInstances() >= 7 ? 8 : model.maxMigInstances();
    List<MigSlice> out = new ArrayList<>();
    model.migProfiles().forEach((name, count) -> {
      Matcher m = PLAIN_PROFILE.matcher(name);
      if (m.matches() && largest > 0) {
        long slices = Math.max(1, Math.round((double) Integer.parseInt(m.group(2)) / largest * memorySlices));
        double share = gpuGib * slices / memorySlices;
        out.add(new MigSlice(name, count, share * (1 - MIG_RESERVE), share));
      }
    });
    out.sort(Comparator.comparingDouble(MigSlice::maxGib).thenComparing(s -> -s.instances()));
    return out;
  }

  /**
   * {@value #FIT}: under time-slicing every model of {@code gpu.tenancy.models} may land on the same GPU, and nothing
   * isolates their memory, so together they must fit each GPU node's VRAM; under MPS each model must fit one
   * replica's equal share; under MIG the largest model must fit the node's slice profile (or one the GPU has). The
   * exclusive mode, or no models, skips.
   */
  public static Check fit(GpuConfig gpu, GpuCatalog catalog) {
    TenancyMode mode = gpu.tenancyMode();
    List<GpuConfig.Model> models = gpu.tenancyModels();
    if (mode == TenancyMode.EXCLUSIVE || models.isEmpty()) {
      return Check.of(FIT, Set.of(), snapshot -> CheckResult.skip(FIT, "gpu.tenancy.mode is " + mode.id()
          + (models.isEmpty() ? " with no gpu.tenancy.models" : "") + ", so no models share a GPU's memory"));
    }
    if (mode == TenancyMode.MIG) {
      return migFit(models, catalog);
    }
    double sum = models.stream().mapToDouble(GpuConfig.Model::vramGib).sum();
    String named = named(models);
    GpuConfig.Model largest = largest(models);
    int replicas = Math.max(1, gpu.tenancyReplicas());
    return Check.of(FIT, Set.of(ResourceKind.NODES), snapshot -> {
      List<String> tooSmall = new ArrayList<>();
      List<String> unknown = new ArrayList<>();
      int gpuNodes = 0;
      double smallest = Double.MAX_VALUE;
      double need = mode == TenancyMode.TIME_SLICING ? sum : largest.vramGib();
      for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
        if (!GpuNodes.isGpuNode(node, catalog)) {
          continue;
        }
        gpuNodes++;
        String name = node.getMetadata().getName();
        Optional<Map.Entry<Double, String>> vram = GpuNodes.vramGib(node, catalog);
        if (vram.isEmpty()) {
          unknown.add(name);
          continue;
        }
        double gib = vram.get().getKey();
        smallest = Math.min(smallest, gib);
        double have = mode == TenancyMode.TIME_SLICING ? gib : gib / replicas;
        if (need > have) {
          tooSmall.add(name + " has " + fmt(gib) + " GiB (" + vram.get().getValue() + ")");
        }
      }
      if (gpuNodes == 0) {
        return CheckResult.warn(FIT, "gpu.tenancy.models lists " + named + " but there are no GPU nodes to fit",
            "join GPU nodes to the cluster" + offered(catalog, m -> m.vramGib() >= need));
      }
      if (!tooSmall.isEmpty()) {
        String finding = mode == TenancyMode.TIME_SLICING
            ? "the models time-sliced onto one GPU, " + named + ", need " + fmt(sum) + " GiB together, more than "
            : "under MPS each of " + replicas + " replicas gets an equal share of GPU memory, and " + largest.name()
                + " needs " + fmt(largest.vramGib()) + " GiB, more than a share on ";
        double perGpu = mode == TenancyMode.TIME_SLICING ? need : need * replicas;
        return CheckResult.fail(FIT, finding + Resources.count(tooSmall.size(), "GPU node", "GPU nodes") + ": "
            + Resources.names(tooSmall) + "; time-slicing does not isolate memory, so they would run out of it",
            "list fewer or smaller (quantised) models in gpu.tenancy.models, lower gpu.tenancy.replicas, or pin "
                + "them to larger GPUs with a nodeSelector on " + GpuNodes.GPU_PRODUCT
                + offered(catalog, m -> m.vramGib() >= perGpu));
      }
      if (!unknown.isEmpty()) {
        return unknownMemory(unknown);
      }
      return CheckResult.pass(FIT, (mode == TenancyMode.TIME_SLICING ? "the time-sliced models need " + fmt(sum)
          + " GiB together" : "the largest MPS model needs " + fmt(largest.vramGib()) + " GiB of a 1/" + replicas
          + " share") + "; the smallest of " + Resources.count(gpuNodes, "GPU node", "GPU nodes") + " has "
          + fmt(smallest) + " GiB");
    });
  }

  private static Check migFit(List<GpuConfig.Model> models, GpuCatalog catalog) {
    GpuConfig.Model largest = largest(models);
    double need = largest.vramGib();
    return Check.of(FIT, Set.of(ResourceKind.NODES), snapshot -> {
      List<String> fails = new ArrayList<>();
      List<String> tight = new ArrayList<>();
      List<String> fits = new ArrayList<>();
      List<String> unknown = new ArrayList<>();
      int gpuNodes = 0;
      for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
        if (!GpuNodes.isGpuNode(node, catalog)) {
          continue;
        }
        gpuNodes++;
        String name = node.getMetadata().getName();
        Optional<GpuModel> model = GpuNodes.product(node, catalog);
        if (model.isEmpty()) {
          unknown.add(name);
          continue;
        }
        GpuModel m = model.get();
        if (!m.mig()) {
          continue; // MIG_CAPABLE names it
        }
        Optional<String> device = GpuNodes.migDeviceProfile(node);
        double gpuGib = device.isPresent() ? m.vramGib()
            : GpuNodes.vramGib(node, catalog).map(Map.Entry::getKey).orElse(m.vramGib());
        List<MigSlice> slices = migSlices(m, gpuGib);
        Optional<String> layout = device.or(() -> GpuNodes.label(node, "nvidia.com/mig.config")
            .flatMap(DriverPreflightChecks::migProfile));
        if (layout.isPresent()) {
          Optional<MigSlice> slice = slices.stream().filter(s -> s.profile().equals(layout.get())).findFirst();
          Optional<Double> exact = device.flatMap(d -> GpuNodes.label(node, GpuNodes.GPU_MEMORY))
              .flatMap(GpuTenancyChecks::mib).map(mib -> mib / 1024);
          double min = exact.orElse(slice.map(MigSlice::minGib).orElse(0.0));
          double max = exact.orElse(slice.map(MigSlice::maxGib).orElse(0.0));
          String what = name + "'s " + m.name() + " " + layout.get() + " slices (" + (exact.isPresent()
              ? fmt(max) + " GiB, " + GpuNodes.GPU_MEMORY : "about " + fmt(min) + "-" + fmt(max) + " GiB") + ")";
          if (need > max) {
            fails.add(what);
          } else if (need > min) {
            tight.add(what);
          } else {
            fits.add(what);
          }
          continue;
        }
        Optional<MigSlice> smallest = slices.stream().filter(s -> s.minGib() >= need).findFirst();
        Optional<MigSlice> whole = slices.stream().reduce((a, b) -> b);
        if (smallest.isPresent()) {
          fits.add(name + "'s " + m.name() + " as " + smallest.get().profile() + " slices (about "
              + fmt(smallest.get().minGib()) + "-" + fmt(smallest.get().maxGib()) + " GiB, "
              + smallest.get().instances() + " per GPU; label nvidia.com/mig.config=all-" + smallest.get().profile()
              + ")");
        } else if (whole.isPresent() && need <= whole.get().maxGib()) {
          tight.add(name + "'s " + m.name() + " even as " + whole.get().profile() + " (about "
              + fmt(whole.get().minGib()) + "-" + fmt(whole.get().maxGib()) + " GiB)");
        } else {
          fails.add(name + "'s " + m.name() + " (its largest slice, " + whole.map(s -> s.profile() + ", holds about "
              + fmt(s.maxGib()) + " GiB").orElse("none") + ")");
        }
      }
      if (gpuNodes == 0) {
        return CheckResult.warn(FIT, "gpu.tenancy.models lists " + named(models) + " but there are no GPU nodes to "
            + "fit", "join MIG-capable GPU nodes to the cluster" + offered(catalog, m -> m.mig()
            && m.vramGib() >= need));
      }
      String model = largest.name() + " (" + fmt(need) + " GiB)";
      if (!fails.isEmpty()) {
        return CheckResult.fail(FIT, "under MIG each model runs in one slice, and " + model + " fits no slice of "
            + Resources.names(fails), "use a larger slice profile (nvidia.com/mig.config=all-<profile>), a smaller "
            + "(quantised) model, or larger MIG GPUs" + offered(catalog, m -> m.mig() && m.vramGib() >= need));
      }
      if (!tight.isEmpty()) {
        return CheckResult.warn(FIT, "under MIG " + model + " may not fit " + Resources.names(tight) + ": the driver "
            + "keeps part of each slice's memory", "check the slice's memory with `nvidia-smi mig -lgip` on the node "
            + "and the model's peak with its KV cache; or use the next larger profile");
      }
      if (!unknown.isEmpty()) {
        return unknownMemory(unknown);
      }
      if (fits.isEmpty()) {
        return CheckResult.pass(FIT, "no MIG-capable GPU node to size slices on (" + MIG_CAPABLE + " names the "
            + "others)");
      }
      return CheckResult.pass(FIT, "under MIG the largest model, " + model + ", fits " + Resources.names(fits));
    });
  }

  /** {@value #MIG_CAPABLE}: with {@code gpu.tenancy.mode: mig}, every GPU node's GPU supports MIG; else skips. */
  public static Check migCapable(GpuConfig gpu, GpuCatalog catalog) {
    if (gpu.tenancyMode() != TenancyMode.MIG) {
      return Check.of(MIG_CAPABLE, Set.of(), snapshot -> CheckResult.skip(MIG_CAPABLE,
          "gpu.tenancy.mode is " + gpu.tenancyMode().id() + ", not mig"));
    }
    return Check.of(MIG_CAPABLE, Set.of(ResourceKind.NODES), snapshot -> {
      List<String> without = new ArrayList<>();
      int gpuNodes = 0;
      for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
        if (!GpuNodes.isGpuNode(node, catalog)) {
          continue;
        }
        gpuNodes++;
        Optional<GpuModel> product = GpuNodes.product(node, catalog);
        boolean capable = product.map(GpuModel::mig)
            .orElse(GpuNodes.label(node, "nvidia.com/mig.capable").filter("true"::equals).isPresent());
        if (!capable) {
          without.add(node.getMetadata().getName() + product.map(p -> " (" + p.name() + ")").orElse(""));
        }
      }
      if (gpuNodes == 0) {
        return CheckResult.warn(MIG_CAPABLE, "gpu.tenancy.mode is mig but there are no GPU nodes",
            "join MIG-capable GPU nodes" + offered(catalog, GpuModel::mig));
      }
      if (!without.isEmpty()) {
        return CheckResult.fail(MIG_CAPABLE, "gpu.tenancy.mode is mig but " + without.size() + " of "
            + Resources.count(gpuNodes, "GPU node has", "GPU nodes have") + " a GPU without MIG: "
            + Resources.names(without),
            "set gpu.tenancy.mode: time-slicing (or mps) for GPUs without MIG, or use MIG-capable GPUs"
                + offered(catalog, GpuModel::mig));
      }
      return CheckResult.pass(MIG_CAPABLE, "all " + Resources.count(gpuNodes, "GPU node", "GPU nodes")
          + " carry MIG-capable GPUs");
    });
  }

  private static CheckResult unknownMemory(List<String> unknown) {
    return CheckResult.warn(FIT, "the GPU memory of " + Resources.names(unknown) + " is unknown: no "
        + GpuNodes.GPU_MEMORY + " label and no known " + GpuNodes.GPU_PRODUCT + ", GKE accelerator or instance type",
        "let GPU feature discovery (part of the GPU Operator) label the nodes");
  }

  /**
   * What the catalog offers that satisfies {@code ok}, e.g. {@code " (GEX130: RTX 6000 Ada, 48 GiB)"}: the
   * substrate's offerings, else the catalog's models; empty when nothing does.
   */
  private static String offered(GpuCatalog catalog, java.util.function.Predicate<GpuModel> ok) {
    List<String> offerings = catalog.offerings().entrySet().stream().filter(e -> ok.test(e.getValue()))
        .map(e -> e.getKey() + ": " + e.getValue().name() + ", " + fmt(e.getValue().vramGib()) + " GiB")
        .collect(Collectors.toList());
    if (offerings.isEmpty()) {
      offerings = catalog.models().stream().filter(ok).map(m -> m.name() + ", " + fmt(m.vramGib()) + " GiB")
          .limit(4).collect(Collectors.toList());
    }
    return offerings.isEmpty() ? "" : " (" + String.join("; ", offerings) + ")";
  }

  private static String named(List<GpuConfig.Model> models) {
    return models.stream().map(m -> m.name() + " (" + fmt(m.vramGib()) + " GiB)").collect(Collectors.joining(", "));
  }

  private static GpuConfig.Model largest(List<GpuConfig.Model> models) {
    return models.stream().max(Comparator.comparingDouble(GpuConfig.Model::vramGib)).orElseThrow();
  }

  private static Optional<Double> mib(String value) {
    try {
      return Optional.of(Double.parseDouble(value.trim().toLowerCase(Locale.ROOT)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
