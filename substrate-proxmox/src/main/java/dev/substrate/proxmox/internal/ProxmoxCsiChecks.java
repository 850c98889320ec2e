package dev.substrate.proxmox.internal;

import dev.substrate.CheckResult;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Doctor checks of the Proxmox CSI plugin and of the node labels it places volumes by. */
final class ProxmoxCsiChecks {
  static final String CSI_DRIVER = "storage.proxmox.csi-driver";
  static final String TOPOLOGY = "storage.proxmox.topology";
  static final ResourceKind CSI_DRIVERS = ResourceKind.of("storage.k8s.io", "v1", "CSIDriver", "csidrivers", false);

  private ProxmoxCsiChecks() {}

  /**
   * {@value #CSI_DRIVER}: the CSIDriver {@code csi.proxmox.sinextra.dev} exists (the chart's templates/csidriver.yaml)
   * and the plugin's controller Deployment ({@code proxmox-csi-plugin-controller}, by name or by the chart's labels
   * {@code app.kubernetes.io/name: proxmox-csi-plugin}, {@code app.kubernetes.io/component: controller}) has a ready
   * replica: it creates and attaches the disks through the Proxmox API.
   */
  static Check csiDriver() {
    return Check.of(CSI_DRIVER, Set.of(CSI_DRIVERS, ResourceKind.DEPLOYMENTS), snapshot -> {
      boolean registered = snapshot.list(CSI_DRIVERS).stream()
          .anyMatch(d -> Proxmox.CSI_DRIVER.equals(d.getMetadata().getName()));
      if (!registered) {
        return CheckResult.fail(CSI_DRIVER, "the Proxmox CSI plugin is not installed (no CSIDriver "
            + Proxmox.CSI_DRIVER + "), so volumes of its StorageClasses stay Pending", "install it: "
            + Proxmox.installCsi());
      }
      GenericKubernetesResource controller = null;
      for (GenericKubernetesResource d : snapshot.list(ResourceKind.DEPLOYMENTS)) {
        if (isController(d) && (controller == null
            || Proxmox.CSI_NAMESPACE.equals(d.getMetadata().getNamespace()))) {
          controller = d;
        }
      }
      if (controller == null) {
        return CheckResult.fail(CSI_DRIVER, "CSIDriver " + Proxmox.CSI_DRIVER + " exists but no controller Deployment "
            + Proxmox.CSI_CONTROLLER + " runs, so no disk is created or attached", "install the plugin's controller: "
            + Proxmox.installCsi());
      }
      long ready = number(controller, "readyReplicas");
      long desired = Resources.at(controller, "spec", "replicas").filter(v -> v instanceof Number)
          .map(v -> ((Number) v).longValue()).orElse(1L);
      if (ready == 0) {
        return CheckResult.fail(CSI_DRIVER, "Deployment " + Resources.ref(controller) + " has no ready replica (0 of "
            + desired + "), so no disk is created or attached", "kubectl -n " + controller.getMetadata().getNamespace()
            + " logs deploy/" + controller.getMetadata().getName() + " -c proxmox-csi-plugin-controller (a wrong url, "
            + "token_id or token_secret in the plugin's config.clusters is the usual cause)");
      }
      return CheckResult.pass(CSI_DRIVER, "the Proxmox CSI plugin is installed: CSIDriver " + Proxmox.CSI_DRIVER
          + ", Deployment " + Resources.ref(controller) + " (" + ready + " of " + desired + " replicas ready)");
    });
  }

  private static boolean isController(GenericKubernetesResource d) {
    String name = d.getMetadata().getName();
    boolean labelled = Resources.label(d, "app.kubernetes.io/name").filter(Proxmox.CSI_NAME::equals).isPresent()
        && Resources.label(d, "app.kubernetes.io/component").filter("controller"::equals).isPresent();
    return labelled || (name != null && name.endsWith(Proxmox.CSI_CONTROLLER));
  }

  private static long number(GenericKubernetesResource r, String field) {
    return Resources.at(r, "status", field).filter(v -> v instanceof Number).map(v -> ((Number) v).longValue())
        .orElse(0L);
  }

