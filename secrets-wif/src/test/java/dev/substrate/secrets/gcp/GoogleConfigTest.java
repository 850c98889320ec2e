package dev.substrate.secrets.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.substrate.SubstrateConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GoogleConfigTest {
  @Test
  void parallelismIsReadAndOverridden() {
    assertThat(GoogleConfig.parallelism(SubstrateConfig.parse("profile: dev\n")))
        .isEqualTo(GoogleConfig.DEFAULT_PARALLELISM);
    SubstrateConfig three = SubstrateConfig.parse("secret_manager: {parallelism: 3, endpoint: 'http://127.0.0.1:1'}\n");
    assertThat(GoogleConfig.parallelism(three)).isEqualTo(3);
    assertThat(GoogleConfig.parallelism(SubstrateConfig.parse("secret_manager: {parallelism: many}\n")))
        .isEqualTo(GoogleConfig.DEFAULT_PARALLELISM);
    SubstrateConfig sixteen = GoogleConfig.withParallelism(three, 16);
    assertThat(GoogleConfig.parallelism(sixteen)).isEqualTo(16);
    assertThat(sixteen.section("secret_manager").orElseThrow()).containsEntry("endpoint", "http://127.0.0.1:1");
  }

  @Test
  void thePublishedJwksIsSetNextToTheAudience() {
    String audience = "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/pool/providers/prov";
    SubstrateConfig config = SubstrateConfig.parse("wif: {audience: '" + audience + "'}\n");
    assertThat(GoogleConfig.audience(config)).contains(audience);
    assertThat(GoogleConfig.audience(SubstrateConfig.parse("profile: dev\n"))).isEmpty();
    SubstrateConfig published = GoogleConfig.withPublishedJwks(config, Path.of("/tmp/jwks.json"));
    assertThat(published.section("wif").orElseThrow())
        .containsEntry("audience", audience).containsEntry("published_jwks", "/tmp/jwks.json");
  }
}
