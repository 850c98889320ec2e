package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/PORTABILITY.md is what the providers declare; a capability changed in code without regenerating fails here. */
class PortabilityMatrixTest {
  private static final Path DOC = Path.of(System.getProperty("substrate.root", "../.."), "docs", "PORTABILITY.md");

  @Test
  void theCommittedMatrixIsWhatTheProvidersDeclare() throws Exception {
    String generated = PortabilityMatrix.markdown();
    if (Boolean.getBoolean("substrate.regenerate")) {
      Files.createDirectories(DOC.getParent());
      Files.writeString(DOC, generated, StandardCharsets.UTF_8);
    }
    assertThat(DOC).as("docs/PORTABILITY.md exists").exists();
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as("docs/PORTABILITY.md is stale: regenerate it with ./mvnw -B -pl examples/cli -am test "
            + "-Dtest=PortabilityMatrixTest -Dsurefire.failIfNoSpecifiedTests=false -Dsubstrate.regenerate=true")
        .isEqualTo(generated);
  }

  @Test
  void everyShippedSubstrateIsAColumnAndEveryCellHasAStateAndReason() {
    String md = PortabilityMatrix.markdown();
    assertThat(md).contains("| capability | gke | hetzner | byo | aws | proxmox |");
    assertThat(md).contains("| `gpu.scale-to-zero` | **SUPPORTED**").contains("## What changes from gke to hetzner")
        .contains("## What changes from gke to aws").contains("## What changes from gke to proxmox");
    md.lines().filter(l -> l.startsWith("| `")).forEach(row ->
        assertThat(row.split(" \\| ")).as(row).hasSize(6).allSatisfy(cell -> assertThat(cell).isNotBlank()));
  }
}
