package dev.substrate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The API module's own shape: the SPI does not reach into the engine, and a snapshot cannot change once built. The
 * rules every module follows (dependencies, internal packages, public signatures) are in {@code architecture-tests}.
 */
class ArchitectureTest {
  private final JavaClasses api = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.substrate");

  @Test
  void theSpiDoesNotReachIntoTheEngine() {
    noClasses().that().resideInAPackage("dev.substrate.spi..")
        .should().dependOnClassesThat().resideInAPackage("dev.substrate.internal..")
        .check(api);
  }

  @Test
  void aClusterSnapshotCannotChangeAfterItIsBuilt() {
    fields().that().areDeclaredIn(ClusterSnapshot.class).should().beFinal().check(api);
  }
}
