package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The substrate command on GKE: the embedded GKE cluster is a working platform cluster. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GkeCliTest {
  private static final String CLUSTER = "cluster: {name: prod, projectID: acme-ml, location: europe-west4}\n";

  @TempDir Path tmp;

  /** Writes {@code yaml} to a config file and returns its path. */
  private String config(String yaml) throws IOException {
    return Files.writeString(tmp.resolve("config.yaml"), yaml).toString();
  }

  @Test
  void doctor_passes_on_an_embedded_gke_cluster() {
    Cli.Result r = Cli.run("doctor", "--embedded", "gke");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).contains("detected substrate gke");
    assertThat(r.out().lines()).as(r.toString()).noneMatch(l -> l.startsWith("FAIL"));
    assertThat(r.out()).contains("PASS  gpu.gke.device-plugin").contains("PASS  gpu.gke.dcgm")
        .contains("PASS  eso.store-ready").containsPattern("\\d+ passed / 0 failed / 0 warnings");
  }

  @Test
  void doctor_fails_on_a_bare_cluster_with_a_remedy_under_every_failure() {
    Cli.Result r = Cli.run("doctor", "--embedded", "bare", "--substrate", "gke");

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    List<String> lines = r.out().lines().toList();
    assertThat(lines).as(r.toString()).anyMatch(l -> l.startsWith("FAIL  gpu.gke.device-plugin"))
        .anyMatch(l -> l.startsWith("FAIL  storage.default-class"));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("FAIL")) {
        assertThat(i + 1).as(r.toString()).isLessThan(lines.size());
        assertThat(lines.get(i + 1)).as(lines.get(i)).matches("\\s+→ \\S.*");
      }
    }
  }

  @Test
  void doctor_warns_when_the_gpu_operator_is_chosen_on_gke() throws IOException {
    Cli.Result r = Cli.run("doctor", "--embedded", "gke", "-c", config("substrate: {id: gke}\ngpu_stack: operator\n"));

    List<String> lines = r.out().lines().toList();
    int warning = lines.stream().filter(l -> l.startsWith("WARN  gpu.operator.gke-runtime")).findFirst()
        .map(lines::indexOf).orElse(-1);
    assertThat(warning).as(r.toString()).isNotNegative();
    assertThat(lines.get(warning)).contains("still run GKE's own GPU stack");
    assertThat(lines.get(warning + 1)).startsWith("      → ");
  }

  @Test
  void render_of_the_gpu_operator_on_gke_writes_the_quota_for_its_critical_pods() throws IOException {
    Path dir = tmp.resolve("operator");

    Cli.Result r = Cli.run("render", "--substrate", "gke", "-c", config("gpu_stack: operator\n" + CLUSTER), "-o",
        dir.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    String quota;
    try (Stream<Path> files = Files.list(dir)) {
      quota = files.map(GkeCliTest::read).filter(y -> y.contains("kind: ResourceQuota")).findFirst()
          .orElseThrow(() -> new AssertionError("no ResourceQuota in " + dir));
    }
    assertThat(quota).contains("namespace: gpu-operator").contains("scopeName: PriorityClass")
        .contains("system-node-critical").contains("system-cluster-critical");
  }

  @Test
  void precompiled_drivers_for_the_gpu_operator_on_gke_are_a_one_line_config_error() throws IOException {
    Cli.Result r = Cli.run("render", "--substrate", "gke", "-c",
        config("gpu_stack: operator\ngpu: {operator: {driver: {precompiled: true}}}\n" + CLUSTER), "-o",
        tmp.resolve("refused").toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).as(r.toString()).contains("gpu.operator.driver.precompiled was 'true' but must be false on "
        + "substrate gke").doesNotContain("Exception");
    assertThat(tmp.resolve("refused")).doesNotExist();
  }

  @Test
  void render_writes_the_default_volume_snapshot_class_for_prod() throws IOException {
    Path dir = tmp.resolve("layer");

    Cli.Result r = Cli.run("render", "--substrate", "gke", "-c", config("profile: prod\n" + CLUSTER), "-o",
        dir.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    String snapshotClass;
    try (Stream<Path> files = Files.list(dir)) {
      snapshotClass = files.map(GkeCliTest::read).filter(y -> y.contains("kind: VolumeSnapshotClass")).findFirst()
          .orElseThrow(() -> new AssertionError("no VolumeSnapshotClass in " + dir));
    }
    assertThat(snapshotClass).contains("name: pd-snapshot-class").contains("driver: pd.csi.storage.gke.io")
        .contains("snapshot.storage.kubernetes.io/is-default-class: \"true\"").contains("deletionPolicy: Delete")
        .contains("storage-locations: europe-west4");

    Path cost = tmp.resolve("cost");
    assertThat(Cli.run("render", "--substrate", "gke", "-c", config("profile: cost\n" + CLUSTER), "-o",
        cost.toString()).code()).isZero();
    try (Stream<Path> files = Files.list(cost)) {
      assertThat(files.map(GkeCliTest::read)).noneMatch(y -> y.contains("kind: VolumeSnapshotClass"));
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
