package dev.substrate.hetzner.internal;

import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.Profile;
import dev.substrate.ResourceKind;
import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import dev.substrate.spi.checks.StorageChecks;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TopologySelectorTerm;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Doctor checks of the hcloud CSI driver and cloud-controller-manager. */
final class HcloudChecks {
  static final String ROBOT_NODES = "storage.hcloud.robot-nodes";
  static final String CCM = "lb.hcloud.ccm";
  static final String CCM_LOCATION = "lb.hcloud.default-location";
  static final String CCM_ROBOT = "lb.hcloud.robot";
  static final String ENV_LOCATION = "HCLOUD_LOAD_BALANCERS_LOCATION";
  static final String ENV_NETWORK_ZONE = "HCLOUD_LOAD_BALANCERS_NETWORK_ZONE";
  static final String ENV_ROBOT = "ROBOT_ENABLED";
  /** The hcloud CSI driver's switch for the provided-by topology (internal/app/app.go, parsed with strconv.ParseBool). */
  static final String ENV_PROVIDED_BY_TOPOLOGY = "ENABLE_PROVIDED_BY_TOPOLOGY";
  static final String CSI_DRIVER_CONTAINER = "hcloud-csi-driver";
  private static final Set<ResourceKind> CCM_READS = Set.of(ResourceKind.DEPLOYMENTS, ResourceKind.DAEMON_SETS);
  static final String SNAPSHOT_REMEDY = "hcloud volumes cannot be snapshotted: back up to object storage instead "
      + "(CNPG barman to S3-compatible storage such as Hetzner Object Storage, Velero with file-system backup), or "
      + "run a snapshot-capable storage layer (Longhorn, Rook-Ceph, LINSTOR) and make it the default class";

  private HcloudChecks() {}

  /** {@code storage.snapshots}: the shared check, whose failure on Hetzner gets the remedy that works here. */
  static Check snapshots(Profile profile) {
    Check shared = StorageChecks.snapshots(profile);
    return Check.of(shared.id(), shared.reads(), snapshot -> {
      CheckResult r = shared.run(snapshot);
      if (r.status() != CheckStatus.FAIL) {
        return r;
      }
      return CheckResult.fail(r.id(), r.finding() + "; the hcloud CSI driver (" + HcloudVolumesStorageProvider.PROVISIONER
          + ") has no snapshot capability", SNAPSHOT_REMEDY);
    });
  }

