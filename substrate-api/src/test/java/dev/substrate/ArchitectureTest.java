package dev.substrate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void thePublicApiAndSpiExposeNoEngineTypeInASignature() {
    classes().that().resideOutsideOfPackage("dev.substrate.internal..").and().arePublic()
        .should(exposeNoInternalType())
        .check(api);
  }

  @Test
  void aClusterSnapshotCannotChangeAfterItIsBuilt() {
    fields().that().areDeclaredIn(ClusterSnapshot.class).should().beFinal().check(api);
  }

  /** Public and protected members of a public type, and its supertypes, name no {@code dev.substrate.internal} type. */
  private static ArchCondition<JavaClass> exposeNoInternalType() {
    return new ArchCondition<>("expose no dev.substrate.internal type in a public signature") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        List<JavaType> exposed = new ArrayList<>();
        type.getRawSuperclass().ifPresent(exposed::add);
        exposed.addAll(type.getRawInterfaces());
        for (JavaMember member : type.getMembers()) {
          if (!member.getModifiers().contains(JavaModifier.PUBLIC)
              && !member.getModifiers().contains(JavaModifier.PROTECTED)) {
            continue;
          }
          List<JavaType> types = new ArrayList<>();
          if (member instanceof JavaField field) {
            types.add(field.getType());
          } else if (member instanceof JavaCodeUnit code) {
            types.add(code.getReturnType());
            types.addAll(code.getParameterTypes());
            types.addAll(code.getThrowsClause().getTypes());
          }
          for (JavaType t : types) {
            for (JavaClass raw : t.getAllInvolvedRawTypes()) {
              if (INTERNAL.test(raw)) {
                events.add(SimpleConditionEvent.violated(member, member.getFullName() + " exposes " + raw.getName()));
              }
            }
          }
        }
        for (JavaType t : exposed) {
          for (JavaClass raw : t.getAllInvolvedRawTypes()) {
            if (INTERNAL.test(raw)) {
              events.add(SimpleConditionEvent.violated(type, type.getName() + " extends " + raw.getName()));
            }
          }
        }
      }
    };
  }

  private static final DescribedPredicate<JavaClass> INTERNAL =
      JavaClass.Predicates.resideInAPackage("dev.substrate.internal..");
}
