package dev.substrate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.spi.gpu.Finding;
import dev.substrate.spi.gpu.Finding.Status;
import dev.substrate.spi.gpu.SecureBoot;
import dev.substrate.spi.gpu.GpuCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodePreflightTest {
  /** The live H200 node of ../shared/fixtures/gpu-nodes/h200 (see its README); read, never edited. */
  static final Path H200 = Path.of(System.getProperty("substrate.shared", "/work/shared"), "fixtures", "gpu-nodes",
      "h200");

  @TempDir Path tmp;

  @Test
  void theH200FixtureIsOneH200With143771MibDriver580OpenMigDisabledAndTheProfilesItLists() throws IOException {
    NodeFacts facts = NodeFacts.fromDirectory(H200);
    NodePreflight p = NodePreflight.of(facts);

    assertThat(facts.nvidiaSmi()).isTrue();
    assertThat(p.gpus()).hasSize(1);
    Gpu gpu = p.gpus().get(0);
    assertThat(gpu.product()).isEqualTo("NVIDIA H200");
    assertThat(gpu.pciDeviceId()).isEqualTo(0x2335);
    assertThat(gpu.vramMib()).hasValue(143771);
    assertThat(gpu.migCurrent()).contains("Disabled");
    assertThat(gpu.migPending()).contains("Disabled");
    assertThat(gpu.migEnabled()).isFalse();
    assertThat(gpu.migProfiles()).containsExactly(
        new MigProfile("1g.18gb", 19, 7, 16.0), new MigProfile("1g.18gb+me", 20, 1, 16.0),
        new MigProfile("1g.35gb", 15, 4, 32.5), new MigProfile("2g.35gb", 14, 3, 32.5),
        new MigProfile("3g.71gb", 9, 2, 69.75), new MigProfile("4g.71gb", 5, 1, 69.75),
        new MigProfile("7g.141gb", 0, 1, 140.0));
    assertThat(p.driverVersion()).contains("580.159.04");
    assertThat(p.kernelModuleType()).contains("open");
    assertThat(facts.kernelRelease()).contains("6.18.44-fc-v1252-gpu");
    assertThat(facts.os()).contains("Ubuntu 24.04.3 LTS");
    assertThat(facts.secureBoot()).isEqualTo(SecureBoot.OFF);
    assertThat(facts.secureBootEvidence()).isEqualTo("no EFI firmware");
    assertThat(facts.loadedModules()).contains(List.of("nvidia_uvm", "nvidia"));
    assertThat(p.nouveauLoaded()).isFalse();
    assertThat(facts.kernelHeaders()).contains(false);
    assertThat(facts.pciFunctions()).containsExactly(new PciFunction("0000:00:06.0", 0x2335, Optional.of("nvidia")));

    assertThat(statuses(p)).containsExactly(Map.entry("gpu", Status.PASS), Map.entry("host-driver", Status.WARN),
        Map.entry("nouveau", Status.PASS), Map.entry("secure-boot", Status.PASS),
        Map.entry("kernel-headers", Status.PASS), Map.entry("mig", Status.INFO));
    assertThat(finding(p, "host-driver").remedy()).contains(
        "install the GPU Operator with the driver disabled: --set driver.enabled=false");
    assertThat(finding(p, "host-driver").message()).startsWith("NVIDIA driver 580.159.04 (open kernel module)");
    assertThat(finding(p, "mig").message()).isEqualTo(
        "GPU 0: MIG-capable (7 GPU instance profiles), MIG disabled: the whole GPU is one nvidia.com/gpu");
    assertThat(p.worst()).isEqualTo(Status.WARN);
    assertThat(p.text()).contains("GPU 0  NVIDIA H200  PCI 0x2335  143771 MiB  MIG disabled",
        "driver       580.159.04 (open kernel module)", "1g.18gb x7 (16.00 GiB)", "7g.141gb x1 (140.00 GiB)");
  }

  @Test
  void theGpuCatalogAgreesWithTheH200Fixture() throws IOException {
    Gpu gpu = NodeFacts.fromDirectory(H200).gpus().get(0);
    var model = NodePreflight.of(NodeFacts.fromDirectory(H200)).model(gpu).orElseThrow();

    assertThat(model).isSameAs(GpuCatalog.H200);
    assertThat(model.pciDeviceIds()).contains(gpu.pciDeviceId());
    assertThat(model.productLabels()).contains(gpu.product().replace(' ', '-'));
    Map<String, Integer> listed = new LinkedHashMap<>();
    gpu.migProfiles().forEach(pr -> listed.put(pr.name(), pr.instances()));
    assertThat(model.migProfiles()).isEqualTo(listed);
    assertThat(model.maxMigInstances()).isEqualTo(7);
    // VRAM as sold (141 GiB) against NVML's frame buffer (143771 MiB = 140.4 GiB).
    assertThat(Math.abs(model.vramGib() - gpu.vramMib().getAsLong() / 1024.0)).isLessThan(1);
    // The -lgip listing in node-facts.txt and nvidia-smi's XML name the same device the sysfs line does.
    assertThat(group(Files.readString(H200.resolve("node-facts.txt")), "vendor=0x10de device=0x(\\w{4})"))
        .isEqualTo("2335");
  }

  @Test
  void migEnabledPassesAndAPendingChangeWarnsWithTheReset() throws IOException {
    Path enabled = variation("enabled", xml -> xml.replace("<current_mig>Disabled</current_mig>",
        "<current_mig>Enabled</current_mig>").replace("<pending_mig>Disabled</pending_mig>",
        "<pending_mig>Enabled</pending_mig>"), UnaryOperator.identity());
    NodePreflight on = NodePreflight.of(NodeFacts.fromDirectory(enabled));
    assertThat(on.gpus().get(0).migEnabled()).isTrue();
    assertThat(finding(on, "mig").status()).isEqualTo(Status.PASS);
    assertThat(finding(on, "mig").message()).isEqualTo("GPU 0: MIG enabled (7 GPU instance profiles)");

    Path pending = variation("pending", xml -> xml.replace("<pending_mig>Disabled</pending_mig>",
        "<pending_mig>Enabled</pending_mig>"), UnaryOperator.identity());
    NodePreflight p = NodePreflight.of(NodeFacts.fromDirectory(pending));
    assertThat(finding(p, "mig").status()).isEqualTo(Status.WARN);
    assertThat(finding(p, "mig").message()).isEqualTo("GPU 0: MIG mode disabled, enabled after the next GPU reset");
    assertThat(finding(p, "mig").remedy()).contains("sudo nvidia-smi -i 0 -r (with no process on the GPU), or reboot");
    assertThat(p.text()).contains("MIG disabled (pending enabled)");
  }

  @Test
  void secureBootOnFromAnEfiVariableFailsOnlyWithoutASignedDriverLoaded() throws IOException {
    Path withDriver = variation("sb-driver", UnaryOperator.identity(), UnaryOperator.identity());
    secureBoot(withDriver, 1);
    NodePreflight loaded = NodePreflight.of(NodeFacts.fromDirectory(withDriver));
    assertThat(loaded.facts().secureBoot()).isEqualTo(SecureBoot.ON);
    assertThat(finding(loaded, "secure-boot").status()).isEqualTo(Status.PASS);

    Path fresh = freshNode("sb-fresh");
    secureBoot(fresh, 1);
    NodePreflight p = NodePreflight.of(NodeFacts.fromDirectory(fresh));
    assertThat(p.hostDriver()).isFalse();
    assertThat(finding(p, "secure-boot").status()).isEqualTo(Status.FAIL);
    assertThat(finding(p, "secure-boot").remedy()).contains("use the precompiled driver containers, whose modules are "
        + "signed (--set driver.usePrecompiled=true, for a kernel NVIDIA publishes them for), or install a signed "
        + "driver on the host (linux-modules-nvidia-<branch>-"
        + "server-6.18.44-fc-v1252-gpu) and set driver.enabled=false, or turn Secure Boot off in the firmware");
    assertThat(finding(p, "kernel-headers").status()).isEqualTo(Status.WARN);
    assertThat(finding(p, "kernel-headers").remedy()).hasValueSatisfying(r -> assertThat(r)
        .startsWith("let the node reach its OS package repositories, from which the driver container installs "
            + "linux-headers-6.18.44-fc-v1252-gpu at start"));
    assertThat(finding(p, "host-driver").status()).isEqualTo(Status.PASS);
    assertThat(p.worst()).isEqualTo(Status.FAIL);

    secureBoot(fresh, 0);
    NodePreflight off = NodePreflight.of(NodeFacts.fromDirectory(fresh));
    assertThat(off.facts().secureBoot()).isEqualTo(SecureBoot.OFF);
    assertThat(finding(off, "secure-boot").status()).isEqualTo(Status.PASS);
    assertThat(off.worst()).isEqualTo(Status.WARN);
  }

  @Test
  void withoutAHostDriverThePrecompiledImageForTheKernelIsNamedOrItsAbsenceExplained() throws IOException {
    NodePreflight custom = NodePreflight.of(NodeFacts.fromDirectory(freshNode("custom-kernel")));
    assertThat(finding(custom, "driver-image").status()).isEqualTo(Status.INFO);
    assertThat(finding(custom, "driver-image").message()).startsWith("no precompiled driver image for this kernel "
        + "(kernel 6.18.44-fc-v1252-gpu is not an Ubuntu archive kernel").contains("predicted from NVIDIA's published "
        + "build matrix");

    Path generic = variation("generic-kernel", null, f -> freshFacts(f)
        .replace("6.18.44-fc-v1252-gpu", "6.8.0-57-generic"));
    NodePreflight p = NodePreflight.of(NodeFacts.fromDirectory(generic));
    assertThat(p.facts().kernelRelease()).hasValue("6.8.0-57-generic");
    assertThat(finding(p, "driver-image").message()).startsWith("a precompiled driver image exists for this kernel: "
        + "nvcr.io/nvidia/driver:595-6.8.0-57-generic-ubuntu24.04");
    assertThat(finding(p, "driver-image").remedy()).hasValueSatisfying(r -> assertThat(r)
        .contains("--set driver.usePrecompiled=true --set driver.version=595"));
    assertThat(finding(p, "kernel-headers").remedy()).hasValueSatisfying(r -> assertThat(r)
        .endsWith("or use the precompiled image nvcr.io/nvidia/driver:595-6.8.0-57-generic-ubuntu24.04 (--set "
            + "driver.usePrecompiled=true --set driver.version=595 (gpu.operator.driver.precompiled: true, branch: "
            + "595))"));

    NodePreflight withDriver = NodePreflight.of(NodeFacts.fromDirectory(H200));
    assertThat(withDriver.findings()).extracting(Finding::id).doesNotContain("driver-image");
  }

  @Test
  void secureBootCapturedAsAnOdDumpOrByMokutilIsRead() throws IOException {
    String efi = "(?s)## /sys/firmware/efi\\n.*?(?=## mokutil)";
    Path od = variation("od", UnaryOperator.identity(), facts -> facts.replaceAll(efi, "## /sys/firmware/efi\n"
        + "config_table  efivars  runtime\n/sys/firmware/efi/efivars/SecureBoot-*\n   6   0   0   0   1\n"));
    assertThat(NodeFacts.fromDirectory(od).secureBoot()).isEqualTo(SecureBoot.ON);
    Path offset = variation("od-offset", UnaryOperator.identity(), facts -> facts.replaceAll(efi,
        "## /sys/firmware/efi\n0000000 006 000 000 000 001\n0000005\n"));
    assertThat(NodeFacts.fromDirectory(offset).secureBoot()).isEqualTo(SecureBoot.ON);
    Path mokutil = variation("mokutil", UnaryOperator.identity(), facts -> facts
        .replaceAll(efi, "## /sys/firmware/efi\n").replace("mokutil: command not found", "SecureBoot enabled"));
    NodeFacts m = NodeFacts.fromDirectory(mokutil);
    assertThat(m.secureBoot()).isEqualTo(SecureBoot.ON);
    assertThat(m.secureBootEvidence()).isEqualTo("mokutil --sb-state");
  }

  @Test
  void aBlackwellGpuWithTheProprietaryModuleFails() throws IOException {
    Path dir = variation("blackwell", xml -> xml.replace("<pci_device_id>233510DE</pci_device_id>",
        "<pci_device_id>2BB510DE</pci_device_id>").replace("<product_name>NVIDIA H200</product_name>",
        "<product_name>NVIDIA RTX PRO 6000 Blackwell Server Edition</product_name>"), facts -> facts.replace(
        "NVIDIA UNIX Open Kernel Module for x86_64", "NVIDIA UNIX x86_64 Kernel Module"));
    NodePreflight p = NodePreflight.of(NodeFacts.fromDirectory(dir));

    assertThat(p.model(p.gpus().get(0))).containsSame(GpuCatalog.RTX_PRO_6000_BLACKWELL);
    assertThat(p.kernelModuleType()).contains("proprietary");
    assertThat(finding(p, "kernel-module").status()).isEqualTo(Status.FAIL);
    assertThat(finding(p, "kernel-module").remedy()).hasValueSatisfying(r -> assertThat(r)
        .contains("driver.kernelModuleType=open"));
    assertThat(NodePreflight.of(NodeFacts.fromDirectory(H200)).findings()).extracting(Finding::id)
        .doesNotContain("kernel-module");
  }

  @Test
  void nouveauInProcModulesFailsWithTheBlacklist() throws IOException {
    Path dir = variation("nouveau", UnaryOperator.identity(), UnaryOperator.identity());
    Files.createDirectories(dir.resolve("proc"));
    Files.writeString(dir.resolve("proc/modules"), "nouveau 3096576 0 - Live 0xffffffffc0a00000\n"
        + "drm_ttm_helper 16384 1 nouveau, Live 0xffffffffc09f0000\n");
    NodePreflight p = NodePreflight.of(NodeFacts.fromDirectory(dir));

    assertThat(p.nouveauLoaded()).isTrue();
    assertThat(finding(p, "nouveau").status()).isEqualTo(Status.FAIL);
    assertThat(finding(p, "nouveau").remedy()).contains("printf 'blacklist nouveau\\noptions nouveau modeset=0\\n' "
        + "| sudo tee /etc/modprobe.d/blacklist-nouveau.conf && sudo update-initramfs -u && sudo reboot");
    assertThat(p.worst()).isEqualTo(Status.FAIL);

    Path captured = variation("nouveau-section", UnaryOperator.identity(), facts -> facts.replace(
        "nvidia_uvm 1875968", "nouveau 3096576 0 - Live 0xffffffffc0a00000\nnvidia_uvm 1875968"));
    assertThat(NodePreflight.of(NodeFacts.fromDirectory(captured)).nouveauLoaded()).isTrue();
  }

  @Test
  void withoutNvidiaSmiTheGpuComesFromItsPciIdAndTheGapIsAWarning() throws IOException {
    Path dir = variation("no-smi", null, facts -> facts.replaceAll("(?s)## mig -lgip\\n.*?(?=## mig -lgipp)",
        "## mig -lgip\nbash: nvidia-smi: command not found\n"));
    NodePreflight p = NodePreflight.of(NodeFacts.fromDirectory(dir));

    assertThat(p.facts().nvidiaSmi()).isFalse();
    assertThat(p.gpus()).singleElement().satisfies(g -> {
      assertThat(g.product()).isEqualTo("H200");
      assertThat(g.pciDeviceId()).isEqualTo(0x2335);
      assertThat(g.vramMib()).isEmpty();
      assertThat(g.migProfiles()).isEmpty();
    });
    assertThat(p.driverVersion()).as("from /proc/driver/nvidia/version").contains("580.159.04");
    assertThat(finding(p, "nvidia-smi").status()).isEqualTo(Status.WARN);
    assertThat(finding(p, "mig").message()).isEqualTo(
        "GPU 0: MIG-capable, MIG unknown: the whole GPU is one nvidia.com/gpu");
    assertThat(p.text()).contains("GPU 0  H200  PCI 0x2335  VRAM unknown  MIG unknown");
  }

  @Test
  void aNodeWithNoNvidiaGpuFails() throws IOException {
    Path dir = tmp.resolve("cpu");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("node-facts.txt"), "## uname -a\nLinux cpu 6.8.0-45-generic #45 SMP x86_64\n"
        + "## pci nvidia\n## /proc/modules nvidia|nouveau\n");
    NodePreflight p = NodePreflight.of(NodeFacts.fromDirectory(dir));
    assertThat(p.gpus()).isEmpty();
    assertThat(finding(p, "gpu").status()).isEqualTo(Status.FAIL);
    assertThat(p.facts().secureBoot()).isEqualTo(SecureBoot.UNKNOWN);
    assertThat(finding(p, "secure-boot").status()).isEqualTo(Status.WARN);
  }

  @Test
  void aMissingOrUnrecognisedDirectoryIsRefusedByName() throws IOException {
    Path missing = tmp.resolve("missing");
    assertThatThrownBy(() -> NodeFacts.fromDirectory(missing)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(missing + " is not a directory");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Files.writeString(empty.resolve("notes.txt"), "nothing");
    assertThatThrownBy(() -> NodeFacts.fromDirectory(empty)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(empty + " holds no captured node facts (none of nvidia-smi-q.xml, node-facts.txt");
    Path broken = Files.createDirectories(tmp.resolve("broken"));
    Files.writeString(broken.resolve("nvidia-smi-q.xml"), "<nvidia_smi_log><gpu>");
    assertThatThrownBy(() -> NodeFacts.fromDirectory(broken)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("nvidia-smi -q -x output is not well-formed XML");
  }

  /** A node as the fixture, before any driver: no nvidia-smi, no NVIDIA module, no /proc/driver/nvidia. */
  private Path freshNode(String name) throws IOException {
    return variation(name, null, NodePreflightTest::freshFacts);
  }

  /** The fixture's facts without a driver: no NVRM line, no nvidia modules, no nvidia-smi, no PCI driver binding. */
  private static String freshFacts(String facts) {
    return facts
        .replaceAll("(?s)## /proc/driver/nvidia/version\\n.*?(?=## )",
            "## /proc/driver/nvidia/version\ncat: /proc/driver/nvidia/version: No such file or directory\n")
        .replaceAll("(?s)## /proc/modules nvidia\\|nouveau\\n.*?(?=## )", "## /proc/modules nvidia|nouveau\n")
        .replaceAll("(?s)## mig -lgip\\n.*?(?=## mig -lgipp)", "## mig -lgip\nbash: nvidia-smi: command not found\n")
        .replace("driver=nvidia", "");
  }

  /** The fixture copied to {@code tmp/name} with its XML (dropped when {@code xml} is null) and facts edited. */
  private Path variation(String name, UnaryOperator<String> xml, UnaryOperator<String> facts) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    if (xml != null) {
      Files.writeString(dir.resolve("nvidia-smi-q.xml"), xml.apply(Files.readString(H200.resolve("nvidia-smi-q.xml"))));
    }
    String original = Files.readString(H200.resolve("node-facts.txt"));
    String edited = facts.apply(original);
    Files.writeString(dir.resolve("node-facts.txt"), edited);
    return dir;
  }

  /** A fake efivarfs {@code SecureBoot} variable: 4 attribute bytes (NV+BS+RT = 6), then the value. */
  private static void secureBoot(Path root, int value) throws IOException {
    Path vars = Files.createDirectories(root.resolve("sys/firmware/efi/efivars"));
    Files.write(vars.resolve("SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"), new byte[] {6, 0, 0, 0,
        (byte) value});
  }

  private static Map<String, Status> statuses(NodePreflight p) {
    Map<String, Status> out = new LinkedHashMap<>();
    p.findings().forEach(f -> out.put(f.id(), f.status()));
    return out;
  }

  private static Finding finding(NodePreflight p, String id) {
    return p.findings().stream().filter(f -> f.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no finding " + id + " in " + p.findings()));
  }

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(regex).isTrue();
    return m.group(1);
  }
}
