package dev.substrate.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.CheckResult;
import dev.substrate.ClusterSnapshot;
import dev.substrate.DeclaredReads;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.spi.Check;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** AWS configs, EKS-shaped nodes, and running one check the way doctor does. */
final class AwsFixtures {
  /** The cluster section of an EKS config: the region is cluster.location. */
  static final String CLUSTER = "substrate: {id: aws}\ncluster: {name: prod, location: eu-west-1}\n";
  /** What the tests add to the defaults of the secret backend, aws-secrets-manager with IRSA: nothing. */
  static final String BACKEND = "";

  private AwsFixtures() {}

  static Substrate aws(String yaml) {
    return Substrates.create(SubstrateConfig.parse(CLUSTER + BACKEND + yaml));
  }

  static Check check(Substrate substrate, String id) {
    return substrate.checks().stream().filter(c -> c.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + id + " in " + substrate.checks()));
  }

  static CheckResult run(Substrate substrate, String id, ClusterSnapshot snapshot) {
    return DeclaredReads.run(check(substrate, id), snapshot);
  }

  static ClusterSnapshot nodes(Node... nodes) {
    return ClusterSnapshot.builder().addObjects(ResourceKind.NODES, List.of(nodes)).build();
  }

  /** An EC2 node of {@code instanceType} with {@code labels}, advertising {@code gpus} (null: none listed). */
  static Node node(String name, String instanceType, Map<String, String> labels, String gpus) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels("node.kubernetes.io/instance-type", instanceType).addToLabels(labels).endMetadata()
        .withNewSpec().withProviderID("aws:///eu-west-1a/i-0123456789abcdef0").endSpec()
        .withNewStatus().addToAllocatable("cpu", new Quantity("7910m")).endStatus();
    if (gpus != null) {
      b.editStatus().addToAllocatable("nvidia.com/gpu", new Quantity(gpus)).endStatus();
    }
    return b.build();
  }

  /** Runs the upstream-schema validator on {@code dir}; fails the test unless it exits 0. */
  static String validate(Path dir) throws Exception {
    Path tool = Path.of(System.getProperty("substrate.shared", "/work/shared"), "tools", "validate-manifests");
    Process p = new ProcessBuilder("bash", tool.toString(), dir.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("validate-manifests finished").isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }
}
