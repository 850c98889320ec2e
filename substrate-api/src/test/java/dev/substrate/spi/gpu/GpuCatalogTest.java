package dev.substrate.spi.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GpuCatalogTest {
  /** A live H200 node as it describes itself; a copy of /work/shared/fixtures/gpu-nodes/h200 (see its README). */
  private static final String H200_NODE = "/gpu-nodes/h200/";

  @Test
  void theH200FixtureIsFoundByItsProductNameAndPciIdsWithTheMigProfilesItLists() throws IOException {
    String facts = resource("node-facts.txt");
    String smi = resource("nvidia-smi-q.txt");

    String name = group(facts, "(?m)^GPU 0: (.+) \\(UUID:");
    String sysfsDevice = group(facts, "vendor=0x10de device=(0x[0-9a-f]{4})");
    String smiDeviceId = group(smi, "(?m)^\\s+Device Id\\s+: (0x[0-9A-F]{8})$");
    double nvmlMib = Double.parseDouble(group(facts, "(?m)^NVIDIA H200, 0x[0-9A-F]+, 0x[0-9A-F]+, (\\d+) MiB"));
    Map<String, Integer> listed = new LinkedHashMap<>();
    Matcher m = Pattern.compile("MIG (\\S+)\\s+\\d+\\s+\\d+/(\\d+)").matcher(facts);
    while (m.find()) {
      listed.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    assertThat(name).isEqualTo(group(smi, "(?m)^\\s+Product Name\\s+: (.+)$"));
    assertThat(listed).hasSize(7);

    GpuCatalog catalog = GpuCatalog.shipped();
    // GFD's label: the NVML name with runs of blanks as one dash (k8s-device-plugin internal/lm/resource.go).
    GpuModel byLabel = catalog.byProductLabel(String.join("-", name.trim().split("\\s+"))).orElseThrow();
    assertThat(byLabel).isSameAs(GpuCatalog.H200);
    assertThat(catalog.byPciDeviceId(sysfsDevice)).containsSame(byLabel);
    assertThat(catalog.byPciDeviceId(smiDeviceId)).containsSame(byLabel);
    assertThat(byLabel.migProfiles()).isEqualTo(listed);
    assertThat(byLabel.maxMigInstances()).isEqualTo(listed.values().stream().mapToInt(i -> i).max().orElseThrow());
    assertThat(byLabel.mig()).isTrue();
    assertThat(Math.abs(byLabel.vramGib() - nvmlMib / 1024)).as("VRAM as sold vs NVML's MiB").isLessThan(1);
    assertThat(byLabel.architecture()).isEqualTo(group(smi, "(?m)^\\s+Product Architecture\\s+: (.+)$"));
  }

  @Test
  void theA10GOfAwsG5InstancesIsKnownByLabelAndPciIdAndHasNoMig() {
    GpuCatalog c = GpuCatalog.shipped();
    assertThat(c.byProductLabel("NVIDIA-A10G")).containsSame(GpuCatalog.A10G);
    assertThat(c.byPciDeviceId("0x223710DE")).containsSame(GpuCatalog.A10G);
    assertThat(c.byProductLabel("NVIDIA-A10")).isEmpty();
    assertThat(GpuCatalog.A10G.mig()).isFalse();
    assertThat(GpuCatalog.A10G.vramGib()).isEqualTo(24);
  }

  @Test
  void productLabelsMatchWholeIgnoringSharingAndMigSuffixes() {
    GpuCatalog c = GpuCatalog.shipped();
    assertThat(c.byProductLabel("NVIDIA-H200-SHARED")).containsSame(GpuCatalog.H200);
    assertThat(c.byProductLabel("NVIDIA-H200-MIG-1g.18gb")).containsSame(GpuCatalog.H200);
    assertThat(c.byProductLabel("nvidia-h100-nvl")).containsSame(GpuCatalog.H100_NVL);
    assertThat(c.byProductLabel("NVIDIA-H100-80GB-HBM3")).containsSame(GpuCatalog.H100_80GB);
    assertThat(c.byProductLabel("NVIDIA-RTX-PRO-6000-Blackwell-Max-Q-Workstation-Edition"))
        .containsSame(GpuCatalog.RTX_PRO_6000_BLACKWELL);
    assertThat(c.byProductLabel("Tesla-T4-SHARED")).containsSame(GpuCatalog.T4);
    // An L40 (48 GB, not shipped) is no L4 (24 GB); an H200 NVL is not the H200 whose profiles are listed.
    assertThat(c.byProductLabel("NVIDIA-L40")).isEmpty();
    assertThat(c.byProductLabel("NVIDIA-H200-NVL")).isEmpty();
    assertThat(c.byProductLabel("")).isEmpty();
    assertThat(c.byProductLabel(null)).isEmpty();
  }

  @Test
  void pciDeviceIdsAreReadInEveryFormToolsPrintAndOnlyForNvidia() {
    GpuCatalog c = GpuCatalog.shipped();
    for (String id : List.of("0x2335", "2335", "0x233510DE", "0x233510de", " 0X2335 ")) {
      assertThat(c.byPciDeviceId(id)).as(id).containsSame(GpuCatalog.H200);
    }
    assertThat(c.byPciDeviceId("0x27B8")).containsSame(GpuCatalog.L4);
    assertThat(c.byPciDeviceId("0x23351002")).as("another vendor").isEmpty();
    assertThat(c.byPciDeviceId("0xFFFF")).isEmpty();
    assertThat(c.byPciDeviceId("H200")).isEmpty();
    assertThat(c.byPciDeviceId("0x")).isEmpty();
    assertThat(c.byPciDeviceId(null)).isEmpty();
  }

  @Test
  void shippedLabelsAndPciIdsNameOneModelEach() {
    Set<String> labels = new HashSet<>();
    Set<Integer> ids = new HashSet<>();
    for (GpuModel model : GpuCatalog.shipped().models()) {
      model.productLabels().forEach(l -> assertThat(labels.add(l.toLowerCase(Locale.ROOT))).as(l).isTrue());
      model.pciDeviceIds().forEach(id -> assertThat(ids.add(id)).as(Integer.toHexString(id)).isTrue());
      assertThat(model.pciDeviceIds()).as(model.name()).hasSameSizeAs(model.productLabels());
    }
  }

  @Test
  void aSubstrateAddsWhatItSellsWithoutChangingTheShippedCatalog() {
    GpuModel a30 = GpuModel.builder().name("A30").architecture("Ampere").vramGib(24).addProductLabels("NVIDIA-A30")
        .addPciDeviceIds(0x20B7).maxMigInstances(4).putMigProfiles("1g.6gb", 4).putMigProfiles("4g.24gb", 1).build();
    GpuCatalog c = GpuCatalog.shipped().withOffering("GEX44", GpuCatalog.RTX_4000_SFF_ADA)
        .withOffering("gpu-a30", a30);

    assertThat(c.byOffering("gex44")).containsSame(GpuCatalog.RTX_4000_SFF_ADA);
    assertThat(c.byOffering("GPU-A30")).containsSame(a30);
    assertThat(c.byOffering("GEX130")).isEmpty();
    assertThat(c.offerings().keySet()).containsExactly("GEX44", "gpu-a30");
    assertThat(c.byProductLabel("NVIDIA-A30")).containsSame(a30);
    assertThat(c.byPciDeviceId("0x20B710DE")).containsSame(a30);
    assertThat(GpuCatalog.shipped().byProductLabel("NVIDIA-A30")).isEmpty();
    assertThat(GpuCatalog.shipped().offerings()).isEmpty();

    GpuModel bigger = GpuModel.builder().from(GpuCatalog.L4).vramGib(25).build();
    GpuCatalog replaced = GpuCatalog.shipped().with(bigger);
    assertThat(replaced.byProductLabel("NVIDIA-L4")).containsSame(bigger);
    assertThat(replaced.models()).hasSameSizeAs(GpuCatalog.shipped().models());
    assertThat(GpuCatalog.shipped().withOffering("nvidia-l4", GpuCatalog.L4).with(bigger).byOffering("nvidia-l4"))
        .containsSame(bigger);
    assertThatThrownBy(() -> c.withOffering(" ", a30)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offering");
  }

  @Test
  void aModelIsWholeOrRejected() {
    assertThatThrownBy(() -> GpuModel.builder().name("X").architecture("Ada").vramGib(24).addProductLabels("X")
        .putMigProfiles("1g.6gb", 4).build()).hasMessageContaining("X needs MIG profiles exactly when");
    assertThatThrownBy(() -> GpuModel.builder().name("X").architecture("Ada").vramGib(0).addProductLabels("X")
        .build()).hasMessageContaining("VRAM above 0");
    assertThatThrownBy(() -> GpuModel.builder().name("X").architecture("Ada").vramGib(24).build())
        .hasMessageContaining("nvidia.com/gpu.product");
    assertThatThrownBy(() -> GpuModel.builder().name("X").architecture("Ada").vramGib(24).addProductLabels("X")
        .addPciDeviceIds(0x10000).build()).hasMessageContaining("PCI device id");
    assertThat(GpuCatalog.L4.describe()).isEqualTo("L4 (24 GiB, no MIG)");
    assertThat(GpuCatalog.H200.describe()).isEqualTo("H200 (141 GiB, MIG up to 7)");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = GpuCatalogTest.class.getResourceAsStream(H200_NODE + name)) {
      assertThat(in).as(H200_NODE + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(regex).isTrue();
    return m.group(1);
  }
}
