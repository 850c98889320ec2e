package dev.substrate.aws;

import static dev.substrate.aws.AwsFixtures.aws;
import static dev.substrate.aws.AwsFixtures.node;
import static dev.substrate.aws.AwsFixtures.nodes;
import static dev.substrate.aws.AwsFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ConfigException;
import dev.substrate.Substrate;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EksGpuStackTest {
  private static final Map<String, String> H100 = Map.of("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> values(Substrate s) {
    List<HasMetadata> resources = s.gpuStack().resources(null);
    GenericKubernetesResource app = (GenericKubernetesResource) resources.stream()
        .filter(r -> r.getKind().equals("Application")).findFirst().orElseThrow();
    Map<?, ?> source = (Map<?, ?>) ((Map<?, ?>) app.getAdditionalProperties().get("spec")).get("source");
    assertThat(source.get("chart")).isEqualTo("nvidia-device-plugin");
    assertThat(source.get("repoURL")).isEqualTo("https://nvidia.github.io/k8s-device-plugin");
    return (Map<String, Object>) ((Map<?, ?>) source.get("helm")).get("valuesObject");
  }

  @Test
  void on_al2023_the_ami_brings_driver_and_toolkit_and_the_device_plugin_is_rendered() {
    Substrate s = aws("");
    assertThat(s.gpuStack().id()).isEqualTo("eks-accelerated");
    assertThat(s.gpuStack().resources(null)).extracting(HasMetadata::getKind).containsExactly("Namespace",
        "Application");
    assertThat(values(s)).containsEntry("gfd", Map.of("enabled", true)).doesNotContainKey("config");
    var driver = s.capability(CapabilityIds.GPU_DRIVER_MANAGEMENT).orElseThrow();
    assertThat(driver.state()).isEqualTo(CapabilityState.SUPPORTED);
    assertThat(driver.reason()).contains("AL2023 NVIDIA AMI brings the NVIDIA driver and container toolkit");
  }

  @Test
  void time_slicing_is_the_device_plugins_config() {
    Map<?, ?> config = (Map<?, ?>) values(aws("gpu: {tenancy: {mode: time-slicing, replicas: 4}}\n")).get("config");
    assertThat(config.get("default")).isEqualTo("default");
    assertThat((String) ((Map<?, ?>) config.get("map")).get("default")).contains("timeSlicing:")
        .contains("replicas: 4");
    assertThat(values(aws("gpu: {tenancy: {mode: mig}}\n"))).containsEntry("migStrategy", "single");
  }

  @Test
  void on_bottlerocket_nothing_is_rendered_and_sharing_is_a_node_setting() {
    Substrate s = aws("aws: {gpu_ami: bottlerocket}\ngpu: {tenancy: {mode: time-slicing, replicas: 3}}\n");
    assertThat(s.gpuStack().resources(null)).isEmpty();
    assertThat(s.checks()).noneMatch(c -> c.id().equals("gpu.eks.device-plugin"));
    var sharing = s.capability(CapabilityIds.GPU_TIME_SLICING).orElseThrow();
    assertThat(sharing.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
    assertThat(sharing.remedy()).hasValueSatisfying(r -> assertThat(r)
        .contains("device-sharing-strategy = \"time-slicing\"").contains("replicas = 3"));
  }

  @Test
  void the_gpu_operator_on_eks_is_rendered_with_driver_and_toolkit_off() {
    Substrate s = aws("gpu_stack: operator\n");
    GenericKubernetesResource app = (GenericKubernetesResource) s.gpuStack().resources(null).stream()
        .filter(r -> r.getKind().equals("Application")).findFirst().orElseThrow();
    Map<?, ?> values = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) app.getAdditionalProperties().get("spec"))
        .get("source")).get("helm")).get("valuesObject");
    assertThat(values.get("driver")).isEqualTo(Map.of("enabled", false));
    assertThat(values.get("toolkit")).isEqualTo(Map.of("enabled", false));
    assertThat(s.capability(CapabilityIds.GPU_DRIVER_MANAGEMENT).orElseThrow().reason())
        .contains("rendered with driver and toolkit off");
    assertThat(s.checks()).anyMatch(c -> c.id().equals("gpu.operator.eks-device-plugin"));
    assertThatThrownBy(() -> aws("gpu_stack: operator\ngpu: {operator: {driver: {precompiled: true}}}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("gpu.operator.driver.precompiled was 'true' but must be false on substrate aws");
  }

  @Test
  void scale_to_zero_is_supported_by_node_groups_or_karpenter_and_mig_depends_on_the_instance_type() {
    var nodeGroups = aws("").capability(CapabilityIds.GPU_SCALE_TO_ZERO).orElseThrow();
    assertThat(nodeGroups.state()).isEqualTo(CapabilityState.SUPPORTED);
    assertThat(nodeGroups.reason()).contains("managed node groups").contains("Cluster Autoscaler");
    assertThat(aws("aws: {gpu_nodes: karpenter}\n").capability(CapabilityIds.GPU_SCALE_TO_ZERO).orElseThrow()
        .reason()).contains("Karpenter");
    assertThat(aws("gpu_stack: operator\n").capability(CapabilityIds.GPU_SCALE_TO_ZERO).orElseThrow().state())
        .isEqualTo(CapabilityState.SUPPORTED);

    var mig = aws("").capability(CapabilityIds.GPU_MIG).orElseThrow();
    assertThat(mig.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
    assertThat(mig.reason()).contains("p4d (A100 40GB)").contains("p5 (H100 80GB)").contains("p5e (H200)")
        .contains("p5en (H200)").contains("g5 (A10G)").contains("g6 (L4)");
    assertThat(mig.reason().indexOf("g6 (L4)")).isGreaterThan(mig.reason().indexOf("partition;"));
  }

  @Test
  void gpu_nodes_must_advertise_gpus_and_say_which_gpu_they_carry() {
    Substrate s = aws("");
    CheckResult silent = run(s, "gpu.nodes-advertise", nodes(node("ip-10-0-0-9", "p5.48xlarge", H100, null),
        node("ip-10-0-0-2", "m6i.2xlarge", Map.of(), null)));
    assertThat(silent.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(silent.finding()).contains("1 of 1 GPU node").contains("ip-10-0-0-9 (p5.48xlarge)");
    assertThat(silent.remedy()).hasValueSatisfying(r -> assertThat(r).contains("AL2023_x86_64_NVIDIA"));

    CheckResult none = run(s, "gpu.nodes-advertise", nodes(node("ip-10-0-0-2", "m6i.2xlarge", Map.of(), null)));
    assertThat(none.status()).isEqualTo(CheckStatus.WARN);
    assertThat(none.finding()).contains("scaled to zero");

    assertThat(run(s, "gpu.nodes-advertise", nodes(node("ip-10-0-0-9", "p5.48xlarge", H100, "8"))).finding())
        .contains("1 GPU node advertises 8 allocatable GPUs");

    CheckResult unlabelled = run(s, "gpu.eks.accelerator-labels", nodes(node("ip-10-0-0-9", "g6.xlarge", Map.of(),
        "1")));
    assertThat(unlabelled.status()).isEqualTo(CheckStatus.WARN);
    assertThat(unlabelled.finding()).contains("nvidia.com/gpu.product").contains("ip-10-0-0-9");
    CheckResult labelled = run(s, "gpu.eks.accelerator-labels", nodes(node("ip-10-0-0-9", "p5.48xlarge",
        Map.of("karpenter.k8s.aws/instance-gpu-name", "h100"), "8")));
    assertThat(labelled.status()).isEqualTo(CheckStatus.PASS);
    assertThat(labelled.finding()).contains("p5.48xlarge H100 80GB");
  }

  @Test
  void mig_mode_fails_on_gpus_without_mig() {
    Substrate s = aws("gpu: {tenancy: {mode: mig}}\n");
    CheckResult g6 = run(s, "gpu.aws.mig-capable", nodes(node("ip-10-0-0-9", "g6.xlarge", Map.of(), "1"),
        node("ip-10-0-0-8", "p5e.48xlarge", Map.of(), "8")));
    assertThat(g6.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(g6.finding()).contains("ip-10-0-0-9 (g6.xlarge, L4)").doesNotContain("ip-10-0-0-8");
    assertThat(run(s, "gpu.aws.mig-capable", nodes(node("ip-10-0-0-8", "p5en.48xlarge", Map.of(), "8"))).status())
        .isEqualTo(CheckStatus.PASS);
    assertThat(run(aws(""), "gpu.aws.mig-capable", nodes()).status()).isEqualTo(CheckStatus.SKIP);
  }
}
