package dev.substrate.hetzner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.SubstrateConfig;
import dev.substrate.hetzner.internal.HcloudSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HetznerConfigTest {
  @Test
  void pointingAtAnotherApiReplacesTheTokenVariableWithTheFileAndKeepsTheRest() {
    SubstrateConfig config = SubstrateConfig.parse("substrate: {id: hetzner}\n"
        + "hetzner: {token_env: MY_TOKEN, max_rate_limit_wait: 5}\n");
    SubstrateConfig pointed = HetznerConfig.withApi(config, "http://127.0.0.1:9999/v1", Path.of("/tmp/t"));
    HcloudSettings settings = HcloudSettings.from(pointed);
    assertThat(settings.tokenEnv()).isEmpty();
    assertThat(settings.tokenFile()).contains(Path.of("/tmp/t"));
    assertThat(settings.endpoint(Map.of("HCLOUD_ENDPOINT", "https://elsewhere")::get))
        .isEqualTo("http://127.0.0.1:9999/v1");
    assertThat(settings.maxRateLimitWait()).hasSeconds(5);
  }

  @Test
  void pagesAreReadEightAtOnceUnlessParallelismSaysOtherwise() {
    assertThat(HcloudSettings.from(SubstrateConfig.parse("substrate: {id: hetzner}\n")).parallelism()).isEqualTo(8);
    assertThat(HcloudSettings.from(SubstrateConfig.parse("substrate: {id: hetzner}\nhetzner: {parallelism: 1}\n"))
        .parallelism()).isEqualTo(1);
  }
}
