package dev.substrate.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Modules declare {@code runtime}, not {@code compile}, what their main code reaches only at run time. */
class RuntimeScopeTest {
  @Test
  void everyCompileDependencyOnAModuleIsUsedByMainCode() {
    assertThat(RuntimeScope.unusedCompileDependencies(Modules.ALL, ModuleClasses.ROOT, ModuleClasses.main())).isEmpty();
  }

  @Test
  void aCompileDependencyThatMainCodeDoesNotUseIsReported() throws URISyntaxException {
    Path fixtures = Path.of(RuntimeScopeTest.class.getResource("/fixtures").toURI());
    var classes = FixtureModules.classes();

    assertThat(RuntimeScope.unusedCompileDependencies(FixtureModules.TABLE, fixtures, classes)).containsExactly(
        "fixture-alpha declares fixture-kit at compile scope but its main code uses none of its classes: "
            + "declare it <scope>runtime</scope> in alpha/pom.xml",
        "fixture-app declares fixture-alpha at compile scope but its main code uses none of its classes: "
            + "declare it <scope>runtime</scope> in app/pom.xml");
  }
}
