package dev.substrate.spi.gpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The NVIDIA GPUs Substrate knows, looked up by GFD's {@code nvidia.com/gpu.product} label or by PCI device id, plus
 * the offerings a substrate sells them as (a server type, an accelerator id). Immutable: {@link #with} and
 * {@link #withOffering} return a new catalog.
 *
 * <pre>{@code
 * GpuCatalog robot = GpuCatalog.shipped().withOffering("GEX131", GpuCatalog.RTX_PRO_6000_BLACKWELL);
 * robot.byProductLabel("NVIDIA-H200-SHARED");   // H200
 * robot.byPciDeviceId("0x233510DE");            // H200, as nvidia-smi prints it
 * robot.byOffering("gex131");                   // RTX PRO 6000 Blackwell
 * }</pre>
 *
 * <p>Sources of the shipped models. Product names and PCI device ids: NVIDIA/open-gpu-kernel-modules README.md
 * "Compatible GPUs" (HEAD df1c9a3, 2026-03-05); GFD turns the name into the label by replacing spaces with dashes
 * (NVIDIA/k8s-device-plugin v0.20.0 internal/lm/resource.go {@code sanitise}). MIG support and instance counts: NVIDIA
 * MIG User Guide "Supported GPUs", https://docs.nvidia.com/datacenter/tesla/mig-user-guide/supported-gpus.html.
 * MIG profiles: the GPU Operator's default mig-parted config (NVIDIA/gpu-operator v26.7.0
 * assets/state-mig-manager/0400_configmap.yaml, device-filtered by PCI id) and, for the H200, {@code nvidia-smi mig
 * -lgip} on a live H200 (profile ids 19/20/15/14/9/5/0 as in GoogleCloudPlatform/container-engine-accelerators
 * partition_gpu/partition_gpu.go). VRAM is the capacity as sold (DOMAIN §6.3).
 */
public final class GpuCatalog {
  /** Turing; no MIG. */
  public static final GpuModel T4 = model("T4", "Turing", 16, List.of("Tesla-T4"), List.of(0x1EB8), 0, Map.of());
  /** Ada Lovelace; no MIG. */
  public static final GpuModel L4 = model("L4", "Ada Lovelace", 24, List.of("NVIDIA-L4"), List.of(0x27B8), 0,
      Map.of());
  /** Ada Lovelace; no MIG. */
  public static final GpuModel L40S = model("L40S", "Ada Lovelace", 48, List.of("NVIDIA-L40S"), List.of(0x26B9), 0,
      Map.of());
  /** Ada Lovelace; no MIG. */
  public static final GpuModel RTX_4000_SFF_ADA = model("RTX 4000 SFF Ada", "Ada Lovelace", 20,
      List.of("NVIDIA-RTX-4000-SFF-Ada-Generation"), List.of(0x27B0), 0, Map.of());
  /** Ada Lovelace; no MIG. */
  public static final GpuModel RTX_6000_ADA = model("RTX 6000 Ada", "Ada Lovelace", 48,
      List.of("NVIDIA-RTX-6000-Ada-Generation"), List.of(0x26B1), 0, Map.of());
  /** Blackwell GB203; not in the MIG guide's list. */
  public static final GpuModel RTX_PRO_4000_BLACKWELL_SFF = model("RTX PRO 4000 Blackwell SFF", "Blackwell", 24,
      List.of("NVIDIA-RTX-PRO-4000-Blackwell-SFF-Edition"), List.of(0x2C33), 0, Map.of());
  /** Server, Workstation and Max-Q Workstation editions; MIG up to 4 (the config's "RTX-PRO-6000-96GB"). */
  public static final GpuModel RTX_PRO_6000_BLACKWELL = model("RTX PRO 6000 Blackwell", "Blackwell", 96,
      List.of("NVIDIA-RTX-PRO-6000-Blackwell-Server-Edition", "NVIDIA-RTX-PRO-6000-Blackwell-Workstation-Edition",
          "NVIDIA-RTX-PRO-6000-Blackwell-Max-Q-Workstation-Edition"), List.of(0x2BB5, 0x2BB1, 0x2BB4), 4,
      profiles("1g.24gb", 4, "1g.24gb+gfx", 4, "1g.24gb-me", 4, "1g.24gb+me.all", 1, "2g.48gb", 2, "2g.48gb+gfx", 2,
          "2g.48gb-me", 2, "2g.48gb+me.all", 1, "4g.96gb", 1, "4g.96gb+gfx", 1));
  /** Ampere GA102, sold only in AWS's g5 instances; no MIG (PCI id: open-gpu-kernel-modules "NVIDIA A10G 2237"). */
  public static final GpuModel A10G = model("A10G", "Ampere", 24, List.of("NVIDIA-A10G"), List.of(0x2237), 0, Map.of());
  /** A100-SXM4-40GB and A100-PCIE-40GB. */
  public static final GpuModel A100_40GB = model("A100 40GB", "Ampere", 40,
      List.of("NVIDIA-A100-SXM4-40GB", "NVIDIA-A100-PCIE-40GB"), List.of(0x20B0, 0x20F1), 7,
      profiles("1g.5gb", 7, "1g.5gb+me", 1, "1g.10gb", 4, "2g.10gb", 3, "3g.20gb", 2, "4g.20gb", 1, "7g.40gb", 1));
  /** A100-SXM4-80GB and A100 80GB PCIe; same profiles as the H100 80GB. */
  public static final GpuModel A100_80GB = model("A100 80GB", "Ampere", 80,
      List.of("NVIDIA-A100-SXM4-80GB", "NVIDIA-A100-80GB-PCIe"), List.of(0x20B2, 0x20B5), 7, profiles80());
  /** H100 SXM5 ("H100 80GB HBM3") and H100 PCIe. */
  public static final GpuModel H100_80GB = model("H100 80GB", "Hopper", 80,
      List.of("NVIDIA-H100-80GB-HBM3", "NVIDIA-H100-PCIe"), List.of(0x2330, 0x2331), 7, profiles80());
  /** H100 NVL, 94 GB. */
  public static final GpuModel H100_NVL = model("H100 NVL", "Hopper", 94, List.of("NVIDIA-H100-NVL"),
      List.of(0x2321), 7,
      profiles("1g.12gb", 7, "1g.12gb+me", 1, "1g.24gb", 4, "2g.24gb", 3, "3g.47gb", 2, "4g.47gb", 1, "7g.94gb", 1));
  /** H200 (SXM), 141 GB; profiles as {@code nvidia-smi mig -lgip} lists them on one. */
  public static final GpuModel H200 = model("H200", "Hopper", 141, List.of("NVIDIA-H200"), List.of(0x2335), 7,
      profiles("1g.18gb", 7, "1g.18gb+me", 1, "1g.35gb", 4, "2g.35gb", 3, "3g.71gb", 2, "4g.71gb", 1, "7g.141gb", 1));

  private static final GpuCatalog SHIPPED = new GpuCatalog(List.of(T4, L4, L40S, RTX_4000_SFF_ADA, RTX_6000_ADA,
      RTX_PRO_4000_BLACKWELL_SFF, RTX_PRO_6000_BLACKWELL, A10G, A100_40GB, A100_80GB, H100_80GB, H100_NVL, H200), Map.of());

  private static final int NVIDIA_VENDOR = 0x10DE;

  private final List<GpuModel> models;
  private final Map<String, GpuModel> offerings;

  private GpuCatalog(List<GpuModel> models, Map<String, GpuModel> offerings) {
    this.models = List.copyOf(models);
    this.offerings = Collections.unmodifiableMap(new LinkedHashMap<>(offerings));
  }

  /** The models Substrate ships, with no offerings. */
  public static GpuCatalog shipped() {
    return SHIPPED;
  }

  /** This catalog plus {@code model}; a model of the same name is replaced, in the offerings too. */
  public GpuCatalog with(GpuModel model) {
    List<GpuModel> out = new ArrayList<>();
    for (GpuModel m : models) {
      if (!m.name().equals(model.name())) {
        out.add(m);
      }
    }
    out.add(model);
    Map<String, GpuModel> offered = new LinkedHashMap<>(offerings);
    offered.replaceAll((offering, m) -> m.name().equals(model.name()) ? model : m);
    return new GpuCatalog(out, offered);
  }

  /**
   * This catalog plus an offering: a name the substrate sells {@code model} under, such as a server type
   * ({@code GEX44}) or an accelerator id ({@code nvidia-l4}); the model joins the catalog if it is not in it.
   */
  public GpuCatalog withOffering(String offering, GpuModel model) {
    if (offering == null || offering.isBlank()) {
      throw new IllegalArgumentException("a GPU offering needs a name, e.g. a server type or an accelerator id");
    }
    GpuCatalog withModel = models.contains(model) ? this : with(model);
    Map<String, GpuModel> out = new LinkedHashMap<>(offerings);
    out.put(offering, model);
    return new GpuCatalog(withModel.models, out);
  }

  /** Every model, shipped ones first. */
  public List<GpuModel> models() {
    return models;
  }

  /** The offerings in the order they were added. */
  public Map<String, GpuModel> offerings() {
    return offerings;
  }

  /**
   * The model an {@code nvidia.com/gpu.product} label names, ignoring case, GFD's {@code -SHARED} suffix (shared,
   * not renamed) and its {@code -MIG-<profile>} suffix (MIG strategy single), e.g. {@code NVIDIA-H200-MIG-1g.18gb}.
   */
  public Optional<GpuModel> byProductLabel(String label) {
    if (label == null || label.isBlank()) {
      return Optional.empty();
    }
    String l = label.trim();
    if (l.toUpperCase(Locale.ROOT).endsWith("-SHARED")) {
      l = l.substring(0, l.length() - "-SHARED".length());
    }
    int mig = l.toUpperCase(Locale.ROOT).indexOf("-MIG-");
    String product = mig >= 0 ? l.substring(0, mig) : l;
    return models.stream().filter(m -> m.productLabels().stream().anyMatch(product::equalsIgnoreCase)).findFirst();
  }

  /**
   * The model of a PCI device id: {@code 0x2335} or {@code 2335} as sysfs and lspci give it, or
   * {@code 0x233510DE} (device and vendor) as {@code nvidia-smi} gives it; empty for another vendor or a malformed id.
   */
  public Optional<GpuModel> byPciDeviceId(String id) {
    if (id == null) {
      return Optional.empty();
    }
    String hex = id.trim();
    hex = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    if (hex.isEmpty() || hex.length() > 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return Optional.empty();
    }
    long value = Long.parseLong(hex, 16);
    if (hex.length() > 4) {
      if ((value & 0xFFFF) != NVIDIA_VENDOR) {
        return Optional.empty();
      }
      value >>>= 16;
    }
    int device = (int) value;
    return models.stream().filter(m -> m.pciDeviceIds().contains(device)).findFirst();
  }

  /** The model sold as {@code offering}, ignoring case. */
  public Optional<GpuModel> byOffering(String offering) {
    if (offering == null) {
      return Optional.empty();
    }
    return offerings.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(offering.trim()))
        .map(Map.Entry::getValue).findFirst();
  }

  private static GpuModel model(String name, String architecture, double vramGib, List<String> labels,
      List<Integer> pciIds, int maxMig, Map<String, Integer> profiles) {
    return GpuModel.builder().name(name).architecture(architecture).vramGib(vramGib).addAllProductLabels(labels)
        .addAllPciDeviceIds(pciIds).maxMigInstances(maxMig).putAllMigProfiles(profiles).build();
  }

  /** The A100 80GB's and H100 80GB's profiles (the config's "H100-80GB, H800-80GB, A100-80GB, A800-80GB"). */
  private static Map<String, Integer> profiles80() {
    return profiles("1g.10gb", 7, "1g.10gb+me", 1, "1g.20gb", 4, "2g.20gb", 3, "3g.40gb", 2, "4g.40gb", 1,
        "7g.80gb", 1);
  }

  private static Map<String, Integer> profiles(Object... nameAndCount) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < nameAndCount.length; i += 2) {
      out.put((String) nameAndCount[i], (Integer) nameAndCount[i + 1]);
    }
    return out;
  }
}
