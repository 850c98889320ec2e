package dev.substrate.gke;

import static dev.substrate.gke.GkeFixtures.cpuNode;
import static dev.substrate.gke.GkeFixtures.gke;
import static dev.substrate.gke.GkeFixtures.gpuNode;
import static dev.substrate.gke.GkeFixtures.nodes;
import static dev.substrate.gke.GkeFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ConfigException;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpu_stack: operator} on GKE renders what NVIDIA's GKE guide (Google driver installer) asks for. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GkeOperatorGpuStackTest {
  private static final String OPERATOR = "gpu_stack: operator\n";

  @Test
  void renders_the_quota_for_critical_pods_and_gkes_chart_values(@TempDir Path dir) throws Exception {
    Substrate s = gke(OPERATOR + "gpu: {tenancy: {mode: mig}}\n");
    List<HasMetadata> resources = s.render().resources();
    ResourceQuota quota = resources.stream().filter(ResourceQuota.class::isInstance).map(ResourceQuota.class::cast)
        .findFirst().orElseThrow(() -> new AssertionError("no ResourceQuota in " + resources));
    assertThat(quota.getMetadata().getNamespace()).isEqualTo("gpu-operator");
    assertThat(quota.getSpec().getHard()).containsEntry("pods", new Quantity("100"));
    ScopedResourceSelectorRequirement scope = quota.getSpec().getScopeSelector().getMatchExpressions().get(0);
    assertThat(scope.getScopeName()).isEqualTo("PriorityClass");
    assertThat(scope.getOperator()).isEqualTo("In");
    assertThat(scope.getValues()).containsExactly("system-node-critical", "system-cluster-critical");

    Map<?, ?> values = values(s);
    assertThat(values.get("driver")).isEqualTo(Map.of("enabled", false));
    assertThat(values.get("hostPaths")).isEqualTo(Map.of("driverInstallDir", "/home/kubernetes/bin/nvidia"));
    assertThat(values.get("toolkit")).isEqualTo(Map.of("enabled", true, "installDir", "/home/kubernetes/bin/nvidia",
        "env", List.of(Map.of("name", "RUNTIME_CONFIG_SOURCE", "value", "file"))));
    assertThat(values.get("cdi")).isEqualTo(Map.of("enabled", true));
    assertThat(values.get("migManager"))
        .isEqualTo(Map.of("env", List.of(Map.of("name", "WITH_REBOOT", "value", "true"))));

    s.render().writeTo(dir);
    assertThat(GkeFixtures.validate(dir)).contains(", 0 with problems");
  }

  @Test
  void elsewhere_the_operator_renders_no_gke_settings() {
    Substrate byo = Substrates.create(SubstrateConfig.parse("substrate: {id: byo}\n"));
    assertThat(byo.render().resources()).noneMatch(ResourceQuota.class::isInstance);
    Map<?, ?> values = values(byo);
    assertThat(values.keySet().stream().map(String::valueOf).toList())
        .doesNotContain("hostPaths", "cdi", "migManager");
    assertThat(values.get("driver")).isEqualTo(Map.of("enabled", true, "usePrecompiled", false));
  }

  @Test
  void driver_settings_the_operator_cannot_use_on_gke_are_refused_naming_the_key() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> gke(OPERATOR + "gpu: {operator: {driver: {precompiled: true}}}\n"));
    assertThat(e.problems()).singleElement().asString()
        .startsWith("gpu.operator.driver.precompiled was 'true' but must be false on substrate gke")
        .contains("GKE's driver installer installs the NVIDIA driver");
    ConfigException version = catchThrowableOfType(ConfigException.class,
        () -> gke(OPERATOR + "gpu: {operator: {driver: {version: 580.95.05}}}\n"));
    assertThat(version.problems()).singleElement().asString()
        .startsWith("gpu.operator.driver.version was '580.95.05' but must be unset on substrate gke");
  }

  @Test
  void its_capabilities_speak_of_gke() {
    Substrate s = gke(OPERATOR);
    Capability driver = s.capability(CapabilityIds.GPU_DRIVER_MANAGEMENT).orElseThrow();
    assertThat(driver.state()).isEqualTo(CapabilityState.NEEDS_ACTION);
    assertThat(driver.reason()).contains("on GKE").contains("GKE's driver installer")
        .contains("/home/kubernetes/bin/nvidia");
    assertThat(driver.remedy()).hasValueSatisfying(r -> assertThat(r).contains("gpu-driver-version=disabled")
        .contains("gke-no-default-nvidia-gpu-device-plugin=true").contains("daemonset-preloaded.yaml"));
    Capability scale = s.capability(CapabilityIds.GPU_SCALE_TO_ZERO).orElseThrow();
    assertThat(scale.state()).isEqualTo(CapabilityState.SUPPORTED);
    assertThat(scale.reason()).contains("GKE's GPU node pools");
    assertThat(s.capabilities()).filteredOn(c -> c.id().startsWith("gpu.")).allSatisfy(c -> {
      String text = c.reason() + " " + c.remedy().orElse("");
      assertThat(text).as(c.id()).doesNotContain("bring-your-own").doesNotContain("Robot").doesNotContain("Hetzner")
          .doesNotContain("kernel headers").doesNotContain("Secure Boot");
    });
  }

  @Test
  void doctor_warns_about_gpu_nodes_that_still_run_gkes_gpu_stack_and_passes_pools_set_up_for_the_operator() {
    Substrate s = gke(OPERATOR);
    CheckResult managed = run(s, "gpu.operator.gke-runtime", nodes(cpuNode("cpu-1"), gpuNode("gpu-1", "default", "1")));
    assertThat(managed.status()).isEqualTo(CheckStatus.WARN);
    assertThat(managed.finding()).contains("gpu_stack is operator on GKE").contains("gpu-1")
        .contains("GKE installs its driver (gpu-driver-version default)").contains("GKE's device plugin runs");
    assertThat(managed.remedy()).hasValueSatisfying(r -> assertThat(r).contains("gpu-driver-version=disabled")
        .contains("gke-no-default-nvidia-gpu-device-plugin=true").contains("gpu_stack: gke-managed"));

    CheckResult ready = run(s, "gpu.operator.gke-runtime", nodes(cpuNode("cpu-1"), operatorGpuNode("gpu-2")));
    assertThat(ready.status()).as(ready.finding()).isEqualTo(CheckStatus.PASS);
    assertThat(ready.finding()).contains("neither GKE's driver nor its device plugin");
  }

  @Test
  void a_silent_gpu_node_points_at_gkes_driver_installer_not_at_operator_driver_pods() {
    CheckResult silent = run(gke(OPERATOR), "gpu.nodes-advertise", nodes(gpuNode("gpu-1", null, "0")));
    assertThat(silent.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(silent.remedy()).hasValueSatisfying(r -> assertThat(r).contains("GKE's driver installer")
        .doesNotContain("GPU Operator's driver"));
  }

  @Test
  void the_gke_substrate_refines_scale_to_zero_for_every_stack_but_none() {
    assertThat(gke("gpu_stack: external\n").capability(CapabilityIds.GPU_SCALE_TO_ZERO).orElseThrow().state())
        .isEqualTo(CapabilityState.SUPPORTED);
    assertThat(gke("gpu_stack: none\n").capability(CapabilityIds.GPU_SCALE_TO_ZERO).orElseThrow().state())
        .isEqualTo(CapabilityState.UNSUPPORTED);
  }

  /** A GPU node of a pool created for the operator: no GKE driver label, GKE's device plugin disabled. */
  private static Node operatorGpuNode(String name) {
    return new NodeBuilder(gpuNode(name, null, null)).editMetadata()
        .addToLabels("gke-no-default-nvidia-gpu-device-plugin", "true").endMetadata().build();
  }

  private static Map<?, ?> values(Substrate s) {
    GenericKubernetesResource app = s.render().resources().stream()
        .filter(r -> r.getKind().equals("Application")).map(GenericKubernetesResource.class::cast).findFirst()
        .orElseThrow();
    Map<?, ?> spec = (Map<?, ?>) app.getAdditionalProperties().get("spec");
    return (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) spec.get("source")).get("helm")).get("valuesObject");
  }
}
