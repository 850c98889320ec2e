package dev.substrate.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.substrate.architecture.Modules.Kind;
import dev.substrate.architecture.Modules.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The dependency rules, as functions of a module table, so that they run on the real table and on fixtures alike. */
final class Rules {
  /** What the API may use besides itself and the JDK (DESIGN §2: Fabric8, Jackson, Immutables, SLF4J). */
  static final List<String> API_LIBRARIES =
      List.of("io.fabric8..", "com.fasterxml.jackson..", "org.immutables..", "org.slf4j..");

  /** Classes of the JDK: what the platform class loader finds. */
  static final DescribedPredicate<JavaClass> JDK = DescribedPredicate.describe("are in the JDK", c -> {
    JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
    if (base.isPrimitive()) {
      return true;
    }
    try {
      Class.forName(base.getName(), false, ClassLoader.getPlatformClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  });

  /** The JUnit annotations that make a method a test. */
  static final Set<String> TEST_ANNOTATIONS = Set.of(
      "org.junit.jupiter.api.Test", "org.junit.jupiter.params.ParameterizedTest", "org.junit.jupiter.api.RepeatedTest",
      "org.junit.jupiter.api.TestFactory", "org.junit.jupiter.api.TestTemplate");

  static final String NESTED = "org.junit.jupiter.api.Nested";

  private Rules() {}

  /** The API uses only its own packages, the JDK and {@link #API_LIBRARIES}: no other module, no cloud SDK. */
  static ArchRule apiUsesNoOtherModuleNorCloudSdk(List<Module> table) {
    return all(Modules.ofKind(table, Kind.API).stream().map(api ->
        classes().that().resideInAnyPackage(roots(api))
            .should().onlyDependOnClassesThat(
                JavaClass.Predicates.resideInAnyPackage(concat(roots(api), API_LIBRARIES)).or(JDK))
            .as(api + " depends only on itself, the JDK and " + API_LIBRARIES)));
  }

  /** A provider reaches another provider only through the SPI, at run time: never through its classes. */
  static ArchRule noProviderUsesAnotherProvider(List<Module> table) {
    List<Module> providers = Modules.ofKind(table, Kind.PROVIDER);
    return all(providers.stream().map(p -> noClasses().that().resideInAnyPackage(roots(p))
        .should().dependOnClassesThat().resideInAnyPackage(
            roots(providers.stream().filter(other -> other != p).toList()))
        .as(p + " uses no class of another provider")));
  }

  /** Nothing outside a module uses the module's {@code internal} packages. */
  static ArchRule noModuleUsesAnothersInternal(List<Module> table) {
    return noModuleUsesAnothersInternal(table, Set.of());
  }

  /** As {@link #noModuleUsesAnothersInternal(List)}, but for the classes named in {@code exempt}. */
  static ArchRule noModuleUsesAnothersInternal(List<Module> table, Set<String> exempt) {
    DescribedPredicate<JavaClass> notExempt =
        DescribedPredicate.describe("are not exempt " + exempt, c -> !exempt.contains(c.getName()));
    return all(table.stream().map(m -> noClasses().that().resideOutsideOfPackages(roots(m)).and(notExempt)
        .should().dependOnClassesThat().resideInAPackage(m.internal())
        .allowEmptyShould(true)
        .as("nothing outside " + m + " uses " + m.internal())));
  }

  /** Testkits and fakes stand in for providers: they use none. */
  static ArchRule testSupportUsesNoProvider(List<Module> table) {
    String[] providers = roots(Modules.ofKind(table, Kind.PROVIDER));
    return all(Stream.concat(Modules.ofKind(table, Kind.TESTKIT).stream(), Modules.ofKind(table, Kind.FAKE).stream())
        .map(m -> noClasses().that().resideInAnyPackage(roots(m))
            .should().dependOnClassesThat().resideInAnyPackage(providers)
            .as(m + " uses no provider")));
  }

  /** A provider's main code uses no testkit and no fake (its tests may). */
  static ArchRule providersUseNoTestSupport(List<Module> table) {
    String[] support = roots(Stream.concat(
        Modules.ofKind(table, Kind.TESTKIT).stream(), Modules.ofKind(table, Kind.FAKE).stream()).toList());
    return all(Modules.ofKind(table, Kind.PROVIDER).stream().map(p -> noClasses().that().resideInAnyPackage(roots(p))
        .should().dependOnClassesThat().resideInAnyPackage(support)
        .as(p + " uses no testkit and no fake in main code")));
  }

  /** A module's public types name none of its internal types in a public or protected signature. */
  static ArchRule publicSignaturesExposeNoInternalType(List<Module> table) {
    return all(table.stream().map(m -> classes().that().resideInAnyPackage(roots(m))
        .and().resideOutsideOfPackage(m.internal()).and().arePublic()
        .should(exposeNo(m.internal()))
        .allowEmptyShould(true)
        .as("public types of " + m + " expose no " + m.internal() + " type")));
  }

  /**
   * Every concrete top-level class that holds tests (declared or inherited, directly or in {@code @Nested} classes) is
   * named {@code *Test}, the one name the build runs ({@code *LiveTest} only under {@code -Plive}); and every nested
   * class holding tests is a non-static {@code @Nested} class, which JUnit runs inside its outer class.
   */
  static ArchRule testsRunUnderTheirName() {
    ArchRule named = classes().that(TOP_LEVEL_TEST_CLASSES).should().haveSimpleNameEndingWith("Test")
        .because("the build runs **/*Test.java only; any other name is never run")
        .allowEmptyShould(true);
    ArchRule nested = classes().that(NESTED_CLASSES_WITH_TESTS).should().beAnnotatedWith(NESTED)
        .andShould().notHaveModifier(JavaModifier.STATIC)
        .because("JUnit runs only non-static @Nested classes of a test class")
        .allowEmptyShould(true);
    return CompositeArchRule.of(named).and(nested);
  }

  static final DescribedPredicate<JavaClass> TOP_LEVEL_TEST_CLASSES =
      DescribedPredicate.describe("are concrete top-level classes holding tests",
          c -> c.isTopLevelClass() && !c.getModifiers().contains(JavaModifier.ABSTRACT) && holdsTests(c));

  static final DescribedPredicate<JavaClass> NESTED_CLASSES_WITH_TESTS =
      DescribedPredicate.describe("are nested classes declaring tests",
          c -> c.isNestedClass() && declaresTestMethods(c));

  /** Whether {@code c}, a superclass, or a nested class of either declares a test method. */
  static boolean holdsTests(JavaClass c) {
    for (JavaClass type = c; type != null; type = type.getRawSuperclass().orElse(null)) {
      if (declaresTestMethods(type)) {
        return true;
      }
      for (JavaClass member : memberClasses(type)) {
        if (member.isAnnotatedWith(NESTED) && holdsTests(member)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The imported classes nested directly in {@code type}. */
  private static List<JavaClass> memberClasses(JavaClass type) {
    return type.getPackage().getClasses().stream()
        .filter(c -> c.getEnclosingClass().map(type::equals).orElse(false))
        .toList();
  }

  static boolean declaresTestMethods(JavaClass c) {
    for (JavaMethod method : c.getMethods()) {
      if (TEST_ANNOTATIONS.stream().anyMatch(method::isAnnotatedWith)) {
        return true;
      }
    }
    return false;
  }

  private static ArchCondition<JavaClass> exposeNo(String internal) {
    DescribedPredicate<JavaClass> isInternal = JavaClass.Predicates.resideInAPackage(internal);
    return new ArchCondition<>("expose no " + internal + " type in a public or protected signature") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        List<JavaType> supertypes = new ArrayList<>();
        type.getSuperclass().ifPresent(supertypes::add);
        supertypes.addAll(type.getInterfaces());
        for (JavaType t : supertypes) {
          for (JavaClass raw : t.getAllInvolvedRawTypes()) {
            if (isInternal.test(raw)) {
              events.add(SimpleConditionEvent.violated(type, type.getName() + " extends " + raw.getName()));
            }
          }
        }
        for (JavaMember member : type.getMembers()) {
          if (!ApiDump.isVisible(member.getModifiers())) {
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
              if (isInternal.test(raw)) {
                events.add(SimpleConditionEvent.violated(member, member.getFullName() + " exposes " + raw.getName()));
              }
            }
          }
        }
      }
    };
  }

  static String[] roots(Module m) {
    return m.roots().toArray(String[]::new);
  }

  static String[] roots(List<Module> modules) {
    return modules.stream().flatMap(m -> m.roots().stream()).toArray(String[]::new);
  }

  private static String[] concat(String[] a, List<String> b) {
    return Stream.concat(Stream.of(a), b.stream()).toArray(String[]::new);
  }

  /** One rule of all {@code rules}; at least one rule must exist, so that an empty table fails. */
  private static ArchRule all(Stream<ArchRule> rules) {
    List<ArchRule> list = rules.toList();
    if (list.isEmpty()) {
      throw new IllegalArgumentException("no module of the kinds this rule is about");
    }
    CompositeArchRule rule = CompositeArchRule.of(list.get(0));
    for (ArchRule r : list.subList(1, list.size())) {
      rule = rule.and(r);
    }
    return rule;
  }
}
