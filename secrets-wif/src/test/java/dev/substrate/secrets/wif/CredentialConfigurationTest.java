package dev.substrate.secrets.wif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.IdentityPoolCredentials;
import dev.substrate.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialConfigurationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROVIDER =
      "projects/123456789012/locations/global/workloadIdentityPools/pool-1/providers/prov-1";
  private static final String EMAIL = "eso@acme-ml.iam.gserviceaccount.com";
  private static final String TOKEN_FILE = "/var/run/secrets/tokens/gcp-token";

  @TempDir Path dir;

  @Test
  void fileSourceWithServiceAccountMatchesGcloud() throws Exception {
    CredentialConfiguration ours = CredentialConfiguration.builder().providerName(PROVIDER)
        .serviceAccountEmail(EMAIL).file(TOKEN_FILE).build();
    assertSameAsGcloud(ours, "--service-account=" + EMAIL, "--credential-source-file=" + TOKEN_FILE,
        "--credential-source-type=text");
    assertThat(ours.toMap()).doesNotContainKey("token_info_url");
  }

  @Test
  void fileSourceWithoutServiceAccountMatchesGcloud() throws Exception {
    CredentialConfiguration ours = CredentialConfiguration.builder().provider(123456789012L, "pool-1", "prov-1")
        .file(Path.of(TOKEN_FILE)).build();
    assertSameAsGcloud(ours, "--credential-source-file=" + TOKEN_FILE, "--credential-source-type=text");
    assertThat(ours.toMap()).containsEntry("token_info_url", CredentialConfiguration.TOKEN_INFO_URL);
  }

  @Test
  void urlSourceWithHeadersAndLifetimeMatchesGcloud() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Metadata-Flavor", "Google");
    headers.put("X-Tenant", "a");
    CredentialConfiguration ours = CredentialConfiguration.builder()
        .audience("//iam.googleapis.com/" + PROVIDER).serviceAccountEmail(EMAIL).tokenLifetimeSeconds(1800)
        .url("http://169.254.1.1/token", headers).build();
    assertSameAsGcloud(ours, "--service-account=" + EMAIL, "--credential-source-url=http://169.254.1.1/token",
        "--credential-source-headers=Metadata-Flavor=Google,X-Tenant=a", "--credential-source-type=text",
        "--service-account-token-lifetime-seconds=1800");
  }

  @Test
  void urlSourceWithJsonFormatMatchesGcloud() throws Exception {
    CredentialConfiguration ours = CredentialConfiguration.builder().providerName(PROVIDER)
        .url("http://127.0.0.1:8080/token", Map.of()).jsonField("access_token").build();
    assertSameAsGcloud(ours, "--credential-source-url=http://127.0.0.1:8080/token",
        "--credential-source-type=json", "--credential-source-field-name=access_token");
  }

  @Test
  void googleAuthLibraryReadsIt() throws Exception {
    CredentialConfiguration ours = CredentialConfiguration.builder().providerName(PROVIDER)
        .serviceAccountEmail(EMAIL).tokenLifetimeSeconds(3600).file(TOKEN_FILE).build();
    ExternalAccountCredentials creds = ExternalAccountCredentials.fromStream(
        new ByteArrayInputStream(ours.toJson().getBytes(StandardCharsets.UTF_8)));
    assertThat(creds).isInstanceOf(IdentityPoolCredentials.class);
    assertThat(creds.getAudience()).isEqualTo("//iam.googleapis.com/" + PROVIDER);
    assertThat(creds.getServiceAccountImpersonationUrl()).isEqualTo(ours.serviceAccountImpersonationUrl().orElseThrow());
    assertThat(creds.getServiceAccountEmail()).isEqualTo(EMAIL);
  }

  @Test
  void writesTheFile() throws Exception {
    CredentialConfiguration ours = CredentialConfiguration.builder().providerName(PROVIDER).file(TOKEN_FILE).build();
    Path written = ours.write(dir.resolve("cred.json"));
    assertThat(JSON.readTree(written.toFile())).isEqualTo(JSON.valueToTree(ours.toMap()));
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> CredentialConfiguration.builder().audience("projects/x").serviceAccountEmail("me@gmail.com")
        .tokenLifetimeSeconds(60).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("audience")
        .hasMessageContaining("service account email")
        .hasMessageContaining("600-43200")
        .hasMessageContaining("exactly one credential source");
    assertThatThrownBy(() -> CredentialConfiguration.builder().providerName(PROVIDER).file("/t")
        .tokenLifetimeSeconds(1800).build())
        .hasMessageContaining("needs a service account");
  }

  private void assertSameAsGcloud(CredentialConfiguration ours, String... flags) throws Exception {
    JsonNode theirs = gcloud(flags);
    assertThat(JSON.readTree(ours.toJson())).isEqualTo(theirs);
  }

  private JsonNode gcloud(String... flags) throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(Gcloud.BINARY), "gcloud is not installed at " + Gcloud.BINARY
        + " (set -Dsubstrate.gcloud=PATH); the comparison with gcloud is skipped");
    Path out = dir.resolve("gcloud-" + System.nanoTime() + ".json");
    List<String> command = new ArrayList<>(List.of(Gcloud.BINARY.toString(), "iam", "workload-identity-pools",
        "create-cred-config", PROVIDER));
    command.addAll(List.of(flags));
    command.add("--output-file=" + out);
    command.add("--verbosity=error");
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("CLOUDSDK_") || k.startsWith("GOOGLE_") || k.startsWith("GCE_"));
    env.put("CLOUDSDK_CONFIG", Files.createDirectories(dir.resolve("gcloud-config")).toString());
    env.put("CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
    env.put("CLOUDSDK_CORE_CHECK_GCE_METADATA", "false");
    env.put("CLOUDSDK_CORE_DISABLE_USAGE_REPORTING", "true");
    env.put("CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK", "true");
    Path log = dir.resolve("gcloud.log");
    Process p = pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("gcloud did not finish in 60 s");
    }
    assertThat(p.exitValue()).as("gcloud %s\n%s", command, Files.readString(log)).isZero();
    return JSON.readTree(out.toFile());
  }
}
