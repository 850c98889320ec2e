package dev.substrate.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class RunOutputTest {
  @Test
  void gnuTimeLineGivesUserPlusSystemCpuAndMaxRss() {
    RunOutput.Usage usage = RunOutput.usage("5.27 4.06 0.65 183644\n").orElseThrow();

    assertThat(usage.cpuSeconds()).isCloseTo(4.71, offset(1e-9));
    assertThat(usage.maxRssKib()).isEqualTo(183_644);
  }

  @Test
  void gnuTimeLineAfterANonZeroExitIsStillRead() {
    RunOutput.Usage usage = RunOutput.usage("Command exited with non-zero status 1\n0.50 0.70 0.10 51200\n")
        .orElseThrow();

    assertThat(usage.cpuSeconds()).isCloseTo(0.8, offset(1e-9));
    assertThat(usage.maxRssKib()).isEqualTo(51_200);
  }

  @Test
  void noTimeLineIsEmpty() {
    assertThat(RunOutput.usage("Command terminated by signal 9\n")).isEmpty();
  }

  @Test
  void requestsComeFromTheReportsKubernetesApiLine() {
    String report = """
        PASS  substrate.nodes                 nodes match substrate hetzner: 4 nodes
        19 passed / 0 failed / 0 warnings (4 skipped)
        Kubernetes API: 12 requests, 1 a write: secrets.wif.token created a TokenRequest for …
        hcloud API: 3 requests
        """;

    assertThat(RunOutput.requests(report)).hasValue(12);
  }

  @Test
  void oneRequestIsCountedToo() {
    assertThat(RunOutput.requests("Kubernetes API: 1 request\n")).hasValue(1);
  }

  @Test
  void otherApisRequestLinesAreNotKubernetesRequests() {
    assertThat(RunOutput.requests("hcloud API: 3 requests\n")).isEmpty();
  }
}
