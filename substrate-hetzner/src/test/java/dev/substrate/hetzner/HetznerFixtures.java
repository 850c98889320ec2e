package dev.substrate.hetzner;

import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.DeclaredReads;
import dev.substrate.Report;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.kubefake.EmbeddedCluster;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.TopologySelectorTermBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Hand-made Hetzner nodes, CCM Deployments and Services for checks over {@link ClusterSnapshot#builder()}. */
final class HetznerFixtures {
  private HetznerFixtures() {}

  /** The workload identity pool provider of the embedded Hetzner cluster's ClusterSecretStore. */
  static final String WIF = "wif: {audience: //iam.googleapis.com/projects/123456789012/locations/global/"
      + "workloadIdentityPools/hetzner/providers/k3s-oidc}\n";

  /**
   * The {@code wif:} section of a Hetzner cluster as k3s runs it: a private issuer whose JWKS was uploaded to the pool
   * provider, here the embedded cluster's.
   */
  static String wifWithUploadedJwks(EmbeddedCluster cluster, Path dir) throws IOException {
    Path jwks = Files.writeString(dir.resolve("jwks.json"), cluster.client().raw("/openid/v1/jwks"));
    return WIF.replace("}\n", ", published_jwks: '" + jwks + "'}\n");
  }

  /**
   * The hetzner substrate with {@code yaml}, plus the embedded cluster's {@code wif:} section unless it has one;
   * without a {@code hetzner:} section, no Hetzner Cloud token is found.
   */
  static Substrate hetzner(String yaml) {
    String noToken = yaml.contains("hetzner:") ? "" : "hetzner: {token_env: SUBSTRATE_TEST_NO_HCLOUD_TOKEN}\n";
    String wif = yaml.contains("wif:") ? "" : WIF;
    return Substrates.create(SubstrateConfig.parse("substrate: {id: hetzner}\n" + noToken + wif + yaml));
  }

  static Map<String, CheckResult> byId(Report report) {
    return report.results().stream().collect(Collectors.toMap(CheckResult::id, r -> r));
  }

  static Node cloudNode(String name, long id) {
    return new NodeBuilder().withNewMetadata().withName(name)
        .withLabels(Map.of("instance.hetzner.cloud/provided-by", "cloud", "node.kubernetes.io/instance-type", "cpx41"))
        .endMetadata().withNewSpec().withProviderID("hcloud://" + id).endSpec().build();
  }

  /** A Robot GPU server; {@code labels} replace the default Robot label set when given. */
  static Node robotNode(String name, long number, String type, Map<String, String> labels) {
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withProviderID("hrobot://" + number).endSpec().build();
  }

  static Node gex44(String name, long number) {
    return robotNode(name, number, "GEX44", Map.of("instance.hetzner.cloud/provided-by", "robot",
        "node.kubernetes.io/instance-type", "GEX44", "nvidia.com/gpu.present", "true",
        "nvidia.com/gpu.product", "NVIDIA-RTX-4000-SFF-Ada-Generation", "nvidia.com/gpu.memory", "20475"));
  }

  static Node gex130(String name, long number) {
    return robotNode(name, number, "GEX130", Map.of("instance.hetzner.cloud/provided-by", "robot",
        "node.kubernetes.io/instance-type", "GEX130", "nvidia.com/gpu.present", "true"));
  }

  static Deployment ccm(int ready, Map<String, String> env) {
    List<EnvVar> vars = new ArrayList<>();
    env.forEach((k, v) -> vars.add(new EnvVar(k, v, null)));
    return new DeploymentBuilder().withNewMetadata().withName("hcloud-cloud-controller-manager")
        .withNamespace("kube-system").endMetadata()
        .withNewSpec().withReplicas(1).withNewTemplate().withNewSpec().addNewContainer()
        .withName("hcloud-cloud-controller-manager").withEnv(vars).endContainer().endSpec().endTemplate().endSpec()
        .withNewStatus().withReadyReplicas(ready).endStatus().build();
  }

  /** The CCM as the chart renders it with {@code kind: DaemonSet}. */
  static DaemonSet ccmDaemonSet(int ready, Map<String, String> env) {
    List<EnvVar> vars = new ArrayList<>();
    env.forEach((k, v) -> vars.add(new EnvVar(k, v, null)));
    return new DaemonSetBuilder().withNewMetadata().withName("hcloud-cloud-controller-manager")
        .withNamespace("kube-system").endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec().addNewContainer()
        .withName("hcloud-cloud-controller-manager").withEnv(vars).endContainer().endSpec().endTemplate().endSpec()
        .withNewStatus().withDesiredNumberScheduled(3).withNumberReady(ready).endStatus().build();
  }

  /** The hcloud CSI node DaemonSet; {@code topology} sets ENABLE_PROVIDED_BY_TOPOLOGY as the chart does. */
  static DaemonSet csiNode(boolean topology) {
    List<EnvVar> vars = new ArrayList<>(List.of(new EnvVar("CSI_ENDPOINT", "unix:///run/csi/socket", null)));
    if (topology) {
      vars.add(new EnvVar("ENABLE_PROVIDED_BY_TOPOLOGY", "t", null));
    }
    return new DaemonSetBuilder().withNewMetadata().withName("hcloud-csi-node").withNamespace("kube-system")
        .endMetadata().withNewSpec().withNewTemplate().withNewSpec()
        .addNewContainer().withName("csi-node-driver-registrar").endContainer()
        .addNewContainer().withName("hcloud-csi-driver").withEnv(vars).endContainer().endSpec().endTemplate().endSpec()
        .build();
  }

  /** The chart's {@code hcloud-volumes} class; {@code cloudOnly} adds its allowedTopologies provided-by: cloud. */
  static StorageClass hcloudVolumes(boolean cloudOnly) {
    StorageClassBuilder b = new StorageClassBuilder().withNewMetadata().withName("hcloud-volumes").endMetadata()
        .withProvisioner("csi.hetzner.cloud").withVolumeBindingMode("WaitForFirstConsumer");
    if (cloudOnly) {
      b.addToAllowedTopologies(new TopologySelectorTermBuilder().addNewMatchLabelExpression()
          .withKey("instance.hetzner.cloud/provided-by").withValues("cloud").endMatchLabelExpression().build());
    }
    return b.build();
  }

  static Service lbService(String name, Map<String, String> annotations, String ip) {
    ServiceBuilder b = new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default")
        .withAnnotations(annotations).endMetadata().withNewSpec().withType("LoadBalancer").endSpec();
    if (ip != null) {
      b.withNewStatus().withNewLoadBalancer().addNewIngress().withIp(ip).endIngress().endLoadBalancer().endStatus();
    }
    return b.build();
  }

  static ClusterSnapshot snapshot(List<Node> nodes, List<Deployment> deployments, List<Service> services) {
    return snapshot(nodes, deployments, List.of(), List.of(), services);
  }

  static ClusterSnapshot snapshot(List<Node> nodes, List<Deployment> deployments, List<DaemonSet> daemonSets,
      List<StorageClass> classes, List<Service> services) {
    return ClusterSnapshot.builder().addObjects(ResourceKind.NODES, nodes)
        .addObjects(ResourceKind.DEPLOYMENTS, deployments).addObjects(ResourceKind.DAEMON_SETS, daemonSets)
        .addObjects(ResourceKind.STORAGE_CLASSES, classes).addObjects(ResourceKind.SERVICES, services).build();
  }

  /** Runs the check {@code id} of {@code substrate} on {@code snapshot}, seen only through what it declares. */
  static CheckResult run(Substrate substrate, String id, ClusterSnapshot snapshot) {
    var check = substrate.checks().stream().filter(c -> c.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + id));
    return DeclaredReads.run(check, snapshot);
  }
}
