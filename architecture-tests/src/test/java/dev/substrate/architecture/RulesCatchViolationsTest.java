package dev.substrate.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each rule of ModuleRulesTest, on fixture modules that break it once (package {@code fixtures}): the rule reports
 * exactly that break, so the guards cannot pass by finding nothing to check.
 */
class RulesCatchViolationsTest {
  private static final String F = FixtureModules.BASE;
  private final JavaClasses fixtures = FixtureModules.classes();

  @Test
  void theApiRuleReportsTheApiNamingAProvider() {
    assertThat(violations(Rules.apiUsesNoOtherModuleNorCloudSdk(FixtureModules.TABLE)))
        .contains(F + "api.FixtureApi.alpha()").contains(F + "alpha.Alpha")
        .doesNotContain("FixtureSpi");
  }

  @Test
  void theProviderRuleReportsAProviderUsingAnother() {
    assertThat(violations(Rules.noProviderUsesAnotherProvider(FixtureModules.TABLE)))
        .contains(F + "alpha.Alpha.id()").contains(F + "beta.Beta")
        .doesNotContain("fixture-beta uses no class of another provider' was violated");
  }

  @Test
  void theInternalRuleReportsAnotherModuleUsingAnInternalPackage() {
    String report = violations(Rules.noModuleUsesAnothersInternal(FixtureModules.TABLE));
    assertThat(report).contains(F + "app.App.secret()").contains(F + "beta.internal.BetaSecret");
    assertThat(report).doesNotContain(F + "beta.Beta.secret()");
  }

  @Test
  void theInternalRuleSparesOnlyTheExemptClasses() {
    assertThat(Rules.noModuleUsesAnothersInternal(FixtureModules.TABLE, Set.of(F + "app.App"))
        .evaluate(fixtures).hasViolation()).isFalse();
  }

  @Test
  void theTestSupportRuleReportsAFakeUsingAProvider() {
    assertThat(violations(Rules.testSupportUsesNoProvider(FixtureModules.TABLE)))
        .contains(F + "fake.Fake.provider()").contains(F + "alpha.Alpha")
        .doesNotContain(F + "kit.Kit");
  }

  @Test
  void theProviderSupportRuleReportsAProviderUsingTheTestkit() {
    assertThat(violations(Rules.providersUseNoTestSupport(FixtureModules.TABLE)))
        .contains(F + "beta.Beta.id()").contains(F + "kit.Kit.NAME");
  }

  @Test
  void theSignatureRuleReportsAPublicMethodReturningAnInternalType() {
    assertThat(violations(Rules.publicSignaturesExposeNoInternalType(FixtureModules.TABLE)))
        .contains(F + "beta.Beta.secret() exposes " + F + "beta.internal.BetaSecret");
  }

  @Test
  void theNamingRuleReportsEveryTestTheBuildWouldNotRun() {
    String report = violations(Rules.testsRunUnderTheirName());
    assertThat(report)
        .contains(F + "naming.BadlyNamed")
        .contains(F + "naming.InheritedKitTests")
        .contains(F + "naming.StaticGroups$Group");
    assertThat(report).doesNotContain(F + "naming.AbstractKit ").doesNotContain(F + "naming.AbstractKit$Group");
  }

  @Test
  void everyFixtureModuleHasClasses() {
    for (var m : FixtureModules.TABLE) {
      assertThat(fixtures.that(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(Rules.roots(m))))
          .as("classes of %s", m).isNotEmpty();
    }
  }

  private String violations(ArchRule rule) {
    EvaluationResult result = rule.evaluate(fixtures);
    assertThat(result.hasViolation()).as("%s reports a violation", rule.getDescription()).isTrue();
    return String.join("\n", result.getFailureReport().getDetails());
  }
}
