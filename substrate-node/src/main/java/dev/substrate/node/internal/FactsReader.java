package dev.substrate.node.internal;

import dev.substrate.node.Gpu;
import dev.substrate.node.MigProfile;
import dev.substrate.node.PciFunction;
import dev.substrate.spi.gpu.SecureBoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads node facts from a root: {@code /} on a live node, or a directory holding the captured files of the H200
 * fixture ({@code nvidia-smi-q.xml}, {@code node-facts.txt}, {@code nvidia-smi-mig-lgip.txt}) and/or files at their
 * live paths under it ({@code proc/driver/nvidia/version}, {@code proc/modules}, {@code proc/sys/kernel/osrelease},
 * {@code etc/os-release}, {@code sys/bus/pci/devices/}, {@code sys/firmware/efi/efivars/SecureBoot-*},
 * {@code lib/modules/<release>/build}). A file at a live path wins over the same fact in {@code node-facts.txt}.
 */
public final class FactsReader {
  /** The files and directories a capture directory is recognised by. */
  static final List<String> RECOGNISED = List.of("nvidia-smi-q.xml", "node-facts.txt", "nvidia-smi-mig-lgip.txt",
      "proc", "sys", "etc/os-release");

  private static final String NVIDIA_VENDOR = "0x10de";
  private static final Pattern NVRM = Pattern.compile("Kernel Module(?: for \\S+)?\\s+(\\d+\\.\\d+(?:\\.\\d+)?)");
  private static final Pattern PCI_LINE = Pattern.compile(
      "(?m)^/sys/bus/pci/devices/(\\S+) vendor=(0x[0-9a-fA-F]+) device=(0x[0-9a-fA-F]+)(?: class=(0x[0-9a-fA-F]+))?"
          + "(?:.*? driver=(\\S+))?");
  /** An {@code od} dump of the SecureBoot variable: 4 attribute bytes, then the value; an offset column or not. */
  private static final Pattern OD_BYTES =
      Pattern.compile("(?m)^[ \\t]*(?:[0-7]{7}[ \\t]+)?(?:\\d+[ \\t]+){4}(\\d+)[ \\t]*$");

  private final Path root;
  private final boolean live;
  private final Sections sections;

  private FactsReader(Path root, boolean live, Sections sections) {
    this.root = root;
    this.live = live;
    this.sections = sections;
  }

