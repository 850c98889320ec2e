package dev.substrate.node;

import dev.substrate.node.internal.Facts;
import dev.substrate.node.internal.FactsReader;
import dev.substrate.spi.gpu.SecureBoot;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a GPU node knows about itself: {@code nvidia-smi -q -x} and {@code nvidia-smi mig -lgip},
 * {@code /proc/driver/nvidia/version}, loaded modules, kernel release, OS, Secure Boot, kernel headers and NVIDIA PCI
 * functions. Read live ({@link #live()}) or from captured files ({@link #fromDirectory(Path)}).
 */
public final class NodeFacts {
  private final Facts facts;

  private NodeFacts(Facts facts) {
    this.facts = facts;
  }

  /**
   * The facts captured in {@code dir}, in the layout of the H200 fixture: {@code nvidia-smi-q.xml}
   * ({@code nvidia-smi -q -x}), {@code node-facts.txt} (sections headed {@code ## <what>}), optionally
   * {@code nvidia-smi-mig-lgip.txt}, and files at their live paths under {@code dir} ({@code proc/modules},
   * {@code sys/firmware/efi/efivars/SecureBoot-*}, ...), which win over {@code node-facts.txt}.
   *
   * @throws IllegalArgumentException when {@code dir} is not a directory or holds none of these
   */
  public static NodeFacts fromDirectory(Path dir) {
    return new NodeFacts(FactsReader.directory(dir));
  }

  /**
   * The facts of the node this runs on: {@code /proc}, {@code /sys}, {@code /etc/os-release}, {@code /lib/modules},
   * and {@code nvidia-smi} when it is on the {@code PATH}.
   */
  public static NodeFacts live() {
    return new NodeFacts(FactsReader.live());
  }

  /** Where the facts came from, e.g. {@code directory gpu-nodes/h200} or {@code this node}. */
  public String source() {
    return facts.source();
  }

  /** Whether {@code nvidia-smi -q -x} output was there; without it {@link #gpus()} is empty. */
  public boolean nvidiaSmi() {
    return facts.nvidiaSmi();
  }

  /** The GPUs {@code nvidia-smi} reports, each with the MIG profiles {@code nvidia-smi mig -lgip} lists. */
  public List<Gpu> gpus() {
    return facts.gpus();
  }

  /** NVIDIA display functions on the PCI bus (vendor {@code 0x10de}, class {@code 0x03xxxx}). */
  public List<PciFunction> pciFunctions() {
    return facts.pciFunctions();
  }

  /** The loaded driver's version, from {@code nvidia-smi} or {@code /proc/driver/nvidia/version}. */
  public Optional<String> driverVersion() {
    return facts.driverVersion();
  }

  /** The {@code NVRM version:} line of {@code /proc/driver/nvidia/version}; present when a driver is loaded. */
  public Optional<String> kernelModule() {
    return facts.kernelModule();
  }

  /** Names of the loaded kernel modules; empty when not captured (a capture may hold only the NVIDIA ones). */
  public Optional<List<String>> loadedModules() {
    return facts.loadedModules();
  }

  /** {@code uname -r}. */
  public Optional<String> kernelRelease() {
    return facts.kernelRelease();
  }

  /** {@code PRETTY_NAME} of {@code /etc/os-release}. */
  public Optional<String> os() {
    return facts.os();
  }

  /** The Secure Boot state. */
  public SecureBoot secureBoot() {
    return facts.secureBoot();
  }

  /** What {@link #secureBoot()} was read from, e.g. {@code no EFI firmware}. */
  public String secureBootEvidence() {
    return facts.secureBootEvidence();
  }

  /** Whether {@code /lib/modules/<release>/build} (the kernel headers) exists; empty when not captured. */
  public Optional<Boolean> kernelHeaders() {
    return facts.kernelHeaders();
  }
}
