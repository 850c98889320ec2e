package dev.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class NodePoolsTest {
  private static final TestProviders.TestSubstrate ALPHA = new TestProviders.TestSubstrate("alpha", "alpha://");
  private static final ProviderLoader LOADER = ProviderLoader.of(ALPHA,
      new TestProviders.TestSubstrate("beta", "beta://"), new TestProviders.TestSubstrate("gamma", "gamma://"),
      new TestProviders.TestGpu(), new TestProviders.TestStorage(), new TestProviders.TestLb(),
      new TestProviders.TestSecrets("memory"));

  private static Node node(String name, String providerId, boolean controlPlane, int gpus) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withProviderID(providerId).endSpec();
    if (controlPlane) {
      b.editMetadata().addToLabels("node-role.kubernetes.io/control-plane", "").endMetadata();
    }
    if (gpus > 0) {
      b.withNewStatus().addToAllocatable("nvidia.com/gpu", new Quantity(String.valueOf(gpus))).endStatus();
    }
    return b.build();
  }

  /** {@code alpha} alpha:// nodes (the first a control plane) and {@code beta} beta:// nodes (the last with a GPU). */
  private static ClusterSnapshot cluster(int alpha, int beta, Node... more) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < alpha; i++) {
      nodes.add(node("cloud-" + i, "alpha://" + i, i == 0, 0));
    }
    for (int i = 0; i < beta; i++) {
      nodes.add(node("home-" + i, "beta://home/" + (100 + i), false, i == beta - 1 ? 1 : 0));
    }
    nodes.addAll(List.of(more));
    return ClusterSnapshot.builder().addObjects(ResourceKind.NODES, nodes)
        .addObjects(ResourceKind.STORAGE_CLASSES, List.of(new StorageClassBuilder().withNewMetadata()
            .withName("any").endMetadata().withProvisioner("x").build()))
        .build();
  }

  private static Substrate substrate(String yaml) {
    return Substrates.builder().loader(LOADER).config(SubstrateConfig.parse(yaml)).build();
  }

  private static Map<String, CheckResult> results(Report report) {
    return report.results().stream().collect(Collectors.toMap(CheckResult::id, r -> r));
  }

  @Nested
  class Config {
    @Test
    void aPoolNamesItsSubstrateAndMayChooseItsGpuStackAndStorage() {
      SubstrateConfig config = SubstrateConfig.parse(
          "substrate: {id: alpha, pools: {home: {substrate: beta, gpu_stack: test-gpu, storage: test-storage}}}");
      assertThat(config.pools()).containsOnlyKeys("home");
      assertThat(config.pools().get("home").substrate()).isEqualTo("beta");
      assertThat(config.pools().get("home").gpuStack()).contains("test-gpu");
      assertThat(config.pools().get("home").storage()).contains("test-storage");
    }

    @Test
    void everyProblemIsReportedWithItsKey() {
      ConfigException e = catchThrowableOfType(ConfigException.class, () -> SubstrateConfig.parse(String.join("\n",
          "substrate:",
          "  id: alpha",
          "  pools:",
          "    same: {substrate: alpha}",
          "    home: {substrate: beta}",
          "    again: {substrate: beta}",
          "    nameless: {gpu_stack: test-gpu}",
          "    typo: {substrate: gamma, storgae: x}",
          "    Bad_Name: {substrate: gamma}",
          "")));
      assertThat(e.problems()).containsExactlyInAnyOrder(
          "substrate.pools.same.substrate was 'alpha' but must differ from substrate.id: the cluster's own "
              + "substrate's nodes are its main pool",
          "substrate.pools.again.substrate was 'beta' but pool home already runs on beta; a substrate's nodes form "
              + "one pool",
          "substrate.pools.nameless.substrate was '' but must name the pool's substrate",
          "substrate.pools.typo.storgae is not a known key (known: substrate, gpu_stack, storage); did you mean "
              + "'storage'?",
          "substrate.pools had a pool named 'Bad_Name' but pool names must be lowercase ids of letters, digits and "
              + "hyphens");
    }

    @Test
    void aClusterOnOneSubstrateHasOnePoolNamedByIt() {
      Substrate alpha = substrate("substrate: {id: alpha}");
      assertThat(alpha.pools()).extracting(NodePool::name).containsExactly("alpha");
      assertThat(alpha.describe()).isEqualTo("alpha");
      assertThat(alpha.checks()).extracting(c -> c.id()).contains("substrate.nodes", "gpu.nodes")
          .doesNotContain(PoolChecks.ASSIGNMENT);
    }
  }

  @Nested
  class Detection {
    @Test
    void nodesOfTwoSubstratesMakeTwoPoolsTheControlPlanesFirstAndSayWhatWasSeen() {
      Substrate detected = Substrates.builder().loader(LOADER).nodes(cluster(1, 3)).build();
      assertThat(detected.id()).isEqualTo("alpha");
      assertThat(detected.describe()).isEqualTo("alpha + beta");
      assertThat(detected.pools()).extracting(NodePool::name).containsExactly("alpha", "beta");
      assertThat(detected.detection().orElseThrow().evidence())
          .isEqualTo("alpha: 1 node: 1 alpha://; beta: 3 nodes: 3 beta://");
    }

    @Test
    void oneSubstratesNodesMakeNoPools() {
      Substrate detected = Substrates.builder().loader(LOADER).nodes(cluster(0, 3)).build();
      assertThat(detected.describe()).isEqualTo("beta");
      assertThat(detected.pools()).hasSize(1);
    }
  }

  @Nested
  class Doctor {
    private final Substrate hybrid = substrate("substrate: {id: alpha, pools: {home: {substrate: beta}}}");

    @Test
    void eachPoolsChecksSeeOnlyItsNodesAndAreNamedAfterIt() {
      Report report = hybrid.doctor(cluster(2, 3));
      Map<String, CheckResult> byId = results(report);
      assertThat(report.substrateId()).isEqualTo("alpha + beta (home)");
      assertThat(byId.get("alpha/gpu.nodes").finding()).isEqualTo("2 nodes");
      assertThat(byId.get("home/gpu.nodes").finding()).isEqualTo("3 nodes");
      assertThat(byId.get(PoolChecks.ASSIGNMENT).status()).isEqualTo(CheckStatus.PASS);
      assertThat(byId.get(PoolChecks.ASSIGNMENT).finding()).isEqualTo(
          "every node is in a pool: alpha: 2 nodes: 2 alpha://; home (beta): 3 nodes: 3 beta://");
      assertThat(byId).doesNotContainKey("substrate.nodes").containsKey("lb.stores");
    }

    @Test
    void theNodesAreSortedIntoPoolsOnceForAllOfTheirChecks() {
      ClusterSnapshot snapshot = cluster(2, 3);
      ALPHA.detections.set(0);

      Report report = hybrid.doctor(snapshot);

      assertThat(report.results()).filteredOn(r -> r.id().startsWith("home/")).hasSizeGreaterThan(1);
      assertThat(ALPHA.detections.get()).as("one detection per providerID scheme (alpha://, beta://)").isEqualTo(2);
    }

    @Test
    void nodesNoPoolRunsOnAreAWarningThatNamesThePoolToAdd() {
      Report report = hybrid.doctor(cluster(2, 1, node("odd-1", "gamma://1", false, 0)));
      CheckResult pools = results(report).get(PoolChecks.ASSIGNMENT);
      assertThat(pools.status()).isEqualTo(CheckStatus.WARN);
      assertThat(pools.finding()).startsWith("1 node looks like gamma, which no pool runs on (odd-1)");
      assertThat(pools.remedy()).hasValueSatisfying(r -> assertThat(r).startsWith(
          "add substrate.pools.gamma: {substrate: gamma}"));
    }

    @Test
    void aPoolWithoutNodesIsAWarning() {
      CheckResult pools = results(hybrid.doctor(cluster(2, 0))).get(PoolChecks.ASSIGNMENT);
      assertThat(pools.status()).isEqualTo(CheckStatus.WARN);
      assertThat(pools.finding()).startsWith("pool home (beta) has no nodes");
      assertThat(pools.remedy()).contains("join the pool's nodes, or remove substrate.pools.home");
    }
  }

  @Nested
  class PodPlacement {
    private final Substrate hybrid = substrate("substrate: {id: alpha, pools: {home: {substrate: beta}}}");

    private Pod pod(String gpus, String claim) {
      PodBuilder b = new PodBuilder().withNewMetadata().withName("vllm").endMetadata().withNewSpec()
          .addNewContainer().withName("vllm").withImage("vllm/vllm-openai").withNewResources()
          .addToLimits(gpus == null ? Map.of() : Map.of("nvidia.com/gpu", new Quantity(gpus))).endResources()
          .endContainer().endSpec();
      if (claim != null) {
        b.editSpec().addNewVolume().withName("weights").withNewPersistentVolumeClaim().withClaimName(claim)
            .endPersistentVolumeClaim().endVolume().endSpec();
      }
      return b.build();
    }

    @Test
    void aGpuPodFitsOnlyThePoolWithTheGpu() {
      List<Placement> placements = hybrid.placements(pod("1", null), List.of(), cluster(2, 2));
      assertThat(placements).extracting(Placement::pool, Placement::fits)
          .containsExactly(tuple("alpha", false),
              tuple("home", true));
      assertThat(placements.get(0).reason()).isEqualTo(
          "no node in the pool has 1 nvidia.com/gpu allocatable, and it cannot add GPU nodes");
      assertThat(placements.get(1).reason()).isEqualTo("home-1 has nvidia.com/gpu 1");
    }

    @Test
    void twoGpusFitNowhereWhereNoNodeHasTwo() {
      assertThat(hybrid.placements(pod("2", null), List.of(), cluster(2, 2)))
          .noneMatch(Placement::fits);
    }

    @Test
    void aReadWriteManyClaimNeedsStorageThatServesIt() {
      PersistentVolumeClaim shared = new PersistentVolumeClaimBuilder().withNewMetadata().withName("weights")
          .endMetadata().withNewSpec().withAccessModes("ReadWriteMany").endSpec().build();
      List<Placement> placements = hybrid.placements(pod(null, "weights"), List.of(shared),
          cluster(1, 1));
      // the test storage serves ReadWriteMany on both pools
      assertThat(placements).allMatch(Placement::fits);
      assertThat(placements.get(0).reason()).isEqualTo("its storage serves ReadWriteMany (volume weights)");
    }

    @Test
    void aPodThatNeedsNothingFitsEverywhere() {
      assertThat(hybrid.placements(pod(null, null), List.of(), cluster(1, 1)))
          .extracting(Placement::reason)
          .containsOnly("needs no GPU and no ReadWriteMany volume");
    }
  }
}
