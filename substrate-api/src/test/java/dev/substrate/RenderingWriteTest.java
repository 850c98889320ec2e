package dev.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Rendering#writeTo} replaces only what an earlier rendering wrote and follows no links. */
class RenderingWriteTest {
  private static final String MANIFEST = ".substrate-rendering";

  @TempDir Path tmp;

  private static Rendering rendering(String... configMaps) {
    return renderingWith("value of ", configMaps);
  }

  private static Rendering renderingWith(String value, String... configMaps) {
    List<HasMetadata> resources = new ArrayList<>();
    resources.add(new NamespaceBuilder().withNewMetadata().withName("gpu").endMetadata().build());
    for (String name : configMaps) {
      resources.add(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("gpu").endMetadata()
          .addToData("key", value + name).build());
    }
    return new Rendering(resources);
  }

  private static List<String> written(Rendering r) {
    List<String> names = new ArrayList<>(r.files().keySet());
    names.add("kustomization.yaml");
    names.add(MANIFEST);
    return names;
  }

  @Test
  void intoAGitWorkTreeWritesOnlyItsOwnFilesAndLeavesTheRestByteForByte() throws Exception {
    Path repo = gitWorkTree(Map.of("README.md", "# mine\n", "sub/notes.txt", "notes\n"));
    Path outside = Files.writeString(Files.createDirectories(tmp.resolve("outside")).resolve("x.txt"), "x\n");
    Files.createSymbolicLink(repo.resolve("docs"), outside.getParent());
    Map<String, String> before = snapshot(repo);
    Map<String, String> outsideBefore = snapshot(outside.getParent());
    Rendering r = rendering("a", "b");

    r.writeTo(repo);

    Map<String, String> after = snapshot(repo);
    written(r).forEach(name -> assertThat(after.remove(name)).as(name).isNotNull());
    assertThat(after).isEqualTo(before);
    assertThat(snapshot(outside.getParent())).isEqualTo(outsideBefore);
    assertThat(git(repo, "status", "--porcelain", "--untracked-files=all").lines().sorted().toList())
        .isEqualTo(Stream.concat(written(r).stream(), Stream.of("docs")).map(n -> "?? " + n).sorted().toList());
  }

  @Test
  void refusesAWorkTreeWhoseKustomizationItDidNotWriteAndChangesNothing() throws Exception {
    Path repo = gitWorkTree(Map.of("README.md", "# mine\n", "kustomization.yaml", "resources: [app.yaml]\n"));
    Map<String, String> before = snapshot(repo);

    assertThatThrownBy(() -> rendering("a").writeTo(repo.resolve("."))).isInstanceOf(ConfigException.class)
        .hasMessageContaining(repo.resolve(".").resolve("kustomization.yaml").toString())
        .hasMessageContaining("no earlier rendering wrote it").hasMessageNotContaining("\n");
    assertThat(snapshot(repo)).isEqualTo(before);
  }

