package dev.substrate.byo;

import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThat;
import static dev.substrate.testkit.assertj.SubstrateAssertions.assertThatThrownBy;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.CheckResult;
import dev.substrate.CheckStatus;
import dev.substrate.ClusterSnapshot;
import dev.substrate.ConfigException;
import dev.substrate.Facet;
import dev.substrate.LoadBalancerIntent;
import dev.substrate.RenderContext;
import dev.substrate.Report;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.byo.internal.ByoSubstrateProvider;
import dev.substrate.spi.Check;
import dev.substrate.spi.Detection;
import dev.substrate.spi.SubstrateDefaults;
import dev.substrate.spi.SubstrateProvider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ByoProvidersTest {
  static Substrate byo(String extraYaml) {
    return Substrates.create(SubstrateConfig.parse("substrate: {id: byo}\n" + extraYaml));
  }

  static Stream<String> configs() {
    return Stream.of(
        "",
        "gpu_stack: external",
        "gpu_stack: none",
        "gpu: {tenancy: {mode: time-slicing, replicas: 4}}",
        "gpu: {tenancy: {mode: mps, replicas: 2}, operator: {driver: {precompiled: true, branch: '580'}}}",
        "gpu: {tenancy: {mode: mig}, operator: {driver: {enabled: false}}}",
        "load_balancer: {provider: metallb, addresses: [192.0.2.10-192.0.2.20, 198.51.100.0/28]}",
        "profile: prod\nstorage: {default_class: standard, shared_weights: true, rwx_class: nfs}");
  }

  @Test
  void everyProviderIsFoundByItsIdThroughServiceLoader() {
    Map<String, List<String>> ids = Substrates.availableIds();
    assertThat(ids.get("substrate")).contains("byo");
    assertThat(ids.get("gpu_stack")).contains("operator", "external", "none");
    assertThat(ids.get("storage")).contains("default-class");
    assertThat(ids.get("load_balancer")).contains("metallb", "none");
    assertThat(ids.get("secret_backend")).contains("kubernetes");
  }

  @Test
  void byoDefaultsToTheOperatorTheDefaultClassNoLoadBalancerAndKubernetesSecrets() {
    Substrate s = byo("");
    assertThat(s.id()).isEqualTo("byo");
    assertThat(s.gpuStack().id()).isEqualTo("operator");
    assertThat(s.storage().id()).isEqualTo("default-class");
    assertThat(s.loadBalancer().id()).isEqualTo("none");
    assertThat(s.secrets().id()).isEqualTo("kubernetes");
    assertThat(s.config().secretStoreAuth()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("configs")
  void capabilitiesAreWellFormedForEveryConfig(String yaml) {
    Substrate s = byo(yaml);
    for (Facet facet : s.facets()) {
      List<String> ids = new ArrayList<>();
      for (Capability c : facet.capabilities()) {
        ids.add(c.id());
        assertThat(CapabilityIds.isWellFormed(c.id())).as(c.id()).isTrue();
        assertThat(c.reason()).as(c.id()).isNotBlank().doesNotContain("\n").doesNotEndWith(".");
        if (c.state() != CapabilityState.SUPPORTED) {
          assertThat(c.remedy()).as(c.id()).hasValueSatisfying(r -> assertThat(r).isNotBlank());
        }
      }
      assertThat(ids).as(facet.id()).doesNotHaveDuplicates();
    }
    assertThat(s.capabilities()).extracting(Capability::id).contains(CapabilityIds.GPU_DRIVER_MANAGEMENT,
        CapabilityIds.GPU_TIME_SLICING, CapabilityIds.GPU_MPS, CapabilityIds.GPU_MIG, CapabilityIds.GPU_SCALE_TO_ZERO,
        CapabilityIds.STORAGE_DEFAULT_CLASS, CapabilityIds.STORAGE_RWX, CapabilityIds.STORAGE_SNAPSHOTS,
        CapabilityIds.STORAGE_EXPANSION, CapabilityIds.LB_PROVISIONING, CapabilityIds.LB_INTERNAL,
        CapabilityIds.SECRETS_KEYLESS, CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS);
    for (Check check : s.checks()) {
      assertThat(check.id()).matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");
    }
    assertThat(s.checks()).extracting(Check::id).doesNotHaveDuplicates();
  }

  @Test
  void operatorCapabilities() {
    Substrate s = byo("");
    assertThat(s).hasCapability(CapabilityIds.GPU_DRIVER_MANAGEMENT).needsAction()
        .hasReasonContaining("unsigned", "do not load with Secure Boot on")
        .hasRemedyContaining("package repositories", "kernel headers", "turn Secure Boot off",
            "gpu.operator.driver.precompiled: true");
    assertThat(s).hasCapability(CapabilityIds.GPU_TIME_SLICING).isSupported().hasReasonContaining("no memory isolation");
    assertThat(s).hasCapability(CapabilityIds.GPU_MPS).isSupported().hasReasonContaining("experimental");
    assertThat(s).hasCapability(CapabilityIds.GPU_MIG).needsAction().hasRemedyContaining("mig.strategy", "nvidia.com/mig.config");
    assertThat(s).hasCapability(CapabilityIds.GPU_SCALE_TO_ZERO).needsAction();
    assertThat(s.gpuStack().checks()).extracting(Check::id)
        .containsExactly("gpu.nodes-advertise", "gpu.operator.cluster-policy", "gpu.dcgm-exporter", "gpu.driver.image",
            "gpu.driver.host-driver", "gpu.driver.secure-boot", "gpu.driver.kernel-headers", "gpu.driver.nouveau",
            "gpu.driver.mig");
  }

  @Test
  void precompiledDriversAreSignedSoTheyNeedNoSecureBootOff() {
    assertThat(byo("gpu: {operator: {driver: {precompiled: true, branch: 580}}}"))
        .hasCapability(CapabilityIds.GPU_DRIVER_MANAGEMENT).needsAction()
        .hasReasonContaining("branch 580", "signed", "load with Secure Boot on").hasReasonNotContaining("Secure Boot off")
        .hasRemedyContaining("nvcr.io/nvidia/driver:580-<kernel>-<os>").hasRemedyNotContaining("Secure Boot");
  }

  @Test
  void operatorTextsOnByoNameNoOtherSubstrate() {
    for (String yaml : List.of("", "gpu: {operator: {driver: {precompiled: true}}}", "gpu_stack: external")) {
      assertThat(byo(yaml).capabilities()).as(yaml).filteredOn(c -> c.id().startsWith("gpu.")).allSatisfy(c ->
          assertThat(c.reason() + " " + c.remedy().orElse("")).as(c.id()).doesNotContain("GKE")
              .doesNotContain("Hetzner").doesNotContain("Robot"));
    }
  }

  @Test
  void theOperatorOnGkeWarnsWhileGkeNodesArePresent() {
    SubstrateProvider gke = new SubstrateProvider() {
      @Override
      public String id() {
        return "gke";
      }

      @Override
      public SubstrateDefaults defaults() {
        return SubstrateDefaults.builder().gpuStack("operator").storage("default-class").loadBalancer("none")
            .secretBackend("kubernetes").build();
      }

      @Override
      public Optional<Detection> detect(ClusterSnapshot nodes) {
        return Optional.empty();
      }
    };
    Substrate s = Substrates.builder().substrate(gke).build();
    Check runtime = s.gpuStack().checks().stream().filter(c -> c.id().equals("gpu.operator.gke-runtime"))
        .findFirst().orElseThrow();
    CheckResult onGke = Checks.run(runtime, nodes(Fixtures.node("gke-gpu-1", "gce://p/europe-west4-a/n1",
        Map.of("cloud.google.com/gke-nodepool", "gpu", "cloud.google.com/gke-accelerator", "nvidia-l4"), Map.of())));
    assertThat(onGke.status()).isEqualTo(CheckStatus.WARN);
    assertThat(onGke.remedy()).hasValueSatisfying(r -> assertThat(r).contains("gpu-driver-version=disabled")
        .contains("gke-no-default-nvidia-gpu-device-plugin=true").contains("gpu_stack: gke-managed"));
    assertThat(Checks.run(runtime, nodes(Fixtures.cpuNode("a"))).status()).isEqualTo(CheckStatus.PASS);
    assertThat(byo("").gpuStack().checks()).extracting(Check::id).doesNotContain("gpu.operator.gke-runtime");
  }

  @Test
  void externalStackRendersNothingAndLeavesTheWorkToItsOwner() {
    Substrate s = byo("gpu_stack: external");
    assertThat(s.gpuStack().resources(RenderContext.of("byo", s.config()))).isEmpty();
    assertThat(s.gpuStack().capabilities()).allSatisfy(c -> assertThat(c.state()).isEqualTo(CapabilityState.NEEDS_ACTION));
    assertThat(s.gpuStack().checks()).extracting(Check::id).contains("gpu.nodes-advertise");
  }

  @Test
  void noneStackIsUnsupportedEverywhere() {
    Substrate s = byo("gpu_stack: none");
    assertThat(s.gpuStack().capabilities()).hasSize(5).allSatisfy(c -> {
      assertThat(c.state()).isEqualTo(CapabilityState.UNSUPPORTED);
      assertThat(c.reason()).isEqualTo("no GPU stack configured");
    });
    assertThat(s.gpuStack().checks()).extracting(Check::id).containsExactly("gpu.none");
  }

  @Test
  void storageFollowsConfig() {
    Substrate s = byo("storage: {default_class: standard}");
    assertThat(s.storage().defaultClassName()).hasValue("standard");
    assertThat(s.storage().provisioner()).isEmpty();
    assertThat(byo("").storage().defaultClassName()).isEmpty();
    assertThat(state(s, CapabilityIds.STORAGE_DEFAULT_CLASS)).isEqualTo(CapabilityState.SUPPORTED);
    assertThat(state(s, CapabilityIds.STORAGE_RWX)).isEqualTo(CapabilityState.NEEDS_ACTION);
    assertThat(state(s, CapabilityIds.STORAGE_SNAPSHOTS)).isEqualTo(CapabilityState.NEEDS_ACTION);
    assertThat(state(s, CapabilityIds.STORAGE_EXPANSION)).isEqualTo(CapabilityState.NEEDS_ACTION);
    assertThat(s.storage().checks()).extracting(Check::id)
        .containsExactly("storage.default-class", "storage.snapshots", "storage.rwx");
  }

  @Test
  void metallbNeedsAddresses() {
    assertThatThrownBy(() -> byo("load_balancer: {provider: metallb}"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("load_balancer.addresses was '' but must list at least one range for load_balancer provider metallb");
  }

  @Test
  void metallbCapabilitiesAndChecks() {
    Substrate s = byo("load_balancer: {provider: metallb, addresses: [192.0.2.10-192.0.2.20]}");
    assertThat(state(s, CapabilityIds.LB_PROVISIONING)).isEqualTo(CapabilityState.SUPPORTED);
    assertThat(state(s, CapabilityIds.LB_INTERNAL)).isEqualTo(CapabilityState.NEEDS_ACTION);
    assertThat(s.loadBalancer().serviceAnnotations(LoadBalancerIntent.of(LoadBalancerIntent.Exposure.PUBLIC))).isEmpty();
    assertThat(s.loadBalancer().checks()).extracting(Check::id).containsExactly("lb.metallb.installed", "lb.addresses");
    assertThat(state(s, CapabilityIds.LB_HEALTH_CHECK)).isEqualTo(CapabilityState.UNSUPPORTED);
    assertThat(s.loadBalancer().serviceAnnotations(LoadBalancerIntent.builder()
        .healthCheck(LoadBalancerIntent.HealthCheck.builder().retries(2).build()).build())).isEmpty();
    assertThat(state(byo(""), CapabilityIds.LB_HEALTH_CHECK)).isEqualTo(CapabilityState.UNSUPPORTED);
  }

  @Test
  void metallbInstalledCheck() {
    Substrate s = byo("load_balancer: {provider: metallb, addresses: [192.0.2.10-192.0.2.20]}");
    Check installed = s.loadBalancer().checks().get(0);
    ClusterSnapshot absent = ClusterSnapshot.builder()
        .unread(ResourceKind.IP_ADDRESS_POOLS, ClusterSnapshot.ReadState.ABSENT, "not served").build();
    assertThat(Checks.run(installed, absent).status()).isEqualTo(CheckStatus.FAIL);
    ClusterSnapshot noPool = ClusterSnapshot.builder().add(ResourceKind.IP_ADDRESS_POOLS, List.of()).build();
    assertThat(Checks.run(installed, noPool).status()).isEqualTo(CheckStatus.WARN);
    ClusterSnapshot withPool = ClusterSnapshot.builder().add(ResourceKind.IP_ADDRESS_POOLS, List.of(ipPool(s))).build();
    assertThat(Checks.run(installed, withPool).status()).isEqualTo(CheckStatus.PASS);
  }

  @Test
  void noLoadBalancerIsUnsupported() {
    Substrate s = byo("");
    assertThat(state(s, CapabilityIds.LB_PROVISIONING)).isEqualTo(CapabilityState.UNSUPPORTED);
    assertThat(s.capability(CapabilityIds.LB_PROVISIONING).flatMap(Capability::remedy))
        .hasValueSatisfying(r -> assertThat(r).contains("metallb").contains("NodePort"));
    assertThat(s.loadBalancer().checks()).extracting(Check::id).containsExactly("lb.addresses");
  }

  @Test
  void kubernetesSecretsAreKeylessWithNoLongLivedCredential() {
    Substrate s = byo("");
    assertThat(s).hasCapability(CapabilityIds.SECRETS_KEYLESS).isSupported();
    assertThat(s).hasCapability(CapabilityIds.SECRETS_LONG_LIVED_CREDENTIALS).isSupported().hasCount(0);
    assertThat(s).hasCapability(CapabilityIds.SECRETS_BACKEND_ACCESS)
        .hasRemedyContaining("create namespace platform-secrets", "--serviceaccount=external-secrets:external-secrets");
    assertThat(s.secrets().checks()).extracting(Check::id)
        .containsExactly("eso.crds", "eso.store-ready", "secrets.long-lived-credentials");
  }

  @Test
  void theSecretStoreNeedsACluster() {
    assertThatThrownBy(() -> byo("").secrets().store()).isInstanceOf(ConfigException.class)
        .hasMessageContaining("the kubernetes secret backend needs a Kubernetes cluster");
  }

  @Test
  void detectionAlwaysClaimsTheClusterWithALowScoreAndSaysWhatItSaw() {
    ByoSubstrateProvider provider = new ByoSubstrateProvider();
    ClusterSnapshot plain = nodes(Fixtures.cpuNode("a"), Fixtures.cpuNode("b"), Fixtures.cpuNode("c"));
    Optional<Detection> d = provider.detect(plain);
    assertThat(d).hasValueSatisfying(x -> {
      assertThat(x.substrateId()).isEqualTo("byo");
      assertThat(x.score()).isEqualTo(10);
      assertThat(x.evidence()).isEqualTo("3 nodes: 3 without providerID");
    });
    ClusterSnapshot hetzner = nodes(
        Fixtures.node("cx-1", "hcloud://1", Map.of("instance.hetzner.cloud/provided-by", "cloud"), Map.of()),
        Fixtures.node("gex-1", "hrobot://2", Map.of(), Map.of()));
    assertThat(provider.detect(hetzner).map(Detection::evidence))
        .hasValue("2 nodes: 1 hcloud://, 1 hrobot://; labels: instance.hetzner.cloud/provided-by on 1");
    assertThat(provider.detect(nodes()).map(Detection::evidence)).hasValue("no nodes");
  }

  @Test
  void doctorOnAHealthyClusterPassesWithoutUndeclaredReads() {
    Substrate s = byo("load_balancer: {provider: metallb, addresses: [192.0.2.10-192.0.2.20]}\nprofile: prod");
    ClusterSnapshot healthy = ClusterSnapshot.builder()
        .addObjects(ResourceKind.NODES, List.of(Fixtures.cpuNode("cpu-1"), Fixtures.gpuNode("gpu-1", "4")))
        .addObjects(ResourceKind.STORAGE_CLASSES, List.of(Fixtures.storageClass("standard", "csi.example.com", true)))
        .addObjects(ResourceKind.VOLUME_SNAPSHOT_CLASSES, List.of(Fixtures.snapshotClass("snap", "csi.example.com", true)))
        .addObjects(ResourceKind.CLUSTER_POLICIES, List.of(Fixtures.clusterPolicy("ready")))
        .addObjects(ResourceKind.DAEMON_SETS, List.of(Fixtures.daemonSet("gpu-operator", "nvidia-dcgm-exporter",
            Map.of(), 1, 1)))
        .addObjects(ResourceKind.SERVICES, List.of(Fixtures.service("llm", "gateway", "LoadBalancer", "192.0.2.10")))
        .add(ResourceKind.IP_ADDRESS_POOLS, List.of(ipPool(s)))
        .addObjects(ResourceKind.CUSTOM_RESOURCE_DEFINITIONS, List.of(
            Fixtures.crd("clustersecretstores.external-secrets.io", "v1"),
            Fixtures.crd("externalsecrets.external-secrets.io", "v1")))
        .addObjects(ResourceKind.CLUSTER_SECRET_STORES, List.of(
            Fixtures.secretStore("secret-store", "kubernetes", "True", "Valid", "store validated")))
        .build();
    Report report = s.doctor(healthy);
    assertThat(report.results()).allSatisfy(r -> assertThat(r.status()).as(r.id() + ": " + r.finding())
        .isIn(CheckStatus.PASS, CheckStatus.SKIP));
    assertThat(report.results()).extracting(r -> r.id()).contains("gpu.nodes-advertise", "gpu.operator.cluster-policy",
        "gpu.dcgm-exporter", "storage.default-class", "storage.snapshots", "storage.rwx", "lb.metallb.installed",
        "lb.addresses", "eso.crds", "eso.store-ready", "secrets.long-lived-credentials");
  }

  @Test
  void devDoesNotListSnapshotClasses() {
    assertThat(byo("").reads()).doesNotContain(ResourceKind.VOLUME_SNAPSHOT_CLASSES);
    assertThat(byo("profile: prod").reads()).contains(ResourceKind.VOLUME_SNAPSHOT_CLASSES);
  }

  private static GenericKubernetesResource ipPool(Substrate s) {
    return s.render().resources().stream().filter(r -> r.getKind().equals("IPAddressPool"))
        .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
  }

  private static ClusterSnapshot nodes(Node... nodes) {
    return ClusterSnapshot.builder().addObjects(ResourceKind.NODES, List.of((Object[]) nodes)).build();
  }

  private static CapabilityState state(Substrate s, String id) {
    return s.capability(id).map(Capability::state).orElseThrow(() -> new AssertionError("no capability " + id));
  }
}
