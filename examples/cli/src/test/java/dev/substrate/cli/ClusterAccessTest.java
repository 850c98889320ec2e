package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClusterAccessTest {
  @TempDir Path dir;

  @Test
  void a_kubeconfig_with_extensions_of_any_shape_is_read() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BARE)) {
      Path file = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
      String text = Files.readString(file).replace("\ncurrent-context:",
          "\nextensions:\n- name: a\n  extension: {audience: x, nested: {list: [1, 2]}}\n"
              + "- name: b\n  extension: {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n"
              + "- name: c\n  extension: plain\ncurrent-context:");
      assertThat(text).contains("extensions:");
      Files.writeString(file, text);
      try (ClusterAccess access = ClusterAccess.kubeconfig(file, null)) {
        assertThat(access.client().nodes().list().getItems()).hasSize(1);
      }
    }
  }
}