  @Test
  void refusesASymlinkedOutputDirectoryAndLeavesItsTargetAlone() throws Exception {
    Path target = Files.createDirectories(tmp.resolve("target"));
    rendering("a").writeTo(target);
    Files.writeString(target.resolve("notes.txt"), "mine\n");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
    Map<String, String> before = snapshot(tmp);

    assertThatThrownBy(() -> rendering("b").writeTo(link)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(link.toString()).hasMessageContaining("is a symbolic link");
    assertThat(snapshot(tmp)).isEqualTo(before);
  }

  @Test
  void neverFollowsASymlinkInsideTheDirectory() throws Exception {
    Path outside = Files.writeString(tmp.resolve("outside.yaml"), "mine\n");
    Path out = tmp.resolve("out");
    Rendering r = rendering("a", "b");
    r.writeTo(out);
    String rendered = r.files().keySet().iterator().next();
    Files.delete(out.resolve(rendered));
    Files.createSymbolicLink(out.resolve(rendered), outside);
    Map<String, String> before = snapshot(tmp);

    assertThatThrownBy(() -> r.writeTo(out)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(out.resolve(rendered).toString()).hasMessageContaining("symbolic link");
    assertThatThrownBy(() -> rendering("a").writeTo(out)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(out.resolve(rendered).toString());
    assertThat(snapshot(tmp)).isEqualTo(before);

    Path fresh = Files.createDirectories(tmp.resolve("fresh"));
    Files.createSymbolicLink(fresh.resolve("kustomization.yaml"), outside);
    Map<String, String> freshBefore = snapshot(tmp);
    assertThatThrownBy(() -> r.writeTo(fresh)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(fresh.resolve("kustomization.yaml").toString());
    assertThat(snapshot(tmp)).isEqualTo(freshBefore);

    Path linkedManifest = Files.createDirectories(tmp.resolve("linked-manifest"));
    Files.createSymbolicLink(linkedManifest.resolve(MANIFEST), out.resolve(MANIFEST));
    Map<String, String> linkedBefore = snapshot(tmp);
    assertThatThrownBy(() -> r.writeTo(linkedManifest)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(linkedManifest.resolve(MANIFEST).toString());
    assertThat(snapshot(tmp)).isEqualTo(linkedBefore);
  }

  @Test
  void keepsTheDirectoryItsModeAndItsInode() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
    Object inode = Files.readAttributes(out, BasicFileAttributes.class).fileKey();

    rendering("a").writeTo(out);
    rendering("a", "b").writeTo(out);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rwxr-xr-x");
    assertThat(Files.readAttributes(out, BasicFileAttributes.class).fileKey()).isEqualTo(inode);

    Path probe = Files.createDirectory(tmp.resolve("probe"));
    Path probeFile = Files.writeString(probe.resolve("probe.yaml"), "x");
    Path absent = tmp.resolve("absent");
    rendering("a").writeTo(absent);
    assertThat(Files.getPosixFilePermissions(absent)).isEqualTo(Files.getPosixFilePermissions(probe));
    for (String name : written(rendering("a"))) {
      assertThat(Files.getPosixFilePermissions(absent.resolve(name))).as(name)
          .isEqualTo(Files.getPosixFilePermissions(probeFile));
    }
  }

  @Test
  void rendersAgainByteForByteAndRemovesOnlyWhatItNoLongerWrites() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("notes.txt"), "mine\n");
    Files.writeString(Files.createDirectories(out.resolve("sub")).resolve("app.yaml"), "mine\n");
    Rendering three = rendering("a", "b");
    three.writeTo(out);
    Map<String, String> first = snapshot(out);
    Map<String, Object> inodes = inodes(out);

    three.writeTo(out);

    assertThat(snapshot(out)).isEqualTo(first);
    assertThat(inodes(out)).as("nothing rewritten").isEqualTo(inodes);

    Rendering two = rendering("a");
    two.writeTo(out);

    Map<String, String> after = snapshot(out);
    assertThat(after.keySet()).containsExactlyInAnyOrderElementsOf(Stream.concat(written(two).stream(),
        Stream.of("", "notes.txt", "sub", "sub/app.yaml")).toList());
    assertThat(after).containsEntry("notes.txt", first.get("notes.txt"))
        .containsEntry("sub/app.yaml", first.get("sub/app.yaml"));
    two.files().forEach((name, yaml) -> assertThat(out.resolve(name)).hasContent(yaml));
    List<String> listed = Files.readAllLines(out.resolve(MANIFEST)).stream().filter(l -> !l.startsWith("#")).toList();
    List<String> expected = new ArrayList<>();
    for (String name : written(two).subList(0, written(two).size() - 1)) {
      expected.add(sha256(Files.readAllBytes(out.resolve(name))) + "  " + name);
    }
    assertThat(listed).isEqualTo(expected);
  }

  @Test
  void theManifestIsInSha256sumFormat() throws Exception {
    assumeTrue(onPath("sha256sum"), "sha256sum is not installed");
    Path out = tmp.resolve("out");
    rendering("a").writeTo(out);
    assertThat(run(out, "sha256sum", "--strict", "-c", MANIFEST)).contains("kustomization.yaml: OK");
  }

  @Test
  void refusesARenderedFileEditedByHandAndNamesIt() throws Exception {
    Path out = tmp.resolve("out");
    rendering("a", "b").writeTo(out);
    List<String> names = new ArrayList<>(rendering("a", "b").files().keySet());
    Files.writeString(out.resolve(names.get(1)), "# my change\n", java.nio.file.StandardOpenOption.APPEND);
    Map<String, String> before = snapshot(out);

    assertThatThrownBy(() -> rendering("a", "b").writeTo(out)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(out.resolve(names.get(1)).toString()).hasMessageContaining("changed since render wrote it");
    assertThat(snapshot(out)).isEqualTo(before);

    rendering("a", "b").writeTo(tmp.resolve("other"));
    Files.writeString(tmp.resolve("other").resolve(names.get(2)), "edited\n");
    Map<String, String> other = snapshot(tmp.resolve("other"));
    assertThatThrownBy(() -> rendering("a").writeTo(tmp.resolve("other"))).as("a stale file edited is kept too")
        .isInstanceOf(ConfigException.class).hasMessageContaining(names.get(2));
    assertThat(snapshot(tmp.resolve("other"))).isEqualTo(other);
  }

  @Test
  void refusesAManifestItCannotReadOrThatNamesAPathOutsideTheDirectory() throws Exception {
    Path outside = Files.writeString(tmp.resolve("outside.txt"), "mine\n");
    Path out = Files.createDirectories(tmp.resolve("out"));
    for (String manifest : List.of("not a manifest\n",
        sha256(Files.readAllBytes(outside)) + "  ../outside.txt\n",
        sha256(Files.readAllBytes(outside)) + "  " + outside + "\n")) {
      Files.writeString(out.resolve(MANIFEST), manifest);
      Map<String, String> before = snapshot(tmp);
      assertThatThrownBy(() -> rendering().writeTo(out)).as(manifest).isInstanceOf(ConfigException.class)
          .hasMessageContaining(out.resolve(MANIFEST) + " ").hasMessageContaining("line 1")
          .hasMessageNotContaining("\n");
      assertThat(snapshot(tmp)).isEqualTo(before);
    }
  }

  @Test
  void aFailureIsOneLineAndLosesNothing() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("notes.txt"), "mine\n");
    rendering("a").writeTo(out);
    Map<String, String> before = snapshot(tmp);
    String tooLong = "x".repeat(253); // a valid ConfigMap name, too long for a file name on most file systems

    assertThatThrownBy(() -> rendering("a", tooLong).writeTo(out)).isInstanceOf(SubstrateException.class)
        .hasMessageMatching("cannot read " + Pattern.quote(out.toString()) + "/02-configmap-gpu-x+\\.yaml: [^/\n]+");
    assertThat(snapshot(tmp)).isEqualTo(before);
  }

  @Test
  void carriesOnAfterACrashFromTheManifestWrittenBeforeAnyFileMoved() throws Exception {
    Path out = tmp.resolve("out");
    rendering("a", "b").writeTo(out);
    // the state a crash leaves after the files moved: the manifest lists old and new bytes of every name changed
    Rendering crashed = renderingWith("new value of ", "a", "c");
    List<String> lines = new ArrayList<>(Files.readAllLines(out.resolve(MANIFEST)));
    for (Map.Entry<String, String> f : crashed.files().entrySet()) {
      lines.add(sha256(f.getValue().getBytes(StandardCharsets.UTF_8)) + "  " + f.getKey());
      Files.writeString(out.resolve(f.getKey()), f.getValue());
    }
    Files.write(out.resolve(MANIFEST), lines);
    Rendering next = rendering("a");

    next.writeTo(out);

    try (Stream<Path> list = Files.list(out)) {
      assertThat(list.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(written(next));
    }
    next.files().forEach((name, yaml) -> assertThat(out.resolve(name)).hasContent(yaml));
  }

  private Path gitWorkTree(Map<String, String> files) throws Exception {
    assumeTrue(onPath("git"), "git is not installed");
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    git(repo, "init", "-q");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.createDirectories(repo.resolve(f.getKey()).getParent());
      Files.writeString(repo.resolve(f.getKey()), f.getValue());
    }
    git(repo, "add", "-A");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "mine");
    return repo;
  }

  private static String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    return run(dir, command.toArray(String[]::new));
  }

  private static String run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    return output;
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
  }

  /** Every entry under {@code root} (links not followed): its type, mode, and bytes or link target. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String what = a.isSymbolicLink() ? "link " + Files.readSymbolicLink(p)
            : a.isDirectory() ? "dir " + mode + " " + a.fileKey()
            : "file " + mode + " " + sha256(Files.readAllBytes(p));
        entries.put(root.relativize(p).toString(), what);
      }
    }
    return entries;
  }

  private static Map<String, Object> inodes(Path dir) throws IOException {
    Map<String, Object> inodes = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.toList()) {
        inodes.put(p.getFileName().toString(),
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
      }
    }
    return inodes;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
