package dev.substrate.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.tngtech.archunit.core.domain.JavaClass;
import dev.substrate.architecture.Modules.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The public API of every published module (the BOM's) equals its committed dump in
 * {@code src/test/resources/api/<artifactId>.api}; see this module's README for why dumps and not japicmp yet.
 */
class PublicApiTest {
  static final String REGENERATE = "./mvnw -B -o -q -pl architecture-tests -am verify -Dsubstrate.api.update=true"
      + " -Dtest=PublicApiTest -Dsurefire.failIfNoSpecifiedTests=false";
  static final Path DUMPS = ModuleClasses.ROOT.resolve("architecture-tests/src/test/resources/api");
  static final boolean UPDATE = Boolean.getBoolean("substrate.api.update");

  /** The modules the BOM publishes. */
  static List<Module> published() {
    List<Module> published = new ArrayList<>();
    for (Poms.Dependency d : Poms.read(ModuleClasses.ROOT.resolve("bom/pom.xml")).managed()) {
      if (d.groupId().equals("dev.substrate")) {
        published.add(Modules.byArtifactId(Modules.ALL, d.artifactId()).orElseThrow(() -> new AssertionError(
            "the BOM publishes " + d.artifactId() + ", which Modules.ALL does not name: add it")));
      }
    }
    return published;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("published")
  void thePublicApiIsTheCommittedOne(Module m) throws IOException {
    Predicate<JavaClass> inModule = JavaClass.Predicates.resideInAnyPackage(Rules.roots(m))
        .and(JavaClass.Predicates.resideOutsideOfPackage(m.internal()));
    Map<String, List<String>> actual = ApiDump.of(ModuleClasses.main().stream().toList(), inModule::test);
    if (m.kind() == Modules.Kind.API) {
      assertThat(actual).as("public types of %s", m).isNotEmpty();
    }
    Path file = DUMPS.resolve(m.artifactId() + ".api");
    if (UPDATE) {
      Files.createDirectories(DUMPS);
      Files.writeString(file, ApiDump.render(m.artifactId(), actual));
      return;
    }
    if (!Files.exists(file)) {
      fail("no API dump for " + m + " at " + file + ". Write it with:\n  " + REGENERATE);
    }
    String diff = ApiDump.diff(ApiDump.parse(Files.readString(file)), actual);
    if (!diff.isEmpty()) {
      fail("The public API of " + m + " is not the one in " + ModuleClasses.ROOT.relativize(file) + ":\n" + diff
          + "If the change is intended, regenerate the dumps and commit them with it:\n  " + REGENERATE);
    }
  }

  @Test
  void everyDumpBelongsToAPublishedModule() throws IOException {
    List<String> expected = published().stream().map(m -> m.artifactId() + ".api").toList();
    List<Path> stale;
    try (Stream<Path> files = Files.list(DUMPS)) {
      stale = files.filter(f -> !expected.contains(f.getFileName().toString())).toList();
    }
    if (UPDATE) {
      for (Path f : stale) {
        Files.delete(f);
      }
      return;
    }
    assertThat(stale).as("dumps of modules the BOM does not publish; delete them or run " + REGENERATE).isEmpty();
  }

  @Test
  void aChangedSignatureIsReportedAsARemovedAndAnAddedLine() {
    Predicate<JavaClass> beta = JavaClass.Predicates.resideInAPackage(FixtureModules.BASE + "beta");
    Map<String, List<String>> actual = ApiDump.of(FixtureModules.classes().stream().toList(), beta::test);
    String committed = ApiDump.render("fixture-beta", actual)
        .replace("public " + FixtureModules.BASE + "beta.internal.BetaSecret secret()", "public java.lang.Object secret()");

    assertThat(ApiDump.diff(ApiDump.parse(committed), actual)).isEqualTo(
        "  " + FixtureModules.BASE + "beta.Beta\n"
            + "    - public java.lang.Object secret()\n"
            + "    + public " + FixtureModules.BASE + "beta.internal.BetaSecret secret()\n");
  }

  @Test
  void theDumpShowsTypesAndVisibleMembersWithGenericSignatures() {
    Predicate<JavaClass> beta = JavaClass.Predicates.resideInAnyPackage(FixtureModules.BASE + "beta");
    String b = FixtureModules.BASE + "beta.";
    assertThat(ApiDump.render("fixture-beta", ApiDump.of(FixtureModules.classes().stream().toList(), beta::test)))
        .endsWith("\n"
            + "public class " + b + "Beta implements " + FixtureModules.BASE + "api.FixtureSpi\n"
            + "  protected <T extends java.lang.Comparable<T>> java.util.List<T> sorted(java.util.List<T>)"
            + " throws java.io.IOException\n"
            + "  public <init>()\n"
            + "  public " + b + "internal.BetaSecret secret()\n"
            + "  public java.lang.String id()\n");
  }
}
