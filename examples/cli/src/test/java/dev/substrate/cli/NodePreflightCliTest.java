package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodePreflightCliTest {
  /** The live H200 node of ../shared/fixtures/gpu-nodes/h200. */
  private static final Path H200 = Path.of(System.getProperty("substrate.shared", "/work/shared"), "fixtures",
      "gpu-nodes", "h200");

  @TempDir Path tmp;

  @Test
  void theH200FixtureReportsAnH200With143771MibDriver580MigDisabledAndItsProfiles() {
    Cli.Result r = Cli.run("node", "preflight", "--from", H200.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("node preflight: directory " + H200,
        "  driver       580.159.04 (open kernel module)",
        "GPU 0  NVIDIA H200  PCI 0x2335  143771 MiB  MIG disabled",
        "  MIG profiles: 1g.18gb x7 (16.00 GiB), 1g.18gb+me x1 (16.00 GiB), 1g.35gb x4 (32.50 GiB), "
            + "2g.35gb x3 (32.50 GiB), 3g.71gb x2 (69.75 GiB), 4g.71gb x1 (69.75 GiB), 7g.141gb x1 (140.00 GiB)",
        "  WARN  host-driver",
        "→ install the GPU Operator with the driver disabled: --set driver.enabled=false",
        "  INFO  mig             GPU 0: MIG-capable (7 GPU instance profiles), MIG disabled");
  }

  @Test
  void jsonAndYamlCarryTheSameFigures() {
    Cli.Result json = Cli.run("node", "preflight", "--from", H200.toString(), "-o", "json");
    assertThat(json.code()).as(json.toString()).isZero();
    assertThat(json.out()).contains("\"product\" : \"NVIDIA H200\"", "\"catalogModel\" : \"H200\"",
        "\"pciDeviceId\" : \"0x2335\"", "\"vramMib\" : 143771", "\"driverVersion\" : \"580.159.04\"",
        "\"migCurrent\" : \"Disabled\"", "\"name\" : \"7g.141gb\"", "\"secureBoot\" : \"off\"",
        "\"status\" : \"WARN\"");

    Cli.Result yaml = Cli.run("node", "preflight", "--from", H200.toString(), "-o", "yaml");
    assertThat(yaml.code()).as(yaml.toString()).isZero();
    assertThat(yaml.out()).contains("vramMib: 143771", "driverVersion: 580.159.04", "- name: 1g.18gb+me");
  }

  @Test
  void aFailFindingExitsOne() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("nouveau/proc"));
    Files.copy(H200.resolve("nvidia-smi-q.xml"), dir.getParent().resolve("nvidia-smi-q.xml"));
    Files.writeString(dir.resolve("modules"), "nouveau 3096576 0 - Live 0xffffffffc0a00000\n");

    Cli.Result r = Cli.run("node", "preflight", "--from", dir.getParent().toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(SubstrateCli.FAILED);
    assertThat(r.out()).contains("  FAIL  nouveau", "blacklist-nouveau.conf");
  }

  @Test
  void aDirectoryThatIsMissingOrHoldsNoFactsIsAUsageErrorNamingTheArgument() throws IOException {
    Path missing = tmp.resolve("missing");
    Cli.Result r = Cli.run("node", "preflight", "--from", missing.toString());
    assertThat(r.code()).isEqualTo(SubstrateCli.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).containsExactly("substrate: --from: " + missing + " is not a directory");

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Cli.Result e = Cli.run("node", "preflight", "--from", empty.toString());
    assertThat(e.code()).isEqualTo(SubstrateCli.USAGE);
    assertThat(e.errLines()).singleElement().asString()
        .startsWith("substrate: --from: " + empty + " holds no captured node facts");
  }

  @Test
  void nodeWithoutASubcommandSaysWhichOneItNeeds() {
    Cli.Result r = Cli.run("node");
    assertThat(r.code()).isEqualTo(SubstrateCli.USAGE);
    assertThat(r.errors()).containsExactly("substrate: node needs a subcommand: preflight");
  }
}
