package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The workplace's {@code validate-manifests} ({@code ../shared/tools}), which checks every custom resource in a
 * directory against the CRDs beside it, in {@code ../crds}. CRDs the shared folder lacks come from the test resources
 * ({@code crds/kueue}, {@code crds/flux}; see their READMEs): a copy of the tool then runs beside copies of the shared
 * CRDs and those. Where the tool is absent, the test is skipped, saying so.
 */
final class ManifestValidator {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ManifestValidator() {}

  /** Validates {@code dir} against the shared CRDs and those of each test resource folder; returns what it printed. */
  static String validate(Path dir, Path scratch, String... resourceFolders)
      throws IOException, InterruptedException {
    Path tool = shared();
    if (resourceFolders.length > 0) {
      Path root = Files.createTempDirectory(scratch, "validator");
      Path crds = Files.createDirectories(root.resolve("crds"));
      Path copy = Files.copy(tool, Files.createDirectories(root.resolve("tools")).resolve(tool.getFileName()));
      assertThat(copy.toFile().setExecutable(true)).isTrue();
      copyYaml(tool.getParent().resolveSibling("crds"), crds);
      for (String folder : resourceFolders) {
        copyYaml(resource(folder), crds);
      }
      tool = copy;
    }
    Process p = new ProcessBuilder(tool.toString(), dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("validate-manifests finishes").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains(", 0 with problems");
    return out;
  }

  /** {@code group/version Kind} of every CRD version the shared folder and the test resource folders hold. */
  static Set<String> kinds(String... resourceFolders) throws IOException {
    List<Path> folders = new ArrayList<>(List.of(shared().getParent().resolveSibling("crds")));
    Arrays.stream(resourceFolders).map(ManifestValidator::resource).forEach(folders::add);
    Set<String> kinds = new TreeSet<>();
    for (Path folder : folders) {
      try (Stream<Path> files = Files.list(folder)) {
        for (Path crd : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
          JsonNode spec = YAML.readTree(crd.toFile()).path("spec");
          spec.path("versions").forEach(v -> kinds.add(spec.path("group").asText() + "/" + v.path("name").asText()
              + " " + spec.at("/names/kind").asText()));
        }
      }
    }
    return kinds;
  }

  private static Path shared() {
    Path tool = Path.of(System.getProperty("substrate.shared", "/work/shared"), "tools", "validate-manifests");
    if (!Files.isExecutable(tool)) {
      tool = Path.of("../../../shared/tools/validate-manifests").toAbsolutePath().normalize();
    }
    Assumptions.assumeTrue(Files.isExecutable(tool), "validate-manifests not found in ../shared/tools: not validated");
    return tool;
  }

  private static Path resource(String folder) {
    try {
      return Path.of(ManifestValidator.class.getResource("/" + folder).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("no test resource folder " + folder, e);
    }
  }

  private static void copyYaml(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        Files.copy(f, to.resolve(f.getFileName().toString()));
      }
    }
  }
}
