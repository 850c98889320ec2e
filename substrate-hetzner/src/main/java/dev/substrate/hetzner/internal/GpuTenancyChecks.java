package dev.substrate.hetzner.internal;

import static dev.substrate.hetzner.internal.HetznerGpus.fmt;

import dev.substrate.CheckResult;
import dev.substrate.GpuConfig;
import dev.substrate.GpuConfig.TenancyMode;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import dev.substrate.spi.gpu.GpuModel;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks that what {@code gpu.tenancy} asks for fits the GPUs the nodes carry. */
final class GpuTenancyChecks {
  static final String FIT = "gpu.tenancy.fit";
  static final String MIG_CAPABLE = "gpu.tenancy.mig-capable";

  private GpuTenancyChecks() {}

  /**
   * {@value #FIT}: under time-slicing every model of {@code gpu.tenancy.models} may land on the same GPU, and nothing
   * isolates their memory, so together they must fit each GPU node's VRAM; under MPS each model must fit one
   * replica's equal share. Other modes, or no models, skip.
   */
  static Check fit(GpuConfig gpu) {
    TenancyMode mode = gpu.tenancyMode();
    List<GpuConfig.Model> models = gpu.tenancyModels();
    if ((mode != TenancyMode.TIME_SLICING && mode != TenancyMode.MPS) || models.isEmpty()) {
      return Check.of(FIT, Set.of(), snapshot -> CheckResult.skip(FIT, "gpu.tenancy.mode is " + mode.id()
          + (models.isEmpty() ? " with no gpu.tenancy.models" : "") + ", so no models share a GPU's memory"));
    }
    double sum = models.stream().mapToDouble(GpuConfig.Model::vramGib).sum();
    String named = models.stream().map(m -> m.name() + " (" + fmt(m.vramGib()) + " GiB)")
        .collect(Collectors.joining(", "));
    GpuConfig.Model largest = models.stream().max((a, b) -> Double.compare(a.vramGib(), b.vramGib())).orElseThrow();
    int replicas = Math.max(1, gpu.tenancyReplicas());
    return Check.of(FIT, Set.of(ResourceKind.NODES), snapshot -> {
      List<String> tooSmall = new ArrayList<>();
      List<String> unknown = new ArrayList<>();
      int gpuNodes = 0;
      double smallest = Double.MAX_VALUE;
      for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
        if (!HetznerNodes.isGpuNode(node)) {
          continue;
        }
        gpuNodes++;
        String name = node.getMetadata().getName();
        Optional<Map.Entry<Double, String>> vram = HetznerNodes.vramGib(node);
        if (vram.isEmpty()) {
          unknown.add(name);
          continue;
        }
        double gib = vram.get().getKey();
        smallest = Math.min(smallest, gib);
        double need = mode == TenancyMode.TIME_SLICING ? sum : largest.vramGib();
        double have = mode == TenancyMode.TIME_SLICING ? gib : gib / replicas;
        if (need > have) {
          tooSmall.add(name + " has " + fmt(gib) + " GiB (" + vram.get().getValue() + ")");
        }
      }
      if (gpuNodes == 0) {
        return CheckResult.warn(FIT, "gpu.tenancy.models lists " + named + " but there are no GPU nodes to fit",
            "join the GPU servers (GEX44, GEX130) to the cluster");
      }
      if (!tooSmall.isEmpty()) {
        String finding = mode == TenancyMode.TIME_SLICING
            ? "the models time-sliced onto one GPU, " + named + ", need " + fmt(sum) + " GiB together, more than "
            : "under MPS each of " + replicas + " replicas gets an equal share of GPU memory, and " + largest.name()
                + " needs " + fmt(largest.vramGib()) + " GiB, more than a share on ";
        return CheckResult.fail(FIT, finding + Resources.count(tooSmall.size(), "GPU node", "GPU nodes") + ": "
            + Resources.names(tooSmall) + "; time-slicing does not isolate memory, so they would run out of it",
            "list fewer or smaller (quantised) models in gpu.tenancy.models, lower gpu.tenancy.replicas, or pin "
                + "them to larger GPUs (GEX130: 48 GiB) with a nodeSelector");
      }
      if (!unknown.isEmpty()) {
        return CheckResult.warn(FIT, "the GPU memory of " + Resources.names(unknown) + " is unknown: no "
            + HetznerNodes.GPU_MEMORY + " label and no known " + HetznerNodes.GPU_PRODUCT + " or server type",
            "let GPU feature discovery (part of the GPU Operator) label the nodes");
      }
      return CheckResult.pass(FIT, (mode == TenancyMode.TIME_SLICING ? "the time-sliced models need " + fmt(sum)
          + " GiB together" : "the largest MPS model needs " + fmt(largest.vramGib()) + " GiB of a 1/" + replicas
          + " share") + "; the smallest of " + Resources.count(gpuNodes, "GPU node", "GPU nodes") + " has "
          + fmt(smallest) + " GiB");
    });
  }

  /** {@value #MIG_CAPABLE}: with {@code gpu.tenancy.mode: mig}, every GPU node's GPU supports MIG; else skips. */
  static Check migCapable(GpuConfig gpu) {
    if (gpu.tenancyMode() != TenancyMode.MIG) {
      return Check.of(MIG_CAPABLE, Set.of(), snapshot -> CheckResult.skip(MIG_CAPABLE,
          "gpu.tenancy.mode is " + gpu.tenancyMode().id() + ", not mig"));
    }
    return Check.of(MIG_CAPABLE, Set.of(ResourceKind.NODES), snapshot -> {
      List<String> without = new ArrayList<>();
      int gpuNodes = 0;
      for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
        if (!HetznerNodes.isGpuNode(node)) {
          continue;
        }
        gpuNodes++;
        Optional<GpuModel> product = HetznerNodes.product(node);
        boolean capable = product.map(GpuModel::mig)
            .orElse(HetznerNodes.label(node, "nvidia.com/mig.capable").filter("true"::equals).isPresent());
        if (!capable) {
          without.add(node.getMetadata().getName() + product.map(p -> " (" + p.name() + ")").orElse(""));
        }
      }
      if (gpuNodes == 0) {
        return CheckResult.warn(MIG_CAPABLE, "gpu.tenancy.mode is mig but there are no GPU nodes",
            "join MIG-capable GPU servers (GEX131, RTX PRO 6000 Blackwell)");
      }
      if (!without.isEmpty()) {
        return CheckResult.fail(MIG_CAPABLE, "gpu.tenancy.mode is mig but " + without.size() + " of "
            + Resources.count(gpuNodes, "GPU node has", "GPU nodes have") + " a GPU without MIG: "
            + Resources.names(without),
            "set gpu.tenancy.mode: time-slicing (or mps) for Ada GPUs, or use GEX131 servers for MIG");
      }
      return CheckResult.pass(MIG_CAPABLE, "all " + Resources.count(gpuNodes, "GPU node", "GPU nodes")
          + " carry MIG-capable GPUs");
    });
  }
}
