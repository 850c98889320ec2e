package dev.substrate.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import dev.substrate.architecture.Modules.Module;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A module that declares another at {@code compile} scope uses its classes in main code; one it reaches only at run
 * time (through {@link java.util.ServiceLoader}) is declared {@code runtime}, which keeps it off the compile classpath
 * so that a later import of its classes fails to compile instead of creeping in. Runtime dependencies are on the test
 * classpath too. Read from bytecode: a use that leaves none (a compile-time constant, a SOURCE annotation) does not
 * count.
 */
final class RuntimeScope {
  private RuntimeScope() {}

  /** One line per compile-scope dependency on a module of {@code table} that main code does not use. */
  static List<String> unusedCompileDependencies(List<Module> table, Path root, JavaClasses main) {
    List<String> problems = new ArrayList<>();
    for (Module m : table) {
      Predicate<JavaClass> inM = JavaClass.Predicates.resideInAnyPackage(Rules.roots(m));
      List<JavaClass> classes = main.stream().filter(inM).toList();
      for (Poms.Dependency d : Poms.read(root.resolve(m.dir()).resolve("pom.xml")).dependencies()) {
        Optional<Module> target = Modules.byArtifactId(table, d.artifactId());
        if (target.isEmpty() || !d.scope().equals("compile") || !d.type().equals("jar")) {
          continue;
        }
        Predicate<JavaClass> inTarget = JavaClass.Predicates.resideInAnyPackage(Rules.roots(target.get()));
        boolean used = classes.stream().flatMap(c -> c.getDirectDependenciesFromSelf().stream())
            .map(Dependency::getTargetClass).anyMatch(inTarget);
        if (!used) {
          problems.add(m + " declares " + target.get() + " at compile scope but its main code uses none of its classes: "
              + "declare it <scope>runtime</scope> in " + m.dir() + "/pom.xml");
        }
      }
    }
    return problems;
  }
}