  /**
   * {@value #TOPOLOGY}: every node carries the region and zone the plugin places volumes by (region: {@code
   * topology.proxmox.sinextra.dev/region} or {@code topology.kubernetes.io/region}; zone, the PVE host: {@code
   * topology.proxmox.sinextra.dev/node} or {@code topology.kubernetes.io/zone}); without both its node service does
   * not register the node. With {@code proxmox.region}, the nodes are in that region.
   */
  static Check topology(ProxmoxSettings settings) {
    return Check.of(TOPOLOGY, Set.of(ResourceKind.NODES), snapshot -> {
      List<Node> nodes = snapshot.list(ResourceKind.NODES, Node.class);
      if (nodes.isEmpty()) {
        return CheckResult.skip(TOPOLOGY, "no nodes to check");
      }
      List<String> unlabelled = new ArrayList<>();
      List<String> elsewhere = new ArrayList<>();
      Set<String> regions = new TreeSet<>();
      Set<String> zones = new TreeSet<>();
      for (Node node : nodes) {
        Map<String, String> labels = Optional.ofNullable(node.getMetadata().getLabels()).orElse(Map.of());
        Optional<String> region = first(labels, Proxmox.PROXMOX_REGION_LABEL, Proxmox.REGION_LABEL);
        Optional<String> zone = first(labels, Proxmox.CSI_NODE_LABEL, Proxmox.ZONE_LABEL);
        String name = node.getMetadata().getName();
        if (region.isEmpty() || zone.isEmpty()) {
          unlabelled.add(name + " (no " + (region.isEmpty() ? "region" + (zone.isEmpty() ? " or zone" : "") : "zone")
              + ")");
          continue;
        }
        regions.add(region.get());
        zones.add(zone.get());
        if (settings.region().isPresent() && !settings.region().get().equals(region.get())) {
          elsewhere.add(name + " (" + region.get() + ")");
        }
      }
      if (!unlabelled.isEmpty()) {
        return CheckResult.fail(TOPOLOGY, Resources.count(unlabelled.size(), "node lacks", "nodes lack")
            + " the topology labels the Proxmox CSI plugin places volumes by (" + Proxmox.REGION_LABEL + " and "
            + Proxmox.ZONE_LABEL + "): " + Resources.names(unlabelled) + "; its node service does not register them, "
            + "so their volumes never attach",
            "install the Proxmox cloud-controller-manager, which labels every node with its Proxmox region and host "
                + "(helm upgrade -i -n kube-system -f proxmox-ccm.yaml " + Proxmox.CCM_NAME + " " + Proxmox.CCM_CHART
                + "), or label each node by hand: kubectl label node NODE " + Proxmox.REGION_LABEL + "="
                + settings.region().orElse("REGION") + " " + Proxmox.ZONE_LABEL + "=PVE_HOST");
      }
      if (!elsewhere.isEmpty()) {
        return CheckResult.fail(TOPOLOGY, Resources.count(elsewhere.size(), "node is", "nodes are") + " not in "
            + "proxmox.region " + settings.region().get() + ": " + Resources.names(elsewhere) + ", so StorageClass "
            + ProxmoxCsiStorage.DEFAULT_CLASS + ", restricted to that region, places no volume there",
            "set proxmox.region to the region the Proxmox CCM and CSI cloud config name (clusters[].region), or fix "
                + "the region there");
      }
      return CheckResult.pass(TOPOLOGY, Resources.count(nodes.size(), "node carries", "nodes carry")
          + " a Proxmox region and zone: " + (regions.size() == 1 ? "region " : "regions ") + String.join(", ", regions)
          + ", " + Resources.count(zones.size(), "PVE host", "PVE hosts") + " (" + String.join(", ", zones) + ")");
    });
  }

  private static Optional<String> first(Map<String, String> labels, String key, String otherwise) {
    String v = labels.get(key);
    if (v == null || v.isBlank()) {
      v = labels.get(otherwise);
    }
    return Optional.ofNullable(v).filter(s -> !s.isBlank());
  }
}