  /** The facts captured in {@code dir}; an {@link IllegalArgumentException} when it is missing or holds none. */
  public static Facts directory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is not a directory");
    }
    if (RECOGNISED.stream().noneMatch(f -> Files.exists(dir.resolve(f)))) {
      throw new IllegalArgumentException(dir + " holds no captured node facts (none of "
          + String.join(", ", RECOGNISED) + ")");
    }
    Sections sections = read(dir.resolve("node-facts.txt")).map(Sections::parse).orElse(Sections.NONE);
    FactsReader r = new FactsReader(dir, false, sections);
    Optional<String> lgip = read(dir.resolve("nvidia-smi-mig-lgip.txt")).or(() -> sections.output("mig -lgip"));
    return r.facts("directory " + dir, read(dir.resolve("nvidia-smi-q.xml")), lgip);
  }

  /** The facts of the node this runs on; {@code nvidia-smi} is run when it is on the {@code PATH}. */
  public static Facts live() {
    FactsReader r = new FactsReader(Path.of("/"), true, Sections.NONE);
    Optional<String> xml = run("nvidia-smi", "-q", "-x");
    return r.facts("this node", xml, xml.isPresent() ? run("nvidia-smi", "mig", "-lgip") : Optional.empty());
  }

  private Facts facts(String source, Optional<String> xml, Optional<String> lgip) {
    Map<Integer, List<MigProfile>> profiles = lgip.map(MigListing::parse).orElse(Map.of());
    Optional<SmiXml> smi = xml.map(x -> SmiXml.parse(x, profiles));
    Optional<String> versionFile = file("proc/driver/nvidia/version")
        .or(() -> sections.output("/proc/driver/nvidia/version"));
    Optional<String> nvrm = versionFile.flatMap(v -> v.lines().filter(l -> l.startsWith("NVRM")).findFirst())
        .map(String::strip);
    Optional<String> driver = smi.flatMap(s -> s.driverVersion)
        .or(() -> nvrm.map(NVRM::matcher).filter(Matcher::find).map(m -> m.group(1)));
    Optional<String> release = kernelRelease();
    SecureBootState sb = secureBoot();
    return new Facts(source, smi.isPresent(), driver, nvrm, smi.map(s -> s.gpus).orElse(List.<Gpu>of()),
        pci(), modules(), release, os(), sb.state, sb.evidence, release.flatMap(this::kernelHeaders));
  }

  private Optional<String> kernelRelease() {
    return file("proc/sys/kernel/osrelease").map(String::strip).filter(s -> !s.isEmpty())
        .or(() -> sections.output("uname -r").map(String::strip).filter(s -> !s.contains(" ")))
        .or(() -> sections.output("uname -a").map(s -> s.strip().split("\\s+")).filter(t -> t.length > 2)
            .map(t -> t[2]))
        .or(() -> sections.output("/proc/version").map(Pattern.compile("Linux version (\\S+)")::matcher)
            .filter(Matcher::find).map(m -> m.group(1)));
  }

  private Optional<String> os() {
    return file("etc/os-release").or(() -> sections.output("os-release"))
        .flatMap(t -> t.lines().filter(l -> l.startsWith("PRETTY_NAME=")).findFirst())
        .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", "").strip());
  }

  private Optional<List<String>> modules() {
    Optional<String> text = file("proc/modules").or(() -> sections.get("/proc/modules"))
        .or(() -> sections.output("lsmod"));
    return text.map(t -> t.lines().map(String::strip).filter(l -> l.matches("\\S+\\s+\\d+\\s.*"))
        .map(l -> l.split("\\s+")[0]).toList());
  }

  private List<PciFunction> pci() {
    Path devices = root.resolve("sys/bus/pci/devices");
    if (Files.isDirectory(devices)) {
      List<PciFunction> out = new ArrayList<>();
      try (Stream<Path> list = Files.list(devices)) {
        for (Path d : list.sorted().toList()) {
          Optional<String> vendor = file(d.resolve("vendor")).map(String::strip);
          Optional<String> cls = file(d.resolve("class")).map(String::strip);
          Optional<String> device = file(d.resolve("device")).map(String::strip);
          if (vendor.filter(NVIDIA_VENDOR::equalsIgnoreCase).isPresent() && device.isPresent() && display(cls)) {
            Path link = d.resolve("driver");
            Optional<String> driver = Optional.empty();
            if (Files.exists(link)) {
              Path target = Files.isSymbolicLink(link) ? Files.readSymbolicLink(link) : link.toRealPath();
              driver = Optional.of(target.getFileName().toString());
            }
            out.add(new PciFunction(d.getFileName().toString(), SmiXml.deviceId(device.get()), driver));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + devices + ": " + e.getMessage(), e);
      }
      return out;
    }
    List<PciFunction> out = new ArrayList<>();
    Matcher m = PCI_LINE.matcher(sections.get("pci nvidia").orElse(""));
    while (m.find()) {
      if (m.group(2).equalsIgnoreCase(NVIDIA_VENDOR) && display(Optional.ofNullable(m.group(4)))) {
        out.add(new PciFunction(m.group(1), SmiXml.deviceId(m.group(3)), Optional.ofNullable(m.group(5))));
      }
    }
    return out;
  }

  /** A display controller (class 0x03xxxx), not the GPU's audio or USB function; unknown class counts. */
  private static boolean display(Optional<String> cls) {
    return cls.map(c -> c.toLowerCase(Locale.ROOT).startsWith("0x03")).orElse(true);
  }

  private record SecureBootState(SecureBoot state, String evidence) {}

  /**
   * The {@code SecureBoot-8be4df61-...} EFI variable: 4 attribute bytes, then 1 when Secure Boot is enforced
   * (UEFI spec §3.3 "Globally Defined Variables"; efivarfs prefixes the attributes).
   */
  private SecureBootState secureBoot() {
    Path efi = root.resolve("sys/firmware/efi");
    Path vars = efi.resolve("efivars");
    if (Files.isDirectory(vars)) {
      try (Stream<Path> list = Files.list(vars)) {
        Optional<Path> var = list.filter(p -> p.getFileName().toString().startsWith("SecureBoot-")).findFirst();
        if (var.isPresent()) {
          byte[] b = Files.readAllBytes(var.get());
          return b.length >= 5 ? new SecureBootState(b[4] == 1 ? SecureBoot.ON : SecureBoot.OFF,
              "EFI variable " + var.get().getFileName())
              : new SecureBootState(SecureBoot.UNKNOWN, "EFI variable " + var.get().getFileName() + " is short");
        }
      } catch (IOException e) {
        return new SecureBootState(SecureBoot.UNKNOWN, "cannot read " + vars + ": " + e.getMessage());
      }
    }
    if (Files.isDirectory(efi)) {
      return new SecureBootState(SecureBoot.OFF, "EFI firmware without a SecureBoot variable");
    }
    if (live) {
      return new SecureBootState(SecureBoot.OFF, "no EFI firmware");
    }
    Optional<String> captured = sections.get("/sys/firmware/efi");
    if (captured.isPresent()) {
      String s = captured.get();
      Matcher od = OD_BYTES.matcher(s);
      if (od.find()) {
        return new SecureBootState(Integer.parseInt(od.group(1)) == 1 ? SecureBoot.ON : SecureBoot.OFF,
            "EFI variable SecureBoot");
      }
      if (s.contains("cannot access '/sys/firmware/efi'")) {
        return new SecureBootState(SecureBoot.OFF, "no EFI firmware");
      }
    }
    Optional<String> mok = sections.output("mokutil");
    if (mok.isPresent()) {
      String m = mok.get().toLowerCase(Locale.ROOT);
      if (m.contains("secureboot enabled")) {
        return new SecureBootState(SecureBoot.ON, "mokutil --sb-state");
      }
      if (m.contains("secureboot disabled")) {
        return new SecureBootState(SecureBoot.OFF, "mokutil --sb-state");
      }
    }
    return new SecureBootState(SecureBoot.UNKNOWN, "not captured");
  }

  private Optional<Boolean> kernelHeaders(String release) {
    Path build = root.resolve("lib/modules").resolve(release).resolve("build");
    if (Files.exists(build)) {
      return Optional.of(true);
    }
    if (live || Files.isDirectory(root.resolve("lib/modules"))) {
      return Optional.of(false);
    }
    return sections.get("kernel build dir").flatMap(s -> {
      if (s.lines().anyMatch(l -> l.strip().equals("build"))) {
        return Optional.of(true);
      }
      return s.contains("cannot access '/lib/modules/") ? Optional.of(false) : Optional.empty();
    });
  }

  private Optional<String> file(String relative) {
    return file(root.resolve(relative));
  }

  private static Optional<String> file(Path p) {
    return Files.isRegularFile(p) ? read(p) : Optional.empty();
  }

  private static Optional<String> read(Path p) {
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  /** The output of a command that exits 0 within 60 s; empty when it is absent or fails. */
  private static Optional<String> run(String... command) {
    try {
      Process p = new ProcessBuilder(Arrays.asList(command)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return p.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
