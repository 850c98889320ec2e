package dev.substrate.internal;

import dev.substrate.ConfigException;
import dev.substrate.SubstrateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a rendering into a directory without touching anything it did not write itself.
 *
 * <p>The files a rendering wrote are listed in {@value #MANIFEST} beside them, one {@code <sha256>  <name>} line
 * each ({@code sha256sum -c .substrate-rendering} checks them). A later rendering replaces or removes only files
 * listed there, and only while they hold the bytes recorded: a listed file edited since is refused, naming it,
 * rather than overwritten or removed, because the edit would otherwise be lost without a word. Every other entry
 * (files, subdirectories, {@code .git}) stays byte for byte as it was, and so does the directory itself: its inode
 * and its mode. A file whose bytes do not change is not rewritten. A name may lie in one subdirectory
 * ({@code values/gpu-operator.yaml}), which render creates when absent and removes once its last rendered file is
 * gone and nothing else is in it; a subdirectory that is a symbolic link is refused like a file that is one.
 *
 * <p>A directory without a manifest takes the rendering beside what it holds (a folder of a GitOps repository),
 * unless a name to write is taken: then, as when the manifest is unreadable or malformed, lists a name that is not
 * a plain file name, or a name to read, write or remove is a symbolic link or not a regular file, the rendering is
 * refused with {@link ConfigException} before anything is written. Symbolic links are never followed, and the
 * directory itself must not be one.
 *
 * <p>Each file is written to a temporary file in the directory and moved over its name atomically. The manifest is
 * written first listing the old and the new bytes of every name that changes, and again at the end listing only
 * the new, so after a crash at any point every file the rendering touched is listed with the bytes it holds. A
 * process killed mid-write may leave a {@code .substrate-tmp-*} file behind, which no rendering reads or removes.
 */
public final class RenderingDirectory {
  /** The file, in the rendering directory, that lists what the rendering wrote. */
  public static final String MANIFEST = ".substrate-rendering";

  private static final String HEADER = "# written by substrate render, which replaces or removes only the files"
      + " listed here, while they hold these bytes\n";
  private static final Pattern LINE = Pattern.compile("([0-9a-f]{64})  (.*)");
  private static final String TEMP_PREFIX = ".substrate-tmp-";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path shown;
  private final Path dir;

  private RenderingDirectory(Path shown) {
    this.shown = shown;
    this.dir = shown.toAbsolutePath().normalize();
  }

  /** Writes {@code files} (name to content, in order) into {@code dir}, creating it when absent. */
  public static void write(Path dir, Map<String, String> files) {
    new RenderingDirectory(dir).write(files);
  }

  private void write(Map<String, String> files) {
    Map<String, byte[]> content = new LinkedHashMap<>();
    Map<String, String> wanted = new LinkedHashMap<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      if (!isPlainName(f.getKey())) {
        throw new ConfigException("cannot render '" + f.getKey() + "' into " + shown + ": not a plain file name");
      }
      byte[] bytes = f.getValue().getBytes(StandardCharsets.UTF_8);
      content.put(f.getKey(), bytes);
      wanted.put(f.getKey(), sha256(bytes));
    }

    BasicFileAttributes self = attributes(dir);
    if (self != null && self.isSymbolicLink()) {
      throw new ConfigException("output directory " + shown + " is a symbolic link; render follows no links:"
          + " give the directory it points to");
    }
    if (self != null && !self.isDirectory()) {
      throw new ConfigException("output " + shown + " exists and is not a directory");
    }
    Path manifest = dir.resolve(MANIFEST);
    byte[] manifestBytes = self == null ? null : readRegular(manifest, MANIFEST);
    Map<String, Set<String>> recorded = manifestBytes == null ? Map.of() : parse(manifestBytes);

    Set<String> names = new LinkedHashSet<>(wanted.keySet());
    names.addAll(recorded.keySet());
    Map<String, String> present = new LinkedHashMap<>();
    for (String name : names) {
      byte[] bytes = self == null || !subdirectoryExists(name) ? null : readRegular(dir.resolve(name), name);
      if (bytes == null) {
        continue;
      }
      String hash = sha256(bytes);
      present.put(name, hash);
      if (recorded.containsKey(name)) {
        if (!recorded.get(name).contains(hash) && !hash.equals(wanted.get(name))) {
          throw new ConfigException(shown.resolve(name) + " changed since render wrote it (its SHA-256 is not the one"
              + " in " + MANIFEST + "); render neither overwrites nor removes it: restore it or move it away");
        }
      } else {
        throw new ConfigException(shown.resolve(name) + " exists and no earlier rendering wrote it (" + MANIFEST
            + " does not list it); render overwrites only its own files: move it away or choose another directory");
      }
    }

    Map<String, String> changed = new LinkedHashMap<>();
    wanted.forEach((name, hash) -> {
      if (!hash.equals(present.get(name))) {
        changed.put(name, hash);
      }
    });
    List<String> stale = present.keySet().stream().filter(name -> !wanted.containsKey(name)).toList();
    StringBuilder last = new StringBuilder(HEADER);
    wanted.forEach((name, hash) -> line(last, hash, name));

    try {
      if (self == null) {
        Files.createDirectories(dir);
      }
      byte[] lastBytes = last.toString().getBytes(StandardCharsets.UTF_8);
      if (!changed.isEmpty() || !stale.isEmpty()) {
        StringBuilder first = new StringBuilder(HEADER);
        for (String name : names) {
          if (present.containsKey(name)) {
            line(first, present.get(name), name);
          }
          if (changed.containsKey(name)) {
            line(first, changed.get(name), name);
          }
        }
        replace(MANIFEST, first.toString().getBytes(StandardCharsets.UTF_8));
        for (String name : changed.keySet()) {
          replace(name, content.get(name));
        }
        for (String name : stale) {
          Files.deleteIfExists(dir.resolve(name));
        }
        for (String name : stale) {
          removeIfEmpty(subdirectory(name));
        }
        replace(MANIFEST, lastBytes);
      } else if (!Arrays.equals(lastBytes, manifestBytes)) {
        replace(MANIFEST, lastBytes);
      }
    } catch (IOException e) {
      throw new SubstrateException("cannot write rendering to " + shown + ": " + describe(null, e), e);
    }
  }

  /** Moves a fresh file holding {@code bytes} over {@code name}, keeping the permissions of the one it replaces. */
  private void replace(String name, byte[] bytes) throws IOException {
    Path target = dir.resolve(name);
    Path parent = target.getParent();
    if (subdirectory(name) != null && !subdirectoryExists(name)) {
      Files.createDirectory(parent);
    }
    Path temp = null;
    for (int attempt = 0; temp == null; attempt++) {
      Path candidate = parent.resolve(TEMP_PREFIX + Long.toUnsignedString(RANDOM.nextLong(), 36));
      try (FileChannel out = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        temp = candidate;
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 10) {
          throw e;
        }
      } catch (IOException e) {
        deleteQuietly(temp);
        throw e;
      }
    }
    try {
      BasicFileAttributes old = attributes(target);
      if (old != null && old.isRegularFile() && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS));
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  /** Removes the subdirectory {@code sub} once render's last file in it is gone; one holding anything else stays. */
  private void removeIfEmpty(String sub) throws IOException {
    if (sub == null) {
      return;
    }
    BasicFileAttributes a = attributes(dir.resolve(sub));
    if (a != null && a.isDirectory() && !a.isSymbolicLink()) {
      try {
        Files.delete(dir.resolve(sub));
      } catch (DirectoryNotEmptyException e) {
        // holds files render did not write
      }
    }
  }

  private static void deleteQuietly(Path temp) {
    if (temp != null) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // a leftover .substrate-tmp- file is never read
      }
    }
  }

  /** The bytes of the regular file {@code path}, null when absent; refuses links and anything else. */
  private byte[] readRegular(Path path, String name) {
    BasicFileAttributes a = attributes(path);
    if (a == null) {
      return null;
    }
    if (a.isSymbolicLink()) {
      throw new ConfigException(shown.resolve(name) + " is a symbolic link; render follows no links and replaces"
          + " only regular files it wrote: move it away");
    }
    if (!a.isRegularFile()) {
      throw new ConfigException(shown.resolve(name) + " is not a regular file; render replaces only regular files"
          + " it wrote: move it away");
    }
    try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new SubstrateException("cannot read " + describe(shown.resolve(name), e), e);
    }
  }

  private BasicFileAttributes attributes(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new SubstrateException("cannot read " + describe(path, e), e);
    }
  }

  /** Name to the SHA-256 values it may hold: one, or two while a rendering is under way. */
  private Map<String, Set<String>> parse(byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw malformed("is not UTF-8 text");
    }
    Map<String, Set<String>> recorded = new LinkedHashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw malformed("line " + (i + 1) + " is not '<sha256>  <file name>'");
      }
      if (!isPlainName(m.group(2))) {
        throw malformed("line " + (i + 1) + " names '" + m.group(2) + "', not a plain file name in the directory");
      }
      recorded.computeIfAbsent(m.group(2), k -> new LinkedHashSet<>()).add(m.group(1));
    }
    return recorded;
  }

  private ConfigException malformed(String why) {
    return new ConfigException(shown.resolve(MANIFEST) + " " + why + ", so render cannot tell which files it wrote:"
        + " fix or remove it");
  }

  /** A file name in the directory, or in one subdirectory of it ({@code values/a.yaml}). */
  private static boolean isPlainName(String name) {
    int slash = name.indexOf('/');
    if (slash >= 0) {
      return isPlainSegment(name.substring(0, slash)) && isPlainSegment(name.substring(slash + 1));
    }
    return isPlainSegment(name);
  }

  private static boolean isPlainSegment(String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.equals(MANIFEST)
        || name.startsWith(TEMP_PREFIX)) {
      return false;
    }
    return name.chars().noneMatch(c -> c == '/' || c == '\\' || c < 0x20 || c == 0x7f);
  }

  /** The subdirectory {@code name} lies in, or null for a name directly in the directory. */
  private static String subdirectory(String name) {
    int slash = name.indexOf('/');
    return slash < 0 ? null : name.substring(0, slash);
  }

  /**
   * Whether the subdirectory of {@code name} exists (true for a name directly in the directory); refuses one that is
   * a symbolic link or not a directory.
   */
  private boolean subdirectoryExists(String name) {
    String sub = subdirectory(name);
    if (sub == null) {
      return true;
    }
    BasicFileAttributes a = attributes(dir.resolve(sub));
    if (a == null) {
      return false;
    }
    if (a.isSymbolicLink()) {
      throw new ConfigException(shown.resolve(sub) + " is a symbolic link; render follows no links: move it away");
    }
    if (!a.isDirectory()) {
      throw new ConfigException(shown.resolve(sub) + " is not a directory, but render writes " + shown.resolve(name)
          + ": move it away");
    }
    return true;
  }

  private static void line(StringBuilder b, String hash, String name) {
    b.append(hash).append("  ").append(name).append('\n');
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** One line: the file ({@code path}, else the one the error names) and what went wrong with it. */
  private static String describe(Path path, IOException e) {
    String file = path == null ? null : path.toString();
    String why = String.valueOf(e.getMessage());
    if (e instanceof FileSystemException) {
      FileSystemException f = (FileSystemException) e;
      file = path != null ? file : f.getFile();
      why = f.getReason() != null ? f.getReason()
          : e instanceof AccessDeniedException ? "permission denied"
          : e instanceof NoSuchFileException ? "no such file or directory"
          : e instanceof FileAlreadyExistsException ? "exists"
          : e instanceof NotDirectoryException ? "not a directory"
          : e instanceof DirectoryNotEmptyException ? "directory not empty"
          : e.getClass().getSimpleName();
    }
    why = why.replace('\n', ' ');
    return file == null ? why : file + ": " + why;
  }
}