  /**
   * {@value #ROBOT_NODES}: hcloud volumes attach only to Cloud servers, and the scheduler still considers Robot nodes
   * for volume pods (which then stay Pending) unless the CSI driver runs with the provided-by topology: Robot nodes
   * labelled {@code instance.hetzner.cloud/provided-by=robot}, {@code ENABLE_PROVIDED_BY_TOPOLOGY} on the driver and
   * {@code allowedTopologies} {@code provided-by: cloud} on its StorageClasses (chart value
   * {@code global.enableProvidedByTopology}; hetznercloud/csi-driver
   * docs/kubernetes/explanation/integration-with-robot-servers.md, chart/templates/core/storageclass.yaml).
   */
  static Check robotNodes() {
    return Check.of(ROBOT_NODES, Set.of(ResourceKind.NODES, ResourceKind.STORAGE_CLASSES, ResourceKind.DEPLOYMENTS,
        ResourceKind.DAEMON_SETS), snapshot -> {
      List<String> unlabelled = new ArrayList<>();
      int robot = 0;
      for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
        if (!HetznerNodes.isRobot(node)) {
          continue;
        }
        robot++;
        if (HetznerNodes.label(node, HetznerNodes.PROVIDED_BY).filter("robot"::equals).isEmpty()) {
          unlabelled.add(node.getMetadata().getName());
        }
      }
      if (robot == 0) {
        return CheckResult.pass(ROBOT_NODES, "no Robot (dedicated) nodes, so every node can attach hcloud volumes");
      }
      String robots = Resources.count(robot, "Robot node", "Robot nodes");
      if (!unlabelled.isEmpty()) {
        return CheckResult.fail(ROBOT_NODES, unlabelled.size() + " of " + Resources.count(robot, "Robot node lacks",
            "Robot nodes lack") + " " + HetznerNodes.PROVIDED_BY + "=robot: " + Resources.names(unlabelled)
            + "; hcloud volumes cannot attach there, and the CSI driver's topology cannot tell them apart",
            "enable Robot support in the hcloud CCM (ROBOT_ENABLED=true), which labels them, or kubectl label node "
                + unlabelled.get(0) + " " + HetznerNodes.PROVIDED_BY + "=robot");
      }
      String remedy = "install the hcloud CSI chart with global.enableProvidedByTopology=true (it sets "
          + ENV_PROVIDED_BY_TOPOLOGY + " on the driver and allowedTopologies " + HetznerNodes.PROVIDED_BY
          + ": cloud on its StorageClasses; volumes created before keep no node affinity)";
      List<String> driversOff = new ArrayList<>();
      for (HetznerNodes.Controller c : HetznerNodes.controllers(snapshot)) {
        boolean runsDriver = c.pod().getContainers() != null && c.pod().getContainers().stream()
            .anyMatch(k -> CSI_DRIVER_CONTAINER.equals(k.getName()));
        if (runsDriver && !goTrue(HetznerNodes.env(c.pod(), Optional.of(CSI_DRIVER_CONTAINER))
            .get(ENV_PROVIDED_BY_TOPOLOGY))) {
          driversOff.add(c.describe());
        }
      }
      if (!driversOff.isEmpty()) {
        return CheckResult.fail(ROBOT_NODES, robots + " in the cluster, but the hcloud CSI driver in "
            + Resources.names(driversOff) + " runs without " + ENV_PROVIDED_BY_TOPOLOGY + ", so the scheduler may "
            + "put volume pods on Robot nodes, where they stay Pending", remedy);
      }
      List<String> open = new ArrayList<>();
      int classes = 0;
      for (StorageClass sc : snapshot.list(ResourceKind.STORAGE_CLASSES, StorageClass.class)) {
        if (!HcloudVolumesStorageProvider.PROVISIONER.equals(sc.getProvisioner())) {
          continue;
        }
        classes++;
        if (!cloudOnly(sc)) {
          open.add(sc.getMetadata().getName());
        }
      }
      if (!open.isEmpty()) {
        return CheckResult.fail(ROBOT_NODES, robots + " in the cluster, but StorageClass " + Resources.names(open)
            + " has no allowedTopologies " + HetznerNodes.PROVIDED_BY + ": cloud, so the scheduler may put volume "
            + "pods on Robot nodes, where they stay Pending", remedy);
      }
      if (classes == 0) {
        return CheckResult.pass(ROBOT_NODES, robots + " in the cluster and no StorageClass of "
            + HcloudVolumesStorageProvider.PROVISIONER + ", so no volume pod can land on them");
      }
      return CheckResult.pass(ROBOT_NODES, robots + " labelled " + HetznerNodes.PROVIDED_BY + "=robot, and "
          + Resources.count(classes, "hcloud StorageClass allows", "hcloud StorageClasses allow") + " only "
          + HetznerNodes.PROVIDED_BY + "=cloud, so volume pods avoid them");
    });
  }

  /** Whether every term of {@code sc}'s allowedTopologies requires {@code provided-by} in {@code [cloud]}. */
  private static boolean cloudOnly(StorageClass sc) {
    if (sc.getAllowedTopologies() == null || sc.getAllowedTopologies().isEmpty()) {
      return false;
    }
    for (TopologySelectorTerm term : sc.getAllowedTopologies()) {
      boolean restricted = term.getMatchLabelExpressions() != null && term.getMatchLabelExpressions().stream()
          .anyMatch(e -> HetznerNodes.PROVIDED_BY.equals(e.getKey()) && e.getValues() != null
              && e.getValues().equals(List.of("cloud")));
      if (!restricted) {
        return false;
      }
    }
    return true;
  }

  /** Go's {@code strconv.ParseBool} truths, as the CSI driver reads its switch. */
  static boolean goTrue(String value) {
    return value != null && Set.of("1", "t", "T", "TRUE", "true", "True").contains(value);
  }

  /** {@value #CCM}: the hcloud cloud-controller-manager's Deployment or DaemonSet exists and has ready pods. */
  static Check ccm() {
    return Check.of(CCM, CCM_READS, snapshot -> {
      Optional<HetznerNodes.Controller> ccm = HetznerNodes.ccm(snapshot);
      if (ccm.isEmpty()) {
        return CheckResult.fail(CCM, "the hcloud cloud-controller-manager is not installed (no Deployment or "
            + "DaemonSet " + HetznerNodes.CCM_NAMESPACE + "/" + HetznerNodes.CCM_NAME + "), so no LoadBalancer Service "
            + "gets an address and new nodes stay uninitialized", "helm install hccm hcloud/hcloud-cloud-controller-manager "
            + "-n kube-system with the Secret hcloud (token) and, for Robot servers, robot.enabled=true");
      }
      HetznerNodes.Controller c = ccm.get();
      if (c.ready() == 0) {
        return CheckResult.fail(CCM, "the hcloud cloud-controller-manager " + c.describe() + " has no ready "
            + "pod (0 of " + c.desired() + ")", "kubectl -n " + c.workload().getMetadata().getNamespace()
            + " logs " + c.kubectlRef() + " (an invalid token is the usual cause)");
      }
      return CheckResult.pass(CCM, "the hcloud cloud-controller-manager " + c.describe() + " runs (" + c.ready()
          + " of " + c.desired() + " ready)");
    });
  }

  /**
   * {@value #CCM_LOCATION}: the CCM has a default location or network zone, or every {@code LoadBalancer} Service
   * names one; otherwise the CCM refuses to create the load balancer.
   */
  static Check defaultLocation(Optional<String> configured) {
    return Check.of(CCM_LOCATION, Set.of(ResourceKind.DEPLOYMENTS, ResourceKind.DAEMON_SETS, ResourceKind.SERVICES),
        snapshot -> {
      Optional<HetznerNodes.Controller> ccm = HetznerNodes.ccm(snapshot);
      if (ccm.isEmpty()) {
        return CheckResult.skip(CCM_LOCATION, "no hcloud cloud-controller-manager (see " + CCM + ")");
      }
      Map<String, String> env = HetznerNodes.env(ccm.get());
      for (String key : List.of(ENV_LOCATION, ENV_NETWORK_ZONE)) {
        String value = env.get(key);
        if (value != null && !value.isBlank()) {
          return CheckResult.pass(CCM_LOCATION, "the CCM creates load balancers in " + key + "=" + value
              + " unless a Service names another");
        }
      }
      List<String> all = new ArrayList<>();
      List<String> unnamed = new ArrayList<>();
      for (Service s : snapshot.list(ResourceKind.SERVICES, Service.class)) {
        if (s.getSpec() == null || !"LoadBalancer".equals(s.getSpec().getType())) {
          continue;
        }
        all.add(Resources.ref(s));
        boolean names = Resources.annotation(s, HcloudLoadBalancerProvider.PREFIX + "location").filter(v -> !v.isBlank())
            .or(() -> Resources.annotation(s, HcloudLoadBalancerProvider.PREFIX + "network-zone")
                .filter(v -> !v.isBlank())).isPresent();
        if (!names) {
          unnamed.add(Resources.ref(s));
        }
      }
      String remedy = "set " + ENV_LOCATION + " (e.g. fsn1) or " + ENV_NETWORK_ZONE + " (e.g. eu-central) on the CCM "
          + "(Helm: env." + ENV_LOCATION + ".value), or annotate each LoadBalancer Service with "
          + HcloudLoadBalancerProvider.PREFIX + "location (or " + HcloudLoadBalancerProvider.PREFIX + "network-zone)"
          + configured.map(l -> " (load_balancer.location " + l + " renders it)").orElse("");
      if (all.isEmpty()) {
        return CheckResult.fail(CCM_LOCATION, "the CCM has neither " + ENV_LOCATION + " nor " + ENV_NETWORK_ZONE
            + ", so it will refuse to create a load balancer for any LoadBalancer Service that names no location",
            remedy);
      }
      if (!unnamed.isEmpty()) {
        return CheckResult.fail(CCM_LOCATION, "the CCM has no default location or network zone and "
            + unnamed.size() + " of " + Resources.count(all.size(), "LoadBalancer Service names", "LoadBalancer "
            + "Services name") + " none: " + Resources.names(unnamed) + "; the CCM refuses to create their load "
            + "balancers", remedy);
      }
      return CheckResult.pass(CCM_LOCATION, "the CCM has no default location, but "
          + Resources.count(all.size(), "LoadBalancer Service names", "every one of the " + all.size()
              + " LoadBalancer Services names") + " a location or network zone");
    });
  }

  /** {@value #CCM_ROBOT}: with Robot nodes in the cluster, the CCM has {@code ROBOT_ENABLED=true}. */
  static Check robotSupport() {
    return Check.of(CCM_ROBOT, Set.of(ResourceKind.NODES, ResourceKind.DEPLOYMENTS, ResourceKind.DAEMON_SETS),
        snapshot -> {
      List<String> robot = new ArrayList<>();
      for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
        if (HetznerNodes.isRobot(node)) {
          robot.add(node.getMetadata().getName());
        }
      }
      if (robot.isEmpty()) {
        return CheckResult.pass(CCM_ROBOT, "no Robot (dedicated) nodes, so the CCM needs no Robot support");
      }
      Optional<HetznerNodes.Controller> ccm = HetznerNodes.ccm(snapshot);
      if (ccm.isEmpty()) {
        return CheckResult.skip(CCM_ROBOT, "no hcloud cloud-controller-manager (see " + CCM + ")");
      }
      String enabled = HetznerNodes.env(ccm.get()).getOrDefault(ENV_ROBOT, "");
      if (enabled.equalsIgnoreCase("true") || enabled.startsWith("<from")) {
        return CheckResult.pass(CCM_ROBOT, "the CCM has Robot support (" + ENV_ROBOT + "=" + enabled + ") for "
            + Resources.count(robot.size(), "Robot node", "Robot nodes"));
      }
      return CheckResult.fail(CCM_ROBOT, Resources.count(robot.size(), "Robot node is", "Robot nodes are")
          + " in the cluster (" + Resources.names(robot) + ") but the CCM has " + ENV_ROBOT + "="
          + (enabled.isEmpty() ? "<unset>" : enabled) + ", so they get no labels or addresses and are no load "
          + "balancer targets", "set " + ENV_ROBOT + "=true with ROBOT_USER and ROBOT_PASSWORD on the CCM (Helm: "
          + "robot.enabled=true)");
    });
  }
}
