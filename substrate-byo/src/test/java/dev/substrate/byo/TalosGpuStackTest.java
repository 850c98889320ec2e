package dev.substrate.byo;

import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckStatus;
import dev.substrate.ConfigException;
import dev.substrate.Report;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.byo.internal.TalosGpuStackProvider;
import dev.substrate.spi.ProviderContext;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedClusterExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class TalosGpuStackTest {
  private static final String TALOS = "gpu_stack: talos\n";
  private static final String KMOD = "extensions.talos.dev/nonfree-kmod-nvidia-production";
  private static final String TOOLKIT = "extensions.talos.dev/nvidia-container-toolkit-production";

  private static Substrate talos(String yaml) {
    return Substrates.create(SubstrateConfig.parse("substrate: {id: byo}\n" + TALOS + yaml));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> values(Substrate s) {
    GenericKubernetesResource app = (GenericKubernetesResource) s.render().resources().stream()
        .filter(r -> r.getKind().equals("Application")).findFirst().orElseThrow();
    Map<String, Object> source = (Map<String, Object>) ((Map<String, Object>) app.getAdditionalProperties()
        .get("spec")).get("source");
    return (Map<String, Object>) ((Map<String, Object>) source.get("helm")).get("valuesObject");
  }

  @Nested
  class Rendering {
    @Test
    void theOperatorRunsWithDriverAndToolkitOffAndTheExtensionsDriverDirectory(@TempDir Path dir) throws Exception {
      Substrate s = talos("");
      assertThat(s.gpuStack().id()).isEqualTo("talos");
      assertThat(s.render()).hasResourcesExactly("Namespace gpu-operator", "Application argocd/gpu-operator",
          "ClusterSecretStore secret-store");
      Map<String, Object> values = values(s);
      assertThat(values).containsEntry("driver", Map.of("enabled", false))
          .containsEntry("toolkit", Map.of("enabled", false))
          .containsEntry("hostPaths", Map.of("driverInstallDir", "/usr/local"))
          .containsEntry("operator", Map.of("runtimeClass", "nvidia"))
          .containsEntry("devicePlugin", Map.of("enabled", true));
      s.render().writeTo(dir);
      assertThat(RenderingTest.validate(dir)).contains(", 0 with problems");
    }

    /**
     * The chart copies these values into the ClusterPolicy it creates (deployments/gpu-operator/templates/
     * clusterpolicy.yaml); keys the CRD requires that the values leave to the chart get the chart's defaults.
     */
    @Test
    void theValuesMakeAClusterPolicyTheCrdAccepts(@TempDir Path dir) throws Exception {
      Map<String, Object> values = values(talos("gpu: {tenancy: {mode: time-slicing, replicas: 2}}"));
      Map<String, Object> spec = new LinkedHashMap<>(values);
      spec.putIfAbsent("daemonsets", Map.of());
      spec.putIfAbsent("dcgm", Map.of("enabled", false));
      spec.putIfAbsent("gfd", Map.of("enabled", true));
      spec.putIfAbsent("nodeStatusExporter", Map.of("enabled", false));
      GenericKubernetesResource policy = new GenericKubernetesResourceBuilder()
          .withApiVersion("nvidia.com/v1").withKind("ClusterPolicy")
          .withNewMetadata().withName("cluster-policy").endMetadata()
          .addToAdditionalProperties("spec", spec).build();
      Files.writeString(dir.resolve("clusterpolicy.yaml"), Serialization.asYaml(policy), StandardCharsets.UTF_8);
      assertThat(RenderingTest.validate(dir)).contains("1 custom resources checked").contains(", 0 with problems");
    }

    @Test
    void noRuntimeClassIsRenderedBecauseTheOperatorCreatesIt() {
      assertThat(talos("").render().resources()).extracting(HasMetadata::getKind).doesNotContain("RuntimeClass");
    }

    @Test
    void theOperatorStackIsUnchanged() {
      Map<String, Object> values = values(Substrates.create(SubstrateConfig.parse("substrate: {id: byo}")));
      assertThat(values).doesNotContainKeys("hostPaths", "operator")
          .containsEntry("toolkit", Map.of("enabled", true));
    }

    @Test
    void driverManagementNamesTheExtensionsAndTheModules() {
      assertThat(talos("").capability(CapabilityIds.GPU_DRIVER_MANAGEMENT).orElseThrow())
          .hasState(CapabilityState.NEEDS_ACTION)
          .hasRemedyContaining("nonfree-kmod-nvidia-production", "nvidia-container-toolkit-production",
              "nvidia_uvm", "every Talos upgrade");
    }
  }

  @Nested
  class Config {
    @Test
    void anOperatorOlderThanV2631IsRefusedNamingTheKey() {
      assertThatThrownBy(() -> talos("gpu: {operator: {version: v26.3.0}}"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("gpu.operator.version was 'v26.3.0' but must be v26.3.1 or later with gpu_stack talos");
      assertThat(values(talos("gpu: {operator: {version: v26.3.1}}"))).containsEntry("toolkit", Map.of("enabled", false));
    }

    @Test
    void anUnparsableOperatorVersionIsRefused() {
      assertThatThrownBy(() -> talos("gpu: {operator: {version: latest}}"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("gpu.operator.version was 'latest' but must be a GPU Operator release like v26.7.0");
    }

    @Test
    void driverSettingsAreRefusedEachOnItsOwnLine() {
      assertThatThrownBy(() -> talos("gpu: {operator: {driver: {version: 580.95.05}}}"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("gpu.operator.driver.version was '580.95.05' but must be unset with gpu_stack talos");
      assertThatThrownBy(() -> talos("gpu: {operator: {driver: {precompiled: true}}}"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("gpu.operator.driver.precompiled was 'true' but must be false with gpu_stack talos");
    }

    @Test
    void gkeNodesAreNotTalos() {
      assertThatThrownBy(() -> new TalosGpuStackProvider().create(new ProviderContext(
          SubstrateConfig.parse("substrate: {id: gke}\n" + TALOS), "gke", null)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("gpu_stack was 'talos' but must not be used on substrate gke");
    }
  }

  /** The Talos checks against an embedded cluster whose nodes each test builds. */
  @Nested
  class OnAnEmbeddedCluster {
    @RegisterExtension
    final EmbeddedClusterExtension cluster = EmbeddedClusterExtension.withPreset(ClusterPreset.BARE);
    private KubernetesClient client;

    @BeforeEach
    void connect(KubernetesClient embedded) {
      client = embedded;
    }

    private Report doctor() {
      return talos("").doctor(client);
    }

    private void node(String name, String osImage, Map<String, String> labels, String gpus) {
      Map<String, Quantity> allocatable = new LinkedHashMap<>();
      allocatable.put("cpu", new Quantity("16"));
      if (gpus != null) {
        allocatable.put("nvidia.com/gpu", new Quantity(gpus));
      }
      Node node = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
          .withNewStatus().withAllocatable(allocatable).withCapacity(allocatable)
          .withNewNodeInfo().withOsImage(osImage).withKernelVersion("6.18.44-talos")
          .withContainerRuntimeVersion("containerd://2.2.7").withKubeletVersion("v1.36.3")
          .withArchitecture("amd64").withOperatingSystem("linux").endNodeInfo()
          .endStatus().build();
      client.nodes().resource(node).create();
    }

    private void runtimeClass(String handler) {
      client.resource(new RuntimeClassBuilder().withNewMetadata().withName("nvidia")
          .endMetadata().withHandler(handler).build()).create();
    }

    private Map<String, String> gpuLabels(String kmodVersion, String toolkitVersion) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("nvidia.com/gpu.present", "true");
      if (kmodVersion != null) {
        labels.put(KMOD, kmodVersion);
      }
      if (toolkitVersion != null) {
        labels.put(TOOLKIT, toolkitVersion);
      }
      return labels;
    }

    @Test
    void aTalosGpuNodeWithBothExtensionsAndTheRuntimeClassPasses() {
      node("talos-cpu-1", "Talos (v1.13.9)", Map.of(), null);
      node("talos-gpu-1", "Talos (v1.13.9)", gpuLabels("580.105.08-v1.13.9", "580.105.08-v1.18.1"), "1");
      runtimeClass("nvidia");
      Report report = doctor();
      assertThat(report).hasPassed("gpu.operator.talos-runtime-class").hasPassed("gpu.operator.talos-nodes")
          .hasPassed("gpu.nodes-advertise").hasNoApiWrites();
      assertThat(report).hasCheck("gpu.operator.talos-nodes").hasFinding("1 Talos GPU node (v1.13.9) lists the NVIDIA "
          + "kernel-module and container-toolkit extensions of one driver version and advertises 1 allocatable GPU");
      assertThat(report).hasCheck("gpu.operator.talos-runtime-class").hasFindingContaining("handler nvidia");
      assertThat(report.results()).noneSatisfy(r -> assertThat(r.id()).startsWith("gpu.driver."));
    }

    @Test
    void theOpenKernelModulesCountAndAnExtensionAnnotationToo() {
      Map<String, String> labels = new LinkedHashMap<>(gpuLabels(null, "580.105.08-v1.18.1"));
      labels.put("extensions.talos.dev/nvidia-open-gpu-kernel-modules-lts", "580.105.08-v1.14.2");
      node("talos-gpu-1", "Talos (v1.14.2)", labels, "2");
      assertThat(doctor()).hasPassed("gpu.operator.talos-nodes");
    }

    @Test
    void withoutTheRuntimeClassTheCheckFailsWithTheManifest() {
      node("talos-gpu-1", "Talos (v1.13.9)", gpuLabels("580.105.08-v1.13.9", "580.105.08-v1.18.1"), "1");
      assertThat(doctor()).hasCheck("gpu.operator.talos-runtime-class").hasStatus(CheckStatus.FAIL)
          .hasFinding("no RuntimeClass nvidia, so the GPU Operator's pods and GPU workloads cannot run under the "
              + "containerd runtime nvidia of Talos's nvidia-container-toolkit extension")
          .hasRemedyContaining("\"handler\": \"nvidia\"", "ClusterPolicy");
    }

    @Test
    void aRuntimeClassWithAnotherHandlerFails() {
      runtimeClass("runc");
      assertThat(doctor()).hasCheck("gpu.operator.talos-runtime-class").hasStatus(CheckStatus.FAIL)
          .hasFindingContaining("has handler 'runc'").hasRemedyContaining("kubectl delete runtimeclass nvidia");
    }

    @Test
    void aGpuNodeMissingTheToolkitExtensionAndAdvertisingNothingFails() {
      node("talos-gpu-1", "Talos (v1.13.9)", gpuLabels("580.105.08-v1.13.9", null), "0");
      assertThat(doctor()).hasCheck("gpu.operator.talos-nodes").hasStatus(CheckStatus.FAIL)
          .hasFinding("talos-gpu-1 lists no extensions.talos.dev/nvidia-container-toolkit-* extension; talos-gpu-1 "
              + "advertises no allocatable nvidia.com/gpu")
          .hasRemedyContaining("siderolabs/nvidia-container-toolkit-production", "talosctl upgrade", "nvidia_modeset",
              "/proc/driver/nvidia/version");
    }

    @Test
    void extensionsOfTwoDriverVersionsFail() {
      node("talos-gpu-1", "Talos (v1.13.9)", gpuLabels("570.211.01-v1.13.9", "580.105.08-v1.18.1"), "1");
      assertThat(doctor()).hasCheck("gpu.operator.talos-nodes").hasStatus(CheckStatus.FAIL)
          .hasFindingContaining("of driver 570.211.01 but", "of driver 580.105.08")
          .hasRemedyContaining("one driver version");
    }

    @Test
    void aGpuNodeThatIsNotTalosFails() {
      node("ubuntu-gpu-1", "Ubuntu 24.04.3 LTS", Map.of("nvidia.com/gpu.present", "true"), "1");
      assertThat(doctor()).hasCheck("gpu.operator.talos-nodes").hasStatus(CheckStatus.FAIL)
          .hasFinding("ubuntu-gpu-1 runs 'Ubuntu 24.04.3 LTS', not Talos").hasRemedyContaining("gpu_stack: operator");
    }

    @Test
    void talosOlderThanV113Fails() {
      node("talos-gpu-1", "Talos (v1.11.2)", gpuLabels("570.172.08-v1.11.2", "570.172.08-v1.17.8"), "1");
      assertThat(doctor()).hasCheck("gpu.operator.talos-nodes").hasStatus(CheckStatus.FAIL)
          .hasFinding("talos-gpu-1 runs Talos v1.11.2, older than v1.13, the first whose guide runs the GPU Operator")
          .hasRemedyContaining("upgrade GPU nodes to Talos v1.13 or v1.14");
    }

    @Test
    void talosNewerThanV114Warns() {
      node("talos-gpu-1", "Talos (v1.15.0)", gpuLabels("595.58.03-v1.15.0", "595.58.03"), "1");
      assertThat(doctor()).hasCheck("gpu.operator.talos-nodes").hasStatus(CheckStatus.WARN)
          .hasFindingContaining("talos-gpu-1 runs Talos v1.15.0", "toolkit.enabled false");
    }

    @Test
    void noGpuNodeWarns() {
      node("talos-cpu-1", "Talos (v1.13.9)", Map.of(), null);
      assertThat(doctor()).hasWarned("gpu.operator.talos-nodes");
    }
  }
}
