package dev.substrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorTest {
  private final Substrate substrate = Substrates.builder().loader(TestProviders.loader())
      .config(SubstrateConfig.parse("substrate: {id: alpha}")).build();

  private static ClusterSnapshot.Builder nodes(String... providerIds) {
    ClusterSnapshot.Builder b = ClusterSnapshot.builder();
    List<Object> nodes = new java.util.ArrayList<>();
    for (int i = 0; i < providerIds.length; i++) {
      nodes.add(new NodeBuilder().withNewMetadata().withName("n" + i).endMetadata()
          .withNewSpec().withProviderID(providerIds[i]).endSpec().build());
    }
    return b.addObjects(ResourceKind.NODES, nodes);
  }

  @Test
  void theEngineReadsTheUnionOfDeclaredKindsOnce() {
    assertThat(substrate.reads()).containsExactlyInAnyOrder(
        ResourceKind.NODES, ResourceKind.STORAGE_CLASSES, ResourceKind.CLUSTER_SECRET_STORES,
        ResourceKind.CLUSTER_QUEUES, ResourceKind.RESOURCE_FLAVORS);
  }

  @Test
  void aForbiddenKindBecomesAWarningOfTheChecksThatNeedItAndAnAbsentCrdReachesTheCheck() {
    ClusterSnapshot snapshot = nodes("alpha://1")
        .unread(ResourceKind.STORAGE_CLASSES, ClusterSnapshot.ReadState.FORBIDDEN, "may not list storageclasses")
        .unread(ResourceKind.CLUSTER_SECRET_STORES, ClusterSnapshot.ReadState.ABSENT, "not served")
        .build();
    Report report = substrate.doctor(snapshot);
    assertThat(report.results()).extracting(CheckResult::id, CheckResult::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple("substrate.nodes", CheckStatus.PASS),
        org.assertj.core.groups.Tuple.tuple("gpu.tenancy.fit", CheckStatus.SKIP),
        org.assertj.core.groups.Tuple.tuple("gpu.tenancy.mig-capable", CheckStatus.SKIP),
        org.assertj.core.groups.Tuple.tuple("gpu.nodes", CheckStatus.PASS),
        org.assertj.core.groups.Tuple.tuple("storage.classes", CheckStatus.WARN),
        org.assertj.core.groups.Tuple.tuple("storage.sneaky", CheckStatus.WARN),
        org.assertj.core.groups.Tuple.tuple("lb.stores", CheckStatus.FAIL),
        org.assertj.core.groups.Tuple.tuple("gpu.kueue.flavors", CheckStatus.SKIP),
        org.assertj.core.groups.Tuple.tuple("gpu.kueue.quota", CheckStatus.SKIP));
    assertThat(report.results().get(4).finding()).isEqualTo("could not check: may not list storageclasses");
  }

  @Test
  void aKindTheServerFailedToListFailsTheChecksThatNeedIt() {
    ClusterSnapshot snapshot = nodes("alpha://1")
        .unread(ResourceKind.STORAGE_CLASSES, ClusterSnapshot.ReadState.FAILED,
            "listing storageclasses.storage.k8s.io failed with HTTP 500: boom")
        .addObjects(ResourceKind.CLUSTER_SECRET_STORES, List.of()).build();
    Report report = substrate.doctor(snapshot);
    assertThat(report.results()).filteredOn(r -> r.id().startsWith("storage.")).hasSize(2).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.finding()).isEqualTo("could not check: listing storageclasses.storage.k8s.io failed with HTTP 500: "
          + "boom");
      assertThat(r.remedy()).hasValueSatisfying(remedy -> assertThat(remedy).startsWith("retry").contains("readyz"));
    });
    assertThat(report.hasAtLeast(CheckStatus.FAIL)).isTrue();
  }

  @Test
  void aCheckThatReadsWhatItDidNotDeclareFailsAsABug() {
    Report report = substrate.doctor(nodes("alpha://1").addObjects(ResourceKind.STORAGE_CLASSES, List.of()).build());
    CheckResult sneaky = report.results().stream().filter(r -> r.id().equals("storage.sneaky")).findFirst()
        .orElseThrow();
    assertThat(sneaky.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(sneaky.finding()).isEqualTo("check storage.sneaky read nodes without declaring it in reads()");
  }

  @Test
  void aCheckThatReadsAnUndeclaredKindAsModelObjectsFailsEvenAfterAnotherCheckConvertedThem() {
    List<dev.substrate.spi.Check> checks = List.of(
        dev.substrate.spi.Check.of("nodes.count", java.util.Set.of(ResourceKind.NODES), s ->
            CheckResult.pass("nodes.count", s.list(ResourceKind.NODES, Node.class).size() + " nodes")),
        dev.substrate.spi.Check.of("storage.sneaky", java.util.Set.of(ResourceKind.STORAGE_CLASSES), s ->
            CheckResult.pass("storage.sneaky", s.list(ResourceKind.NODES, Node.class).size() + " nodes")));
    Report report = dev.substrate.internal.DoctorEngine.run("alpha", checks,
        nodes("alpha://1").addObjects(ResourceKind.STORAGE_CLASSES, List.of()).build(),
        dev.substrate.spi.DoctorContext.offline(line -> {}));
    assertThat(report.results()).extracting(CheckResult::status).containsExactly(CheckStatus.PASS, CheckStatus.FAIL);
    assertThat(report.results().get(1).finding())
        .isEqualTo("check storage.sneaky read nodes without declaring it in reads()");
  }

  @Test
  void aRestrictedViewIsANewSnapshotAndLeavesItsSourceReadable() {
    ClusterSnapshot all = nodes("alpha://1").addObjects(ResourceKind.STORAGE_CLASSES, List.of()).build();
    ClusterSnapshot view = dev.substrate.internal.SnapshotViews.restrictedTo(all,
        java.util.Set.of(ResourceKind.STORAGE_CLASSES), "storage.classes");
    assertThat(view).isNotSameAs(all);
    assertThat(view.kinds()).containsExactly(ResourceKind.STORAGE_CLASSES);
    assertThat(all.list(ResourceKind.NODES, Node.class)).hasSize(1);
    assertThat(all.kinds()).containsExactlyInAnyOrder(ResourceKind.NODES, ResourceKind.STORAGE_CLASSES);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> view.state(ResourceKind.NODES))
        .isInstanceOf(UndeclaredReadException.class)
        .hasMessage("check storage.classes read nodes without declaring it in reads()");
    ClusterSnapshot narrower = dev.substrate.internal.SnapshotViews.restrictedTo(view,
        java.util.Set.of(ResourceKind.NODES, ResourceKind.STORAGE_CLASSES), "other");
    assertThat(narrower.kinds()).containsExactly(ResourceKind.STORAGE_CLASSES);
  }

  @Test
  void nodesOfAnotherSubstrateAreAWarning() {
    Report report = substrate.doctor(nodes("beta://1", "beta://2").build());
    CheckResult nodes = report.results().get(0);
    assertThat(nodes.status()).isEqualTo(CheckStatus.WARN);
    assertThat(nodes.finding()).isEqualTo("substrate is alpha but the nodes look like beta: 2 nodes: 2 beta://");
  }

  @Test
  void textHasOneLinePerCheckRemediesIndentedAndTheSummaryLast() {
    Report report = substrate.doctor(nodes("alpha://1").addObjects(ResourceKind.STORAGE_CLASSES, List.of())
        .unread(ResourceKind.CLUSTER_SECRET_STORES, ClusterSnapshot.ReadState.ABSENT, "absent").build());
    String[] lines = report.toText().split("\n");
    assertThat(lines[0]).isEqualTo("PASS  substrate.nodes          nodes match substrate alpha: 1 node: 1 alpha://");
    assertThat(lines[1]).as("every substrate sizes gpu.tenancy; the default asks nothing")
        .isEqualTo("SKIP  gpu.tenancy.fit          gpu.tenancy.mode is exclusive with no gpu.tenancy.models, so no "
            + "models share a GPU's memory");
    assertThat(lines[4]).isEqualTo("FAIL  storage.classes          no StorageClass");
    assertThat(lines[5]).isEqualTo("      → install one");
    assertThat(lines[lines.length - 1]).isEqualTo("2 passed / 3 failed / 0 warnings (4 skipped)");
    assertThat(report.hasAtLeast(CheckStatus.FAIL)).isTrue();
  }

  @Test
  void jsonCarriesTheSameContentAndTheRequestCount() throws Exception {
    Report report = substrate.doctor(nodes("alpha://1").apiRequests(3)
        .addObjects(ResourceKind.STORAGE_CLASSES, List.of())
        .addObjects(ResourceKind.CLUSTER_SECRET_STORES, List.of()).build());
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.get("apiRequests").asInt()).isEqualTo(3);
    assertThat(json.get("summary").get("failed").asInt()).isEqualTo(report.failed());
    assertThat(json.get("checks")).hasSize(report.results().size());
    assertThat(json.get("checks").get(4).get("remedy").asText()).isEqualTo("install one");
  }

  @Test
  void checksThatReachBeyondTheSnapshotShareOneReadAndTheirRequestsAreReported() throws Exception {
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    java.util.function.BiFunction<ClusterSnapshot, dev.substrate.spi.DoctorContext, Integer> inventory = (s, c) ->
        c.shared("cloud.inventory", () -> {
          c.countRequests("cloud", 2);
          return reads.incrementAndGet();
        });
    List<dev.substrate.spi.Check> checks = List.of(
        dev.substrate.spi.Check.of("cloud.a", java.util.Set.of(), (s, c) ->
            CheckResult.pass("cloud.a", "read " + inventory.apply(s, c))),
        dev.substrate.spi.Check.of("cloud.b", java.util.Set.of(), (s, c) ->
            CheckResult.pass("cloud.b", "read " + inventory.apply(s, c))),
        dev.substrate.spi.Check.of("cluster.live", java.util.Set.of(), (s, c) -> c.client().isPresent()
            ? CheckResult.pass("cluster.live", "connected") : CheckResult.skip("cluster.live", "no live cluster")));
    Report report = dev.substrate.internal.DoctorEngine.run("alpha", checks, ClusterSnapshot.builder().build(),
        dev.substrate.spi.DoctorContext.offline(line -> {}));
    assertThat(reads).hasValue(1);
    assertThat(report.results()).extracting(CheckResult::finding).containsExactly("read 1", "read 1", "no live cluster");
    assertThat(report.otherApiRequests()).containsExactly(java.util.Map.entry("cloud", 2));
    assertThat(report.toText()).endsWith("cloud API: 2 requests" + System.lineSeparator());
    assertThat(new ObjectMapper().readTree(report.toJson()).at("/otherApiRequests/cloud").asInt()).isEqualTo(2);
  }

  @Test
  void requestsChecksMakeToTheClusterAreAddedToTheSnapshotsAndWritesAreNamed() throws Exception {
    List<dev.substrate.spi.Check> checks = List.of(
        dev.substrate.spi.Check.of("cluster.docs", java.util.Set.of(), (s, c) -> {
          c.countClusterRequests(2);
          return CheckResult.pass("cluster.docs", "read");
        }),
        dev.substrate.spi.Check.of("cluster.token", java.util.Set.of(), (s, c) -> {
          c.countClusterWrite("cluster.token created a TokenRequest for ns/sa");
          return CheckResult.pass("cluster.token", "minted");
        }));
    Report report = dev.substrate.internal.DoctorEngine.run("alpha", checks,
        ClusterSnapshot.builder().apiRequests(5).build(), dev.substrate.spi.DoctorContext.offline(line -> {}));
    assertThat(report.apiRequests()).isEqualTo(8);
    assertThat(report.apiWrites()).containsExactly("cluster.token created a TokenRequest for ns/sa");
    assertThat(report.toText()).endsWith("Kubernetes API: 8 requests, 1 a write: cluster.token created a TokenRequest "
        + "for ns/sa" + System.lineSeparator());
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.get("apiRequests").asInt()).isEqualTo(8);
    assertThat(json.get("apiWrites").get(0).asText()).isEqualTo("cluster.token created a TokenRequest for ns/sa");
  }

  @Test
  void aDumpIsReadOfflineAndKindsItLacksAreSkipped(@TempDir Path dir) throws Exception {
    Path dump = dir.resolve("dump.json");
    Files.writeString(dump, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
        + "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"a\"},\"spec\":{\"providerID\":\"alpha://9\"}},"
        + "{\"apiVersion\":\"storage.k8s.io/v1\",\"kind\":\"StorageClass\",\"metadata\":{\"name\":\"x\"},"
        + "\"provisioner\":\"p\"}]}");
    ClusterSnapshot snapshot = ClusterSnapshot.fromDump(dump);
    assertThat(snapshot.apiRequests()).isZero();
    Report report = substrate.doctor(snapshot);
    assertThat(report.results()).extracting(CheckResult::status).containsExactly(
        CheckStatus.PASS, CheckStatus.SKIP, CheckStatus.SKIP, CheckStatus.PASS, CheckStatus.PASS, CheckStatus.FAIL,
        CheckStatus.SKIP, CheckStatus.SKIP, CheckStatus.SKIP);
  }
}
