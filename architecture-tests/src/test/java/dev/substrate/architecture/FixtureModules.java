package dev.substrate.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.substrate.architecture.Modules.Kind;
import dev.substrate.architecture.Modules.Module;
import java.util.List;

/** The module table of the fixtures (package {@code dev.substrate.architecture.fixtures}, poms under /fixtures). */
final class FixtureModules {
  static final String BASE = "dev.substrate.architecture.fixtures.";

  static final List<Module> TABLE = List.of(
      module("api", Kind.API), module("alpha", Kind.PROVIDER), module("beta", Kind.PROVIDER),
      module("kit", Kind.TESTKIT), module("fake", Kind.FAKE), module("app", Kind.APP));

  private FixtureModules() {}

  static JavaClasses classes() {
    return new ClassFileImporter().importPackages("dev.substrate.architecture.fixtures");
  }

  private static Module module(String name, Kind kind) {
    return new Module("fixture-" + name, name, kind, BASE + name, List.of(BASE + name + ".."));
  }
}
