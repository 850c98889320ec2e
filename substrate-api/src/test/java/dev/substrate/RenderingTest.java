package dev.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderingTest {
  private final Substrate substrate = Substrates.builder().loader(TestProviders.loader())
      .config(SubstrateConfig.parse("substrate: {id: alpha}\ngpu: {tenancy: {mode: mps, replicas: 3}}")).build();

  @Test
  void writesOneFilePerResourcePlusAKustomizationByteForByteTheSame(@TempDir Path dir) throws Exception {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    substrate.render().writeTo(first);
    substrate.render().writeTo(second);
    assertThat(list(first)).containsExactly(".substrate-rendering", "00-namespace-gpu.yaml",
        "01-configmap-gpu-gpu-config.yaml", "02-clustersecretstore-secret-store.yaml", "kustomization.yaml");
    for (String name : list(first)) {
      assertThat(Files.readAllBytes(second.resolve(name))).isEqualTo(Files.readAllBytes(first.resolve(name)));
    }
    assertThat(Files.readString(first.resolve("kustomization.yaml"))).isEqualTo(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- 00-namespace-gpu.yaml\n"
            + "- 01-configmap-gpu-gpu-config.yaml\n- 02-clustersecretstore-secret-store.yaml\n");
    assertThat(Files.readString(first.resolve("01-configmap-gpu-gpu-config.yaml"))).isEqualTo(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gpu-config\n  namespace: gpu\ndata:\n  replicas: \"3\"\n");
  }

  @Test
  void refusesARenderingNoManifestRecordsAndTouchesNothing(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("kustomization.yaml"), "old");
    Files.writeString(out.resolve("99-stale.yaml"), "old");
    assertThatThrownBy(() -> substrate.render().writeTo(out)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(out.resolve("kustomization.yaml") + " exists and no earlier rendering wrote it");
    assertThat(list(out)).containsExactly("99-stale.yaml", "kustomization.yaml");
    assertThat(out.resolve("kustomization.yaml")).hasContent("old");
    try (Stream<Path> siblings = Files.list(dir)) {
      assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("out");
    }
  }

  @Test
  void writesBesideForeignFilesWhoseNamesItDoesNotUse(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "mine");
    substrate.render().writeTo(dir);
    assertThat(list(dir)).containsExactly(".substrate-rendering", "00-namespace-gpu.yaml",
        "01-configmap-gpu-gpu-config.yaml", "02-clustersecretstore-secret-store.yaml", "kustomization.yaml",
        "notes.txt");
    assertThat(dir.resolve("notes.txt")).hasContent("mine");
  }

  private static java.util.List<String> list(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
