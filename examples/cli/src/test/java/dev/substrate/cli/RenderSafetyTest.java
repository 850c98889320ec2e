package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code render -o DIR} replaces only what an earlier rendering wrote: nothing of the user's is lost. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RenderSafetyTest {
  private static final String MANIFEST = ".substrate-rendering";

  @TempDir Path tmp;

  @Test
  void into_a_git_work_tree_it_adds_only_its_own_files() throws Exception {
    Path repo = gitWorkTree(Map.of("README.md", "# mine\n", "sub/app.yaml", "kind: Mine\n"));
    Map<String, String> before = snapshot(repo);

    Cli.Result r = Cli.run("render", "--substrate", "byo", "-o", repo.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    List<String> ours = listed(repo);
    assertThat(ours).contains("kustomization.yaml").hasSizeGreaterThan(2);
    Map<String, String> after = snapshot(repo);
    ours.forEach(after::remove);
    after.remove(MANIFEST);
    assertThat(after).as("README.md, sub/ and .git byte for byte").isEqualTo(before);
    List<String> expected = new ArrayList<>(ours);
    expected.add(MANIFEST);
    assertThat(git(repo, "status", "--porcelain", "--untracked-files=all").lines().sorted().toList())
        .isEqualTo(expected.stream().map(n -> "?? " + n).sorted().toList());
  }

  @Test
  void dot_in_a_work_tree_with_its_own_kustomization_exits_2_and_changes_nothing() throws Exception {
    Path repo = gitWorkTree(Map.of("README.md", "# mine\n", "kustomization.yaml", "resources: [app.yaml]\n"));
    Map<String, String> before = snapshot(repo);

    Cli.Result r = Cli.run("render", "--substrate", "byo", "-o", repo + "/.");

    assertOneLineError(r);
    assertThat(r.err()).contains(repo.resolve(".").resolve("kustomization.yaml").toString());
    assertThat(snapshot(repo)).isEqualTo(before);
  }

  @Test
  void a_symlinked_output_directory_exits_2_and_its_target_is_untouched() throws Exception {
    Path target = tmp.resolve("target");
    assertThat(Cli.run("render", "--substrate", "byo", "-o", target.toString()).code()).isZero();
    Files.writeString(target.resolve("README.md"), "# mine\n");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
    Map<String, String> before = snapshot(tmp);

    Cli.Result r = Cli.run("render", "--substrate", "byo", "-o", link.toString());

    assertOneLineError(r);
    assertThat(r.err()).contains(link.toString()).contains("symbolic link");
    assertThat(snapshot(tmp)).isEqualTo(before);
  }

  @Test
  void a_symlinked_rendered_file_exits_2_and_its_target_is_untouched() throws Exception {
    Path out = tmp.resolve("out");
    assertThat(Cli.run("render", "--substrate", "byo", "-o", out.toString()).code()).isZero();
    Path outside = Files.writeString(tmp.resolve("outside.yaml"), "mine\n");
    Files.delete(out.resolve("kustomization.yaml"));
    Files.createSymbolicLink(out.resolve("kustomization.yaml"), outside);
    Map<String, String> before = snapshot(tmp);

    Cli.Result r = Cli.run("render", "--substrate", "byo", "-o", out.toString());

    assertOneLineError(r);
    assertThat(r.err()).contains(out.resolve("kustomization.yaml").toString()).contains("symbolic link");
    assertThat(snapshot(tmp)).isEqualTo(before);
  }

  @Test
  void the_directory_keeps_its_mode_and_inode() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
    Object inode = Files.readAttributes(out, BasicFileAttributes.class).fileKey();

    assertThat(Cli.run("render", "--substrate", "byo", "-o", out.toString()).code()).isZero();
    assertThat(Cli.run("render", "--substrate", "byo", "-o", out.toString()).code()).isZero();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rwxr-xr-x");
    assertThat(Files.readAttributes(out, BasicFileAttributes.class).fileKey()).isEqualTo(inode);
  }

  @Test
  void rendering_again_is_byte_identical_and_a_smaller_rendering_removes_only_its_stale_files() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("README.md"), "# mine\n");
    Files.writeString(Files.createDirectories(out.resolve("apps")).resolve("app.yaml"), "kind: Mine\n");
    assertThat(Cli.run("render", "--substrate", "byo", "-o", out.toString()).code()).isZero();
    Map<String, String> first = snapshot(out);
    List<String> full = listed(out);

    assertThat(Cli.run("render", "--substrate", "byo", "-o", out.toString()).code()).isZero();
    assertThat(snapshot(out)).isEqualTo(first);

    Path config = Files.writeString(tmp.resolve("platform.yaml"), "gpu_stack: none\n");
    Cli.Result r = Cli.run("render", "--substrate", "byo", "-c", config.toString(), "-o", out.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    List<String> fewer = listed(out);
    assertThat(fewer).hasSizeLessThan(full.size());
    Map<String, String> after = snapshot(out);
    for (String name : full) {
      assertThat(after.containsKey(name)).as(name).isEqualTo(fewer.contains(name));
    }
    assertThat(after).containsEntry("README.md", first.get("README.md"))
        .containsEntry("apps/app.yaml", first.get("apps/app.yaml"));
  }

  @Test
  void a_rendered_file_edited_by_hand_exits_2_naming_it() throws Exception {
    Path out = tmp.resolve("out");
    assertThat(Cli.run("render", "--substrate", "byo", "-o", out.toString()).code()).isZero();
    Files.writeString(out.resolve("kustomization.yaml"), "- my-app.yaml\n", StandardOpenOption.APPEND);
    Map<String, String> before = snapshot(out);

    Cli.Result r = Cli.run("render", "--substrate", "byo", "-o", out.toString());

    assertOneLineError(r);
    assertThat(r.err()).contains(out.resolve("kustomization.yaml").toString()).contains("changed since render wrote it");
    assertThat(snapshot(out)).isEqualTo(before);
  }

  private static void assertOneLineError(Cli.Result r) {
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).as(r.toString()).hasSize(1);
    assertThat(r.err()).as(r.toString()).startsWith("substrate: ").doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(r.out()).as(r.toString()).isEmpty();
  }

  /** The files the manifest lists, in order. */
  private static List<String> listed(Path dir) throws IOException {
    return Files.readAllLines(dir.resolve(MANIFEST)).stream().filter(l -> !l.startsWith("#"))
        .map(l -> l.substring(66)).toList();
  }

  private Path gitWorkTree(Map<String, String> files) throws Exception {
    assumeTrue(Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "git"))), "git is not installed");
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
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(command + "\n" + output).isZero();
    return output;
  }

  /** Every entry under {@code root} (links not followed): its type, mode, and bytes or link target. */
  private static Map<String, String> snapshot(Path root) throws IOException {
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

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
