package dev.substrate.hetzner;

import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.Report;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.testkit.EmbeddedCluster;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
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

  static Service lbService(String name, Map<String, String> annotations, String ip) {
    ServiceBuilder b = new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default")
        .withAnnotations(annotations).endMetadata().withNewSpec().withType("LoadBalancer").endSpec();
    if (ip != null) {
      b.withNewStatus().withNewLoadBalancer().addNewIngress().withIp(ip).endIngress().endLoadBalancer().endStatus();
    }
    return b.build();
  }

  static ClusterSnapshot snapshot(List<Node> nodes, List<Deployment> deployments, List<Service> services) {
    return ClusterSnapshot.builder().addObjects(ResourceKind.NODES, nodes)
        .addObjects(ResourceKind.DEPLOYMENTS, deployments).addObjects(ResourceKind.SERVICES, services).build();
  }

  /** Runs the check {@code id} of {@code substrate} on {@code snapshot}, seen only through what it declares. */
  static CheckResult run(Substrate substrate, String id, ClusterSnapshot snapshot) {
    var check = substrate.checks().stream().filter(c -> c.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + id));
    return check.run(snapshot.restrictedTo(check.reads(), id));
  }
}
