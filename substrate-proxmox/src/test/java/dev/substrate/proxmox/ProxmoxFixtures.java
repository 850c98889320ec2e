package dev.substrate.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.ClusterSnapshot;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Proxmox configs, nodes shaped as the Proxmox CCM leaves them, and the manifest validator. */
final class ProxmoxFixtures {
  /** The MetalLB range the default load balancer needs, and the storage the class is rendered for. */
  static final String BASE = "substrate: {id: proxmox}\nload_balancer: {addresses: [192.168.1.240-192.168.1.250]}\n";

  private ProxmoxFixtures() {}

  static Substrate proxmox(String yaml) {
    return Substrates.create(SubstrateConfig.parse(BASE + yaml));
  }

  /** A VM node as the CCM labels it: {@code proxmox://<region>/<vmid>}, region and PVE host as zone. */
  static Node vm(String name, String region, int vmid, String host) {
    return new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels("topology.kubernetes.io/region", region).addToLabels("topology.kubernetes.io/zone", host)
        .addToLabels("topology.proxmox.sinextra.dev/region", region)
        .addToLabels("topology.proxmox.sinextra.dev/zone", host)
        .addToLabels("node.kubernetes.io/instance-type", "8VCPU-32GB").endMetadata()
        .withNewSpec().withProviderID("proxmox://" + region + "/" + vmid).endSpec().build();
  }

  /** A node with {@code providerID} and only {@code labels}. */
  static Node node(String name, String providerId, Map<String, String> labels) {
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withProviderID(providerId).endSpec().build();
  }

  static ClusterSnapshot nodes(Node... nodes) {
    return ClusterSnapshot.builder().addObjects(ResourceKind.NODES, List.of(nodes)).build();
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
