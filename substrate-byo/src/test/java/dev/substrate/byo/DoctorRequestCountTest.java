package dev.substrate.byo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.ApplyOptions;
import dev.substrate.ApplyResult;
import dev.substrate.Capability;
import dev.substrate.ClusterSnapshot;
import dev.substrate.GpuStack;
import dev.substrate.RenderContext;
import dev.substrate.Report;
import dev.substrate.ResourceKind;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.kubefake.ApiRequest;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import dev.substrate.kubefake.MinimalCrds;
import dev.substrate.spi.Check;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Doctor costs one LIST per kind plus one per extra page of 500, whatever the number of nodes or checks. */
class DoctorRequestCountTest {
  private static final SubstrateConfig CONFIG = SubstrateConfig.parse("substrate: {id: byo}\nprofile: prod\n");

  @Test
  void twoThousandNodesCostThreeExtraPagesAndNothingMore() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER).nodes(2_000).start()) {
      Substrate substrate = Substrates.builder().config(CONFIG).client(cluster.client()).build();
      cluster.resetJournal();
      Report report = substrate.doctor(cluster.client());

      int kinds = substrate.reads().size();
      assertThat(substrate.reads()).contains(ResourceKind.NODES);
      assertThat(report.apiRequests()).isEqualTo(kinds + 3);
      assertThat(cluster.requests()).as("what the server saw").hasSize(kinds + 3).allMatch(ApiRequest::isList);
      assertThat(cluster.listRequests("nodes")).isEqualTo(4);
      assertThat(report.results()).hasSize(substrate.checks().size());
    }
  }

  /**
   * With every answer held back two seconds, kinds read one after another could never arrive at the server less than
   * two seconds apart; side by side, several arrive at once, and the snapshot and the request count are the same.
   */
  @Test
  void kindsAreReadSideBySideWithTheSameRequestsAndTheSameSnapshot() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER).nodes(10).start()) {
      List<ResourceKind> kinds = List.of(ResourceKind.NODES, ResourceKind.STORAGE_CLASSES, ResourceKind.SERVICES,
          ResourceKind.DEPLOYMENTS, ResourceKind.DAEMON_SETS);
      List<String> progress = new ArrayList<>();
      ClusterSnapshot oneByOne = readOneByOne(cluster, kinds);
      cluster.resetJournal();
      cluster.delay(Duration.ofSeconds(2));

      ClusterSnapshot snapshot = ClusterSnapshot.read(cluster.client(), kinds, progress::add);

      List<ApiRequest> seen = cluster.requests();
      assertThat(seen).hasSize(kinds.size()).allMatch(ApiRequest::isList);
      assertThat(snapshot.apiRequests()).isEqualTo(kinds.size());
      Instant first = seen.get(0).time();
      assertThat(seen.stream().filter(r -> r.time().isBefore(first.plusSeconds(2))).count())
          .as("requests that arrived before the first answer could have: %s", seen).isGreaterThan(1);
      for (ResourceKind kind : kinds) {
        assertThat(snapshot.list(kind)).hasSameSizeAs(oneByOne.list(kind));
      }
      assertThat(progress).as("reported in the kinds' order, whichever finished first")
          .map(line -> line.replaceAll("^read \\d+ ", ""))
          .containsExactly("daemonsets.apps", "deployments.apps", "nodes", "services", "storageclasses.storage.k8s.io");
    }
  }

  /**
   * A kind of several pages is read as the server lists it: each page's objects once, in the server's order, with one
   * request per page, though each page is parsed while the next is fetched.
   */
  @Test
  void pagesParsedWhileTheNextIsFetchedGiveEveryObjectOnceInTheServersOrder() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER).nodes(1_234).start()) {
      List<String> listed = cluster.client().nodes().list().getItems().stream().map(n -> n.getMetadata().getName())
          .toList();
      cluster.resetJournal();
      List<String> progress = new ArrayList<>();

      ClusterSnapshot snapshot = ClusterSnapshot.read(cluster.client(), List.of(ResourceKind.NODES), progress::add);

      assertThat(snapshot.list(ResourceKind.NODES, Node.class)).map(n -> n.getMetadata().getName())
          .hasSize(1_234).containsExactlyElementsOf(listed);
      assertThat(cluster.listRequests("nodes")).isEqualTo(3).isEqualTo(snapshot.apiRequests());
      assertThat(progress).containsExactly("read 1234 nodes (3 pages)");
    }
  }

  private static ClusterSnapshot readOneByOne(EmbeddedCluster cluster, List<ResourceKind> kinds) {
    ClusterSnapshot.Builder all = ClusterSnapshot.builder();
    kinds.forEach(kind -> all.addAll(ClusterSnapshot.read(cluster.client(), List.of(kind))));
    return all.build();
  }

  @Test
  void aSmallClusterCostsOneRequestPerKind() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.HETZNER).nodes(10).start()) {
      Substrate substrate = Substrates.builder().config(CONFIG).client(cluster.client()).build();
      cluster.resetJournal();
      Report report = substrate.doctor(cluster.client());
      assertThat(report.apiRequests()).isEqualTo(substrate.reads().size());
      assertThat(cluster.requestCount()).isEqualTo(substrate.reads().size());
    }
  }

  @Test
  void withoutASubstrateIdTheNodesDetectionListedAreReusedAndCounted() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.BYO).nodes(1_200).start()) {
      cluster.resetJournal();
      ClusterSnapshot nodes = ClusterSnapshot.read(cluster.client(), Set.of(ResourceKind.NODES));
      Substrate substrate = Substrates.builder().config(SubstrateConfig.parse("profile: prod\n"))
          .client(cluster.client()).nodes(nodes).build();
      Report report = substrate.doctor(cluster.client(), nodes, line -> {});

      assertThat(substrate.detection()).isPresent();
      assertThat(cluster.listRequests("nodes")).as("three pages, listed once").isEqualTo(3);
      assertThat(report.apiRequests()).isEqualTo(substrate.reads().size() + 2).isEqualTo(cluster.requestCount());
      assertThat(report.results()).filteredOn(r -> r.id().equals("substrate.nodes")).singleElement()
          .satisfies(r -> assertThat(r.finding()).contains("1200 nodes"));
    }
  }

  @Test
  void aForbiddenKindIsAFindingNotACrash() {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO)) {
      cluster.forbid("storage.k8s.io", "storageclasses");
      Report report = Substrates.builder().config(CONFIG).client(cluster.client()).build().doctor(cluster.client());
      assertThat(report.results()).filteredOn(r -> r.id().equals("storage.default-class")).singleElement()
          .satisfies(r -> assertThat(r.finding()).startsWith("could not check: may not list storageclasses"));
    }
  }

  @Test
  void applyIsIdempotentAndADryRunStoresNothing() {
    SubstrateConfig config = SubstrateConfig.parse(String.join("\n", "substrate: {id: byo}",
        "gpu: {tenancy: {mode: time-slicing, replicas: 4}}",
        "load_balancer: {provider: metallb, addresses: [192.0.2.10-192.0.2.20]}", ""));
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO)) {
      Substrate substrate = Substrates.builder().config(config).client(cluster.client()).build();
      int resources = substrate.render().resources().size();

      ApplyResult dryRun = substrate.apply(cluster.client(), ApplyOptions.dryRunOnly());
      assertThat(dryRun.count(ApplyResult.Action.CREATED)).isEqualTo(resources);
      assertThat(cluster.client().namespaces().withName("gpu-operator").get()).isNull();

      ApplyResult first = substrate.apply(cluster.client(), ApplyOptions.defaults());
      assertThat(first.count(ApplyResult.Action.CREATED)).isEqualTo(resources);
      assertThat(cluster.client().namespaces().withName("gpu-operator").get()).isNotNull();

      ApplyResult second = substrate.apply(cluster.client(), ApplyOptions.defaults());
      assertThat(second.count(ApplyResult.Action.UNCHANGED)).as(second.outcomes().toString()).isEqualTo(resources);
    }
  }

  @Test
  void aRenderedCrdIsEstablishedBeforeItsObjectsAndADryRunOfBothSucceeds() {
    GenericKubernetesResource widget = new GenericKubernetesResourceBuilder().withApiVersion("example.com/v1")
        .withKind("Widget").withNewMetadata().withName("w1").endMetadata()
        .addToAdditionalProperties("spec", Map.of("size", 3)).build();
    GpuStack withCrd = new GpuStack() {
      @Override
      public String id() {
        return "widgets";
      }

      @Override
      public List<Capability> capabilities() {
        return List.of();
      }

      @Override
      public List<HasMetadata> resources(RenderContext context) {
        return List.of(widget, MinimalCrds.of("example.com", "v1", "Widget", "widgets", false));
      }

      @Override
      public List<Check> checks() {
        return List.of();
      }
    };
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO)) {
      Substrate substrate = Substrates.builder().config(SubstrateConfig.parse("substrate: {id: byo}"))
          .client(cluster.client()).gpuStack(withCrd).build();
      assertThat(substrate.render().resources()).extracting(HasMetadata::getKind)
          .startsWith("CustomResourceDefinition").contains("Widget");

      ApplyResult dryRun = substrate.apply(cluster.client(), ApplyOptions.dryRunOnly());
      assertThat(dryRun.outcomes()).extracting(ApplyResult.Outcome::action).containsOnly(ApplyResult.Action.CREATED);

      substrate.apply(cluster.client(), ApplyOptions.defaults());
      assertThat(cluster.client().genericKubernetesResources("example.com/v1", "Widget").withName("w1").get())
          .isNotNull();
    }
  }
}
