package dev.substrate.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The one test-naming convention: {@code *Test} runs in {@code ./mvnw verify}; {@code *LiveTest}, which reaches real
 * clouds, runs only under {@code -Plive}. ModuleRulesTest holds the class names; this holds the build's side.
 */
class TestNamingTest {
  static final String INCLUDE = "**/*Test.java";
  static final String LIVE = "**/*LiveTest.java";

  @Test
  void theBuildRunsTestClassesAndLiveTestsOnlyUnderTheLiveProfile() {
    assertThat(surefireProblems(Poms.read(ModuleClasses.ROOT.resolve("pom.xml")))).isEmpty();
  }

  @Test
  void aBuildThatWouldRunLiveTestsByDefaultIsReported() {
    Poms.Pom pom = Poms.parse("""
        <project><build><pluginManagement><plugins><plugin>
          <artifactId>maven-surefire-plugin</artifactId>
          <configuration><includes><include>**/*Test.java</include></includes></configuration>
        </plugin></plugins></pluginManagement></build></project>
        """);
    assertThat(surefireProblems(pom)).containsExactly(
        "surefire excludes [] by default: it must exclude exactly [" + LIVE + "]",
        "no profile 'live' clears surefire's excludes");
  }

  /** What is wrong with the surefire configuration of the root pom {@code pom}. */
  static List<String> surefireProblems(Poms.Pom pom) {
    List<String> problems = new ArrayList<>();
    Optional<Element> config = surefire(pom.project());
    List<String> includes = config.flatMap(c -> Poms.child(c, "includes")).map(i -> Poms.texts(i, "include"))
        .orElse(List.of());
    List<String> excludes = config.flatMap(c -> Poms.child(c, "excludes")).map(e -> Poms.texts(e, "exclude"))
        .orElse(List.of());
    if (!includes.equals(List.of(INCLUDE))) {
      problems.add("surefire includes " + includes + ": it must include exactly [" + INCLUDE + "]");
    }
    if (!excludes.equals(List.of(LIVE))) {
      problems.add("surefire excludes " + excludes + " by default: it must exclude exactly [" + LIVE + "]");
    }
    boolean liveClears = Poms.child(pom.project(), "profiles").stream()
        .flatMap(p -> Poms.children(p, "profile").stream())
        .filter(p -> Poms.texts(p, "id").equals(List.of("live")))
        .map(TestNamingTest::surefire)
        .flatMap(Optional::stream)
        .flatMap(c -> Poms.child(c, "excludes").stream())
        .anyMatch(e -> "override".equals(e.getAttribute("combine.self")) && Poms.texts(e, "exclude").isEmpty());
    if (!liveClears) {
      problems.add("no profile 'live' clears surefire's excludes");
    }
    return problems;
  }

  /** The surefire {@code <configuration>} in {@code owner}'s build pluginManagement. */
  private static Optional<Element> surefire(Element owner) {
    return Poms.child(owner, "build").flatMap(b -> Poms.child(b, "pluginManagement"))
        .flatMap(m -> Poms.child(m, "plugins"))
        .flatMap(ps -> Poms.children(ps, "plugin").stream()
            .filter(p -> Poms.texts(p, "artifactId").equals(List.of("maven-surefire-plugin"))).findFirst())
        .flatMap(p -> Poms.child(p, "configuration"));
  }
}
