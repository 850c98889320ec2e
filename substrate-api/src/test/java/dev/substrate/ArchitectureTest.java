package dev.substrate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The API depends on Fabric8, Jackson, Immutables and SLF4J only, and its public packages hide the engine. */
class ArchitectureTest {
  private final JavaClasses api = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.substrate");

  @Test
  void theApiImportsNoProviderModuleAndNoCloudSdk() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "dev.substrate.byo..", "dev.substrate.gke..", "dev.substrate.hetzner..", "dev.substrate.secrets..",
            "dev.substrate.testkit..", "dev.substrate.cli..",
            "com.google..", "me.tomsdevsn..", "okhttp3..", "io.vertx..", "picocli..")
        .check(api);
  }

  @Test
  void theSpiDoesNotReachIntoTheEngine() {
    noClasses().that().resideInAPackage("dev.substrate.spi..")
        .should().dependOnClassesThat().resideInAPackage("dev.substrate.internal..")
        .check(api);
  }
}
