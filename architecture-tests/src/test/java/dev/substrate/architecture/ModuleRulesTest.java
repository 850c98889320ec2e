package dev.substrate.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import dev.substrate.architecture.Modules.Module;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The dependency rules of DESIGN §2, on every module's class files. RulesCatchViolationsTest shows each can fail. */
class ModuleRulesTest {
  /**
   * Known uses of another module's internal packages (origin class to internal package), each to be removed by a
   * change of the owning module's API. None today: the testkit's one (running a check on a restricted snapshot view)
   * went when DeclaredReads became API.
   */
  static final Map<String, String> KNOWN_INTERNAL_USES = Map.of();

  @Test
  void everyModuleHasClassesAndTheyLiveUnderItsPackages() {
    JavaClasses all = ModuleClasses.mainAndTests();
    for (Module m : Modules.ALL) {
      List<JavaClass> main = ModuleClasses.under(all, ModuleClasses.classesDir(m));
      assertThat(main).as("main classes of %s in %s (build it first: -am)", m, ModuleClasses.classesDir(m))
          .isNotEmpty();
      List<JavaClass> outside = main.stream()
          .filter(c -> !JavaClass.Predicates.resideInAnyPackage(Rules.roots(m)).test(c)).toList();
      assertThat(outside).as("main classes of %s outside its packages %s", m, m.roots()).isEmpty();
    }
  }

  @Test
  void theApiUsesNoOtherModuleNorCloudSdk() {
    Rules.apiUsesNoOtherModuleNorCloudSdk(Modules.ALL).check(ModuleClasses.main());
  }

  @Test
  void noProviderUsesAnotherProvider() {
    Rules.noProviderUsesAnotherProvider(Modules.ALL).check(ModuleClasses.main());
  }

  @Test
  void nothingOutsideAModuleUsesItsInternalPackages() {
    Rules.noModuleUsesAnothersInternal(Modules.ALL, KNOWN_INTERNAL_USES.keySet()).check(ModuleClasses.mainAndTests());
  }

  @Test
  void eachKnownUseOfAnotherModulesInternalStillExists() {
    JavaClasses all = ModuleClasses.main();
    KNOWN_INTERNAL_USES.forEach((origin, internal) -> assertThat(all.get(origin).getDirectDependenciesFromSelf())
        .as("%s uses %s; once it does not, remove it from KNOWN_INTERNAL_USES", origin, internal)
        .anyMatch(d -> JavaClass.Predicates.resideInAPackage(internal).test(d.getTargetClass())));
  }

  @Test
  void testkitsAndFakesUseNoProvider() {
    Rules.testSupportUsesNoProvider(Modules.ALL).check(ModuleClasses.main());
  }

  @Test
  void providersUseNoTestkitNorFakeInMainCode() {
    Rules.providersUseNoTestSupport(Modules.ALL).check(ModuleClasses.main());
  }

  @Test
  void publicSignaturesExposeNoInternalType() {
    Rules.publicSignaturesExposeNoInternalType(Modules.ALL).check(ModuleClasses.main());
  }

  @Test
  void everyTestRunsUnderTheOneTestName() {
    JavaClasses all = ModuleClasses.mainAndTests();
    assertThat(all.stream().filter(Rules.TOP_LEVEL_TEST_CLASSES)).as("test classes found").hasSizeGreaterThan(50);
    Rules.testsRunUnderTheirName().check(all);
  }

  @Test
  void theTableNamesEveryModuleOfTheBuild() {
    Set<String> inTable = Set.copyOf(Modules.ALL.stream().map(Module::dir).toList());
    List<String> missing = Poms.javaModules(ModuleClasses.ROOT).stream()
        .filter(dir -> !inTable.contains(dir) && !Modules.NOT_GUARDED.contains(dir) && !dir.equals("architecture-tests"))
        .toList();
    assertThat(missing).as("modules with Java sources missing from Modules.ALL").isEmpty();
    for (Module m : Modules.ALL) {
      Poms.Pom pom = Poms.read(ModuleClasses.ROOT.resolve(m.dir()).resolve("pom.xml"));
      assertThat(pom.artifactId()).as("artifactId of %s", m.dir()).isEqualTo(m.artifactId());
      assertThat(pom.moduleName()).as("Automatic-Module-Name (module.name) of %s", m).isEqualTo(m.base());
    }
  }
}
