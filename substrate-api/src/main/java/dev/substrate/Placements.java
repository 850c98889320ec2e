package dev.substrate;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Matches a pod's needs (GPU resources, ReadWriteMany volumes) to the pools that can serve them. */
final class Placements {
  private static final String GPU_PREFIX = "nvidia.com/";

  private Placements() {}

  static List<Placement> of(Substrate cluster, Pod pod, Collection<PersistentVolumeClaim> claims,
      PoolAssignment assignment) {
    Map<String, BigDecimal> gpus = gpuRequests(pod);
    List<String> rwx = rwxVolumes(pod, claims);
    List<Placement> placements = new ArrayList<>();
    for (NodePool pool : cluster.pools()) {
      List<String> fits = new ArrayList<>();
      Optional<String> misfit = Optional.empty();
      for (Map.Entry<String, BigDecimal> gpu : gpus.entrySet()) {
        Optional<Node> node = assignment.nodes(pool.name()).stream()
            .filter(n -> allocatable(n, gpu.getKey()).compareTo(gpu.getValue()) >= 0).findFirst();
        Optional<Capability> grow = pool.substrate().capability(CapabilityIds.GPU_SCALE_TO_ZERO)
            .filter(c -> c.state() == CapabilityState.SUPPORTED);
        if (node.isPresent()) {
          fits.add(node.get().getMetadata().getName() + " has " + gpu.getKey() + " " + gpu.getValue().toPlainString());
        } else if (grow.isPresent()) {
          fits.add("no node has " + gpu.getKey() + " " + gpu.getValue().toPlainString() + " now, but the pool adds GPU"
              + " nodes on demand");
        } else if (misfit.isEmpty()) {
          misfit = Optional.of("no node in the pool has " + gpu.getValue().toPlainString() + " " + gpu.getKey()
              + " allocatable, and " + pool.substrate().capability(CapabilityIds.GPU_SCALE_TO_ZERO)
                  .map(c -> "it cannot add GPU nodes: " + c.reason()).orElse("it cannot add GPU nodes"));
        }
      }
      if (!rwx.isEmpty()) {
        Optional<Capability> storage = pool.substrate().capability(CapabilityIds.STORAGE_RWX);
        if (storage.map(c -> c.state() == CapabilityState.SUPPORTED).orElse(false)) {
          fits.add("its storage serves ReadWriteMany (" + String.join(", ", rwx) + ")");
        } else if (misfit.isEmpty()) {
          misfit = Optional.of(String.join(", ", rwx) + (rwx.size() == 1 ? " needs" : " need")
              + " ReadWriteMany, which " + pool.substrate().storage().id()
              + " does not serve" + storage.map(c -> ": " + c.reason()).orElse(""));
        }
      }
      placements.add(misfit.map(why -> Placement.of(pool.name(), false, why))
          .orElseGet(() -> Placement.of(pool.name(), true, fits.isEmpty() ? "needs no GPU and no ReadWriteMany volume"
              : String.join("; ", fits))));
    }
    return placements;
  }

  /** The most of each {@code nvidia.com/} resource one container (or the init containers, one at a time) needs. */
  private static Map<String, BigDecimal> gpuRequests(Pod pod) {
    Map<String, BigDecimal> needs = new TreeMap<>();
    if (pod.getSpec() == null) {
      return needs;
    }
    Stream.concat(pod.getSpec().getContainers().stream(), pod.getSpec().getInitContainers().stream())
        .map(Container::getResources).filter(r -> r != null)
        .flatMap(r -> Stream.of(r.getLimits(), r.getRequests()).filter(m -> m != null))
        .flatMap(m -> m.entrySet().stream())
        .filter(e -> e.getKey().startsWith(GPU_PREFIX))
        .forEach(e -> needs.merge(e.getKey(), e.getValue().getNumericalAmount(), BigDecimal::max));
    return needs;
  }

  private static BigDecimal allocatable(Node node, String resource) {
    Map<String, Quantity> allocatable = node.getStatus() == null ? null : node.getStatus().getAllocatable();
    Quantity q = allocatable == null ? null : allocatable.get(resource);
    return q == null ? BigDecimal.ZERO : q.getNumericalAmount();
  }

  /** The pod's volumes that need ReadWriteMany: claims of {@code claims} by name, or ephemeral volumes. */
  private static List<String> rwxVolumes(Pod pod, Collection<PersistentVolumeClaim> claims) {
    List<String> rwx = new ArrayList<>();
    if (pod.getSpec() == null) {
      return rwx;
    }
    for (Volume v : pod.getSpec().getVolumes()) {
      PersistentVolumeClaimSpec spec = null;
      if (v.getPersistentVolumeClaim() != null) {
        String name = v.getPersistentVolumeClaim().getClaimName();
        spec = claims.stream().filter(c -> name.equals(c.getMetadata().getName())).findFirst()
            .map(PersistentVolumeClaim::getSpec).orElse(null);
      } else if (v.getEphemeral() != null && v.getEphemeral().getVolumeClaimTemplate() != null) {
        spec = v.getEphemeral().getVolumeClaimTemplate().getSpec();
      }
      if (spec != null && spec.getAccessModes() != null && spec.getAccessModes().contains("ReadWriteMany")) {
        rwx.add("volume " + v.getName());
      }
    }
    return rwx;
  }
}
