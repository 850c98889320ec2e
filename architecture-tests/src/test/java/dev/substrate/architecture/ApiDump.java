package dev.substrate.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.JavaTypeVariable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A module's public API as text, in the manner of Kotlin's binary-compatibility-validator {@code .api} files: every
 * public or protected type of its non-internal packages, each followed by its public and protected members, sorted.
 * Generic signatures are kept, so a source-incompatible change shows as well as a binary one.
 */
final class ApiDump {
  private static final List<JavaModifier> SHOWN = List.of(JavaModifier.PUBLIC, JavaModifier.PROTECTED,
      JavaModifier.STATIC, JavaModifier.ABSTRACT, JavaModifier.FINAL);

  private ApiDump() {}

  /** The dump of the exported types among {@code classes} that {@code inModule} accepts, as blocks keyed by type. */
  static Map<String, List<String>> of(Collection<JavaClass> classes, Predicate<JavaClass> inModule) {
    Map<String, List<String>> blocks = new TreeMap<>();
    for (JavaClass c : classes) {
      if (inModule.test(c) && isExported(c)) {
        Set<String> members = new TreeSet<>();
        for (JavaMember member : c.getMembers()) {
          if (isVisible(member.getModifiers()) && !isSynthetic(member.getModifiers())) {
            members.add(member(member));
          }
        }
        List<String> block = new ArrayList<>();
        block.add(header(c));
        members.forEach(m -> block.add("  " + m));
        blocks.put(c.getName(), block);
      }
    }
    return blocks;
  }

  /** The dump as file text. */
  static String render(String artifactId, Map<String, List<String>> blocks) {
    StringBuilder out = new StringBuilder()
        .append("# Public API of ").append(artifactId).append(" (non-internal packages), checked by PublicApiTest.\n")
        .append("# Regenerate after an intended change: ").append(PublicApiTest.REGENERATE).append('\n');
    if (blocks.isEmpty()) {
      out.append("\n# No public type: this module is used only through META-INF/services.\n");
    }
    for (List<String> block : blocks.values()) {
      out.append('\n');
      block.forEach(line -> out.append(line).append('\n'));
    }
    return out.toString();
  }

  /** Reads file text back into blocks keyed by type; comment lines are skipped. */
  static Map<String, List<String>> parse(String text) {
    Map<String, List<String>> blocks = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : text.split("\n", -1)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (!line.startsWith(" ")) {
        current = new ArrayList<>();
        blocks.put(typeName(line), current);
      }
      if (current != null) {
        current.add(line);
      }
    }
    return blocks;
  }

  /** What changed from {@code expected} to {@code actual}, type by type, or the empty string. */
  static String diff(Map<String, List<String>> expected, Map<String, List<String>> actual) {
    Set<String> types = new TreeSet<>(expected.keySet());
    types.addAll(actual.keySet());
    StringBuilder out = new StringBuilder();
    for (String type : types) {
      List<String> before = expected.getOrDefault(type, List.of());
      List<String> after = actual.getOrDefault(type, List.of());
      List<String> removed = before.stream().filter(l -> !after.contains(l)).toList();
      List<String> added = after.stream().filter(l -> !before.contains(l)).toList();
      if (!removed.isEmpty() || !added.isEmpty()) {
        out.append("  ").append(type).append(before.isEmpty() ? " (new type)" : after.isEmpty() ? " (removed type)" : "")
            .append('\n');
        removed.forEach(l -> out.append("    - ").append(l.strip()).append('\n'));
        added.forEach(l -> out.append("    + ").append(l.strip()).append('\n'));
      }
    }
    return out.toString();
  }

  /** A public type, or a public or protected type nested in an exported one; never anonymous, local or synthetic. */
  static boolean isExported(JavaClass c) {
    if (c.isAnonymousClass() || c.isLocalClass() || isSynthetic(c.getModifiers())) {
      return false;
    }
    if (c.isTopLevelClass()) {
      return c.getModifiers().contains(JavaModifier.PUBLIC);
    }
    return isVisible(c.getModifiers()) && c.getEnclosingClass().map(ApiDump::isExported).orElse(false);
  }

  static boolean isVisible(Set<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }

  private static boolean isSynthetic(Set<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.SYNTHETIC) || modifiers.contains(JavaModifier.BRIDGE);
  }

  private static String header(JavaClass c) {
    StringBuilder s = new StringBuilder(modifiers(c.getModifiers(), c.isInterface()));
    s.append(c.isAnnotation() ? "@interface " : c.isInterface() ? "interface " : c.isEnum() ? "enum " : "class ");
    s.append(c.getName()).append(typeParameters(c.getTypeParameters()));
    c.getSuperclass().filter(t -> !t.getName().equals("java.lang.Object") && !c.isEnum())
        .ifPresent(t -> s.append(" extends ").append(t.getName()));
    if (!c.getInterfaces().isEmpty()) {
      s.append(c.isInterface() ? " extends " : " implements ").append(names(c.getInterfaces()));
    }
    return s.toString();
  }

  private static String member(JavaMember member) {
    StringBuilder s = new StringBuilder(modifiers(member.getModifiers(), false));
    if (member instanceof JavaField field) {
      return s.append(name(field.getType())).append(' ').append(field.getName()).toString();
    }
    JavaCodeUnit code = (JavaCodeUnit) member;
    String typeParameters = typeParameters(code.getTypeParameters());
    if (!typeParameters.isEmpty()) {
      s.append(typeParameters).append(' ');
    }
    if (!(code instanceof JavaConstructor)) {
      s.append(name(code.getReturnType())).append(' ');
    }
    s.append(code.getName()).append('(').append(names(code.getParameterTypes())).append(')');
    if (!code.getThrowsClause().getTypes().isEmpty()) {
      s.append(" throws ").append(names(code.getThrowsClause().getTypes()));
    }
    return s.toString();
  }

  private static String modifiers(Set<JavaModifier> modifiers, boolean isInterface) {
    return SHOWN.stream()
        .filter(modifiers::contains)
        .filter(m -> !(isInterface && m == JavaModifier.ABSTRACT))
        .map(m -> m.name().toLowerCase() + " ")
        .collect(Collectors.joining());
  }

  private static String typeParameters(List<? extends JavaTypeVariable<?>> variables) {
    if (variables.isEmpty()) {
      return "";
    }
    return variables.stream().map(v -> {
      List<JavaType> bounds = v.getUpperBounds().stream()
          .filter(b -> !b.getName().equals("java.lang.Object")).map(JavaType.class::cast).toList();
      return bounds.isEmpty() ? v.getName() : v.getName() + " extends "
          + bounds.stream().map(JavaType::getName).collect(Collectors.joining(" & "));
    }).collect(Collectors.joining(", ", "<", ">"));
  }

  private static String names(Collection<? extends JavaType> types) {
    return types.stream().map(ApiDump::name).collect(Collectors.joining(", "));
  }

  /** The name as in source: {@code java.lang.String[]}, not {@code [Ljava.lang.String;}. */
  private static String name(JavaType type) {
    if (type instanceof JavaClass c && c.isArray()) {
      return name(c.getComponentType()) + "[]";
    }
    return type.getName();
  }

  private static String typeName(String header) {
    for (String word : header.split(" ")) {
      int generic = word.indexOf('<');
      String name = generic < 0 ? word : word.substring(0, generic);
      if (name.contains(".")) {
        return name;
      }
    }
    return header;
  }
}
