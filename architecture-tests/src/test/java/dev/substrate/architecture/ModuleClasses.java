package dev.substrate.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.substrate.architecture.Modules.Module;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class files of every module in {@link Modules#ALL}, imported from each module's {@code target/classes} and
 * {@code target/test-classes}, so that each class is known to come from its module. Imported once per test run.
 */
final class ModuleClasses {
  /** The repository root: the surefire property {@code substrate.root}, else the parent of the working directory. */
  static final Path ROOT = Path.of(System.getProperty("substrate.root",
      Path.of("").toAbsolutePath().getParent().toString())).toAbsolutePath().normalize();

  private static JavaClasses main;
  private static JavaClasses mainAndTests;

  private ModuleClasses() {}

  /** Every module's main classes. */
  static synchronized JavaClasses main() {
    if (main == null) {
      main = importDirs(Modules.ALL.stream().map(ModuleClasses::classesDir));
    }
    return main;
  }

  /** Every module's main and test classes, and this module's own tests but for the fixtures. */
  static synchronized JavaClasses mainAndTests() {
    if (mainAndTests == null) {
      mainAndTests = importDirs(Stream.concat(
          Modules.ALL.stream().flatMap(m -> Stream.of(classesDir(m), testClassesDir(m))),
          Stream.of(ROOT.resolve("architecture-tests/target/test-classes"))));
    }
    return mainAndTests;
  }

  static Path classesDir(Module m) {
    return ROOT.resolve(m.dir()).resolve("target/classes");
  }

  static Path testClassesDir(Module m) {
    return ROOT.resolve(m.dir()).resolve("target/test-classes");
  }

  /** The classes of {@code all} whose class file lies under {@code dir}. */
  static List<JavaClass> under(JavaClasses all, Path dir) {
    String prefix = dir.toUri().toString();
    return all.stream()
        .filter(c -> c.getSource().map(s -> s.getUri().toString().startsWith(prefix)).orElse(false))
        .toList();
  }

  private static JavaClasses importDirs(Stream<Path> dirs) {
    List<Path> existing = dirs.filter(Files::isDirectory).toList();
    return new ClassFileImporter()
        .withImportOption(location -> !location.contains("/dev/substrate/architecture/fixtures/"))
        .importPaths(existing);
  }
}
