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
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
   * {@value #ROBOT_NODES}: dedicated (Robot) nodes carry {@code instance.hetzner.cloud/provided-by=robot}, so the
   * hcloud CSI node plugin and volume pods stay off them (Hetzner volumes attach only to Cloud servers).
   */
  static Check robotNodes() {
    return Check.of(ROBOT_NODES, Set.of(ResourceKind.NODES), snapshot -> {
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
      if (!unlabelled.isEmpty()) {
        return CheckResult.fail(ROBOT_NODES, unlabelled.size() + " of " + Resources.count(robot, "Robot node lacks",
            "Robot nodes lack") + " " + HetznerNodes.PROVIDED_BY + "=robot: " + Resources.names(unlabelled)
            + "; hcloud volumes cannot attach there, yet volume pods may be scheduled there",
            "enable Robot support in the hcloud CCM (ROBOT_ENABLED=true), which labels them, or kubectl label node "
                + unlabelled.get(0) + " " + HetznerNodes.PROVIDED_BY + "=robot");
      }
      return CheckResult.pass(ROBOT_NODES, Resources.count(robot, "Robot node carries", "Robot nodes carry") + " "
          + HetznerNodes.PROVIDED_BY + "=robot, so volume pods avoid them");
    });
  }

  /** {@value #CCM}: the hcloud cloud-controller-manager's Deployment exists and has ready replicas. */
  static Check ccm() {
    return Check.of(CCM, Set.of(ResourceKind.DEPLOYMENTS), snapshot -> {
      Optional<Deployment> ccm = HetznerNodes.ccm(snapshot.list(ResourceKind.DEPLOYMENTS, Deployment.class));
      if (ccm.isEmpty()) {
        return CheckResult.fail(CCM, "the hcloud cloud-controller-manager is not installed (no Deployment "
            + HetznerNodes.CCM_NAMESPACE + "/" + HetznerNodes.CCM_NAME + "), so no LoadBalancer Service gets an "
            + "address and new nodes stay uninitialized", "helm install hccm hcloud/hcloud-cloud-controller-manager "
            + "-n kube-system with the Secret hcloud (token) and, for Robot servers, robot.enabled=true");
      }
      Deployment d = ccm.get();
      int ready = HetznerNodes.readyReplicas(d);
      if (ready == 0) {
        return CheckResult.fail(CCM, "the hcloud cloud-controller-manager " + Resources.ref(d) + " has no ready "
            + "replica (0 of " + HetznerNodes.desiredReplicas(d) + ")", "kubectl -n " + d.getMetadata().getNamespace()
            + " logs deploy/" + d.getMetadata().getName() + " (an invalid token is the usual cause)");
      }
      return CheckResult.pass(CCM, "the hcloud cloud-controller-manager " + Resources.ref(d) + " runs (" + ready
          + " of " + HetznerNodes.desiredReplicas(d) + " ready)");
    });
  }

  /**
   * {@value #CCM_LOCATION}: the CCM has a default location or network zone, or every {@code LoadBalancer} Service
   * names one; otherwise the CCM refuses to create the load balancer.
   */
  static Check defaultLocation(Optional<String> configured) {
    return Check.of(CCM_LOCATION, Set.of(ResourceKind.DEPLOYMENTS, ResourceKind.SERVICES), snapshot -> {
      Optional<Deployment> ccm = HetznerNodes.ccm(snapshot.list(ResourceKind.DEPLOYMENTS, Deployment.class));
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
    return Check.of(CCM_ROBOT, Set.of(ResourceKind.NODES, ResourceKind.DEPLOYMENTS), snapshot -> {
      List<String> robot = new ArrayList<>();
      for (Node node : snapshot.list(ResourceKind.NODES, Node.class)) {
        if (HetznerNodes.isRobot(node)) {
          robot.add(node.getMetadata().getName());
        }
      }
      if (robot.isEmpty()) {
        return CheckResult.pass(CCM_ROBOT, "no Robot (dedicated) nodes, so the CCM needs no Robot support");
      }
      Optional<Deployment> ccm = HetznerNodes.ccm(snapshot.list(ResourceKind.DEPLOYMENTS, Deployment.class));
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
