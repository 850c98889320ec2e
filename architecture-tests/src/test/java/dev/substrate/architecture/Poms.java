package dev.substrate.architecture;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/** What the rules need from a {@code pom.xml}, read with the JDK's XML parser. */
final class Poms {
  /** A dependency as declared; {@code scope} is {@code compile} when absent, {@code type} {@code jar}. */
  record Dependency(String groupId, String artifactId, String scope, String type) {}

  /** A pom: its artifactId, {@code module.name} property, {@code <modules>}, dependencies and managed dependencies. */
  record Pom(String artifactId, String moduleName, List<String> modules, List<Dependency> dependencies,
      List<Dependency> managed, Element project) {}

  private Poms() {}

  static Pom read(Path pom) {
    try {
      return parse(Files.readString(pom));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Pom parse(String xml) {
    Element project;
    try {
      project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new InputSource(new StringReader(xml))).getDocumentElement();
    } catch (Exception e) {
      throw new IllegalArgumentException("not a pom: " + e.getMessage(), e);
    }
    return new Pom(
        child(project, "artifactId").map(Node::getTextContent).orElse(""),
        child(project, "properties").flatMap(p -> child(p, "module.name")).map(Node::getTextContent).orElse(null),
        child(project, "modules").map(m -> texts(m, "module")).orElse(List.of()),
        child(project, "dependencies").map(Poms::dependencies).orElse(List.of()),
        child(project, "dependencyManagement").flatMap(m -> child(m, "dependencies")).map(Poms::dependencies)
            .orElse(List.of()),
        project);
  }

  /** The directories, relative to {@code root}, of every module of the build that has Java main sources. */
  static List<String> javaModules(Path root) {
    List<String> found = new ArrayList<>();
    collect(root, root, found);
    return found;
  }

  private static void collect(Path root, Path dir, List<String> found) {
    for (String module : read(dir.resolve("pom.xml")).modules()) {
      Path moduleDir = dir.resolve(module).normalize();
      if (Files.isDirectory(moduleDir.resolve("src/main/java"))) {
        found.add(root.relativize(moduleDir).toString().replace('\\', '/'));
      }
      collect(root, moduleDir, found);
    }
  }

  static Optional<Element> child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  static List<String> texts(Element parent, String name) {
    return children(parent, name).stream().map(e -> e.getTextContent().strip()).toList();
  }

  private static List<Dependency> dependencies(Element dependencies) {
    return children(dependencies, "dependency").stream().map(d -> new Dependency(
        text(d, "groupId", ""), text(d, "artifactId", ""), text(d, "scope", "compile"), text(d, "type", "jar")))
        .toList();
  }

  private static String text(Element e, String name, String absent) {
    return child(e, name).map(c -> c.getTextContent().strip()).orElse(absent);
  }
}
