package dev.substrate.byo;

import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThat;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.Portability;
import dev.substrate.PortabilityDiff;
import dev.substrate.RenderContext;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderingTest {
  private static final String METALLB = "load_balancer: {provider: metallb, addresses: [192.0.2.10-192.0.2.20, 198.51.100.0/28]}";

  private static Substrate byo(String yaml) {
    return ByoProvidersTest.byo(yaml);
  }

  @Test
  void timeSlicingRendersTheSharingConfigAndPointsTheDevicePluginAtIt(@TempDir Path dir) throws Exception {
    Substrate s = byo("gpu: {tenancy: {mode: time-slicing, replicas: 4}}\n" + METALLB);
    List<HasMetadata> resources = s.render().resources();
    assertThat(resources).extracting(r -> r.getKind() + " " + RenderingTest.ref(r)).containsExactly(
        "Namespace gpu-operator",
        "ConfigMap gpu-operator/time-slicing-config",
        "Application argocd/gpu-operator",
        "IPAddressPool metallb-system/substrate-pool",
        "L2Advertisement metallb-system/substrate-pool",
        "ClusterSecretStore secret-store");

    Namespace ns = (Namespace) resources.get(0);
    assertThat(ns.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "privileged")
        .containsEntry("app.kubernetes.io/managed-by", "substrate");
    ConfigMap sharing = (ConfigMap) resources.get(1);
    assertThat(sharing.getData()).containsOnlyKeys("any");
    assertThat(sharing.getData().get("any")).isEqualTo("version: v1\n"
        + "sharing:\n"
        + "  timeSlicing:\n"
        + "    resources:\n"
        + "    - name: nvidia.com/gpu\n"
        + "      replicas: 4\n");
    assertThat(devicePlugin(s)).isEqualTo(Map.of("enabled", true,
        "config", Map.of("name", "time-slicing-config", "default", "any")));

    s.render().writeTo(dir);
    assertThat(validate(dir)).contains("3 custom resources checked").contains(", 0 with problems");
  }

  @Test
  void mpsRendersTheMpsSharingConfig(@TempDir Path dir) throws Exception {
    Substrate s = byo("gpu: {tenancy: {mode: mps, replicas: 3}}");
    ConfigMap sharing = (ConfigMap) s.render().resources().stream().filter(r -> r.getKind().equals("ConfigMap"))
        .findFirst().orElseThrow();
    assertThat(sharing.getMetadata().getName()).isEqualTo("mps-config");
    assertThat(sharing.getMetadata().getNamespace()).isEqualTo("gpu-operator");
    assertThat(sharing.getData().get("any")).isEqualTo("version: v1\nsharing:\n  mps:\n    resources:\n"
        + "    - name: nvidia.com/gpu\n      replicas: 3\n");
    assertThat(devicePlugin(s)).containsEntry("config", Map.of("name", "mps-config", "default", "any"));
    s.render().writeTo(dir);
    assertThat(validate(dir)).contains("1 custom resources checked").contains(", 0 with problems");
  }

  @Test
  void exclusiveGpusRenderNoSharingConfig() {
    Substrate s = byo("gpu: {tenancy: {mode: exclusive}}");
    assertThat(s.render().resources()).extracting(HasMetadata::getKind)
        .containsExactly("Namespace", "Application", "ClusterSecretStore");
    assertThat(devicePlugin(s)).isEqualTo(Map.of("enabled", true));
  }

  @Test
  void theArgoApplicationInstallsTheGpuOperatorChart() {
    Substrate s = byo("gpu: {operator: {version: v26.3.1, namespace: nvidia-gpu, driver: {precompiled: true, branch: '580'}}}");
    assertThat(s.render())
        .hasResourcesExactly("Namespace nvidia-gpu", "Application argocd/gpu-operator", "ClusterSecretStore secret-store")
        .resource("Application", "argocd", "gpu-operator")
        .hasApiVersion("argoproj.io/v1alpha1")
        .hasLabel("app.kubernetes.io/managed-by", "substrate")
        .hasField("spec.project", "default")
        .hasField("spec.source.repoURL", "https://helm.ngc.nvidia.com/nvidia")
        .hasField("spec.source.chart", "gpu-operator")
        .hasField("spec.source.targetRevision", "v26.3.1")
        .hasField("spec.source.helm.valuesObject", Map.of(
            "driver", Map.of("enabled", true, "usePrecompiled", true, "version", "580"),
            "toolkit", Map.of("enabled", true),
            "devicePlugin", Map.of("enabled", true),
            "dcgmExporter", Map.of("enabled", true, "serviceMonitor", Map.of("enabled", true, "interval", "15s"))))
        .hasField("spec.destination", Map.of("server", "https://kubernetes.default.svc", "namespace", "nvidia-gpu"))
        .hasField("spec.syncPolicy", Map.of(
            "automated", Map.of("prune", true, "selfHeal", true), "syncOptions", List.of("ServerSideApply=true")));
  }

  @Test
  void precompiledDriversRenderADriverBranchForTheImageTagNotTheChartsFullVersion() {
    assertThat(mapAt(application(byo("gpu: {operator: {driver: {precompiled: true}}}")), "spec", "source", "helm",
        "valuesObject", "driver")).isEqualTo(Map.of("enabled", true, "usePrecompiled", true, "version", "595"));
    assertThat(mapAt(application(byo("gpu: {operator: {driver: {version: 580.95.05}}}")), "spec", "source", "helm",
        "valuesObject", "driver")).isEqualTo(Map.of("enabled", true, "usePrecompiled", false, "version", "580.95.05"));
  }

  @Test
  void theDefaultOperatorVersionIsTheCurrentChart() {
    assertThat(field(application(byo("")), "spec", "source", "targetRevision")).isEqualTo("v26.7.0");
    assertThat(mapAt(application(byo("")), "spec", "source", "helm", "valuesObject", "driver"))
        .isEqualTo(Map.of("enabled", true, "usePrecompiled", false));
  }

  @Test
  void metallbRendersOnePoolWithEveryRangeAndItsL2Advertisement(@TempDir Path dir) throws Exception {
    Substrate s = byo("gpu_stack: none\n" + METALLB);
    List<HasMetadata> resources = s.render().resources();
    GenericKubernetesResource pool = (GenericKubernetesResource) resources.get(0);
    assertThat(pool.getApiVersion()).isEqualTo("metallb.io/v1beta1");
    assertThat(pool.getKind()).isEqualTo("IPAddressPool");
    assertThat(pool.getMetadata().getNamespace()).isEqualTo("metallb-system");
    assertThat(pool.getMetadata().getName()).isEqualTo("substrate-pool");
    assertThat(listAt(pool, "spec", "addresses")).containsExactly("192.0.2.10-192.0.2.20", "198.51.100.0/28");
    GenericKubernetesResource l2 = (GenericKubernetesResource) resources.get(1);
    assertThat(l2.getKind()).isEqualTo("L2Advertisement");
    assertThat(l2.getMetadata().getNamespace()).isEqualTo("metallb-system");
    assertThat(listAt(l2, "spec", "ipAddressPools")).containsExactly("substrate-pool");
    s.render().writeTo(dir);
    assertThat(validate(dir)).contains("3 custom resources checked").contains(", 0 with problems");
  }

  @Test
  void theKubernetesBackendRendersOnlyItsClusterSecretStore(@TempDir Path dir) throws Exception {
    Substrate s = byo("gpu_stack: none\nsecrets: {namespace: eso, service_account: eso-reader, remote_namespace: vault-ish}");
    List<HasMetadata> resources = s.render().resources();
    assertThat(resources).hasSize(1);
    GenericKubernetesResource store = (GenericKubernetesResource) resources.get(0);
    assertThat(store.getApiVersion()).isEqualTo("external-secrets.io/v1");
    assertThat(store.getKind()).isEqualTo("ClusterSecretStore");
    assertThat(store.getMetadata().getName()).isEqualTo("secret-store");
    assertThat(store.getMetadata().getNamespace()).isNull();
    assertThat(mapAt(store, "spec", "provider")).isEqualTo(Map.of("kubernetes", Map.of(
        "remoteNamespace", "vault-ish",
        "server", Map.of("caProvider", Map.of("type", "ConfigMap", "name", "kube-root-ca.crt", "key", "ca.crt",
            "namespace", "vault-ish")),
        "auth", Map.of("serviceAccount", Map.of("name", "eso-reader", "namespace", "eso")))));
    s.render().writeTo(dir);
    assertThat(validate(dir)).contains("1 custom resources checked").contains(", 0 with problems");
  }

  @Test
  void everyRenderedObjectIsLabelledAndNamespacedObjectsCarryTheirNamespace() {
    Substrate s = byo("gpu: {tenancy: {mode: time-slicing, replicas: 2}}\n" + METALLB);
    for (HasMetadata r : s.render().resources()) {
      assertThat(r.getMetadata().getLabels()).as(ref(r)).containsEntry("app.kubernetes.io/managed-by", "substrate");
      boolean clusterScoped = r.getKind().equals("Namespace") || r.getKind().equals("ClusterSecretStore");
      assertThat(r.getMetadata().getNamespace() != null).as(ref(r)).isEqualTo(!clusterScoped);
    }
  }

  @Test
  void renderingTwiceIsByteIdentical(@TempDir Path dir) throws Exception {
    String yaml = "gpu: {tenancy: {mode: time-slicing, replicas: 4}}\n" + METALLB;
    byo(yaml).render().writeTo(dir.resolve("a"));
    byo(yaml).render().writeTo(dir.resolve("b"));
    List<String> files = list(dir.resolve("a"));
    assertThat(files).isEqualTo(list(dir.resolve("b"))).hasSize(8).contains(".substrate-rendering");
    for (String f : files) {
      assertThat(Files.readAllBytes(dir.resolve("b").resolve(f))).as(f).isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(f)));
    }
  }

  @Test
  void switchingToTheFakeBackendChangesExactlyTheClusterSecretStore() {
    Substrate kubernetes = byo("secret_backend: kubernetes\n" + METALLB);
    Substrate fake = byo("secret_backend: fake\n" + METALLB);
    assertThat(fake.secrets().id()).isEqualTo("fake");
    PortabilityDiff diff = Portability.diff(kubernetes, fake);
    assertThat(diff.resources()).containsExactly(
        PortabilityDiff.ResourceChange.of("clustersecretstore secret-store", PortabilityDiff.Change.CHANGED));
  }

  @Test
  void switchingToAnExplicitBackendInstanceChangesExactlyTheClusterSecretStore() {
    Substrate kubernetes = byo(METALLB);
    Substrate vault = Substrates.builder().config(SubstrateConfig.parse("substrate: {id: byo}\n" + METALLB))
        .secretBackend(TestSecretBackend.withLongLived(1)).build();
    PortabilityDiff diff = Portability.diff(kubernetes, vault);
    assertThat(diff.resources()).containsExactly(
        PortabilityDiff.ResourceChange.of("clustersecretstore secret-store", PortabilityDiff.Change.CHANGED));
    assertThat(diff.capabilities()).extracting(PortabilityDiff.CapabilityChange::id)
        .contains(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS);
  }

  @Test
  void capabilitiesDescribeTheConfiguredTenancy() {
    Capability ts = byo("gpu: {tenancy: {mode: time-slicing, replicas: 4}}").capability(CapabilityIds.GPU_TIME_SLICING)
        .orElseThrow();
    assertThat(ts.state()).isEqualTo(CapabilityState.SUPPORTED);
    assertThat(ts.reason()).contains("4 replicas");
  }

  private static Map<String, Object> devicePlugin(Substrate s) {
    return mapAt(application(s), "spec", "source", "helm", "valuesObject", "devicePlugin");
  }

  private static Object field(GenericKubernetesResource r, Object... path) {
    return r.get(path);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapAt(GenericKubernetesResource r, Object... path) {
    return (Map<String, Object>) field(r, path);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> listAt(GenericKubernetesResource r, Object... path) {
    return (List<Object>) field(r, path);
  }

  private static GenericKubernetesResource application(Substrate s) {
    return (GenericKubernetesResource) s.gpuStack().resources(RenderContext.of(s.id(), s.config())).stream()
        .filter(r -> r.getKind().equals("Application")).findFirst().orElseThrow();
  }

  private static String ref(HasMetadata r) {
    String ns = r.getMetadata().getNamespace();
    return (ns == null ? "" : ns + "/") + r.getMetadata().getName();
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
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
