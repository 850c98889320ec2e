package dev.substrate.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.substrate.SecretStore.PutResult;
import dev.substrate.SecretValue;
import dev.substrate.cloudfakes.aws.FakeAwsSecretsManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The real AWS CLI and AwsSecretStore read what the other wrote, against FakeAwsSecretsManager; skipped, saying so,
 * where the CLI is not installed ({@code -Dsubstrate.aws=PATH} points elsewhere). No user configuration is read.
 */
class AwsCliStoreInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path binary = Path.of(System.getProperty("substrate.aws", "/usr/bin/aws"));
  @TempDir Path home;
  FakeAwsSecretsManager fake;
  AwsSecretStore store;

  @BeforeEach
  void start() {
    assumeTrue(Files.isExecutable(binary), "the AWS CLI is not installed at " + binary
        + " (apt-get install awscli, or set -Dsubstrate.aws=PATH); the aws CLI interop test is skipped");
    fake = FakeAwsSecretsManager.builder().region("eu-central-1").start();
    store = AwsSecretStore.builder().region("eu-central-1").endpoint(fake.url())
        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(fake.accessKeyId(),
            fake.secretAccessKey()))).build();
  }

  @AfterEach
  void stop() {
    if (fake != null) {
      store.close();
      fake.close();
    }
  }

  private JsonNode aws(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--region", "eu-central-1", "--output", "json", "--endpoint-url", fake.url()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    pb.environment().put("AWS_CONFIG_FILE", Files.writeString(home.resolve("config"), "").toString());
    pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", Files.writeString(home.resolve("credentials"), "").toString());
    pb.environment().put("AWS_PAGER", "");
    pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    pb.environment().put("AWS_ACCESS_KEY_ID", fake.accessKeyId());
    pb.environment().put("AWS_SECRET_ACCESS_KEY", fake.secretAccessKey());
    Path err = home.resolve("stderr");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(err)).isZero();
    return out.isBlank() ? JSON.createObjectNode() : JSON.readTree(out);
  }

  @Test
  void theCliReadsWhatTheStoreWroteAndTheStoreWhatTheCliWrote() throws Exception {
    store.put("app/db", SecretValue.of("one"));
    store.put("app/db", SecretValue.of("two"));
    store.put("app/bin", SecretValue.ofBytes(new byte[] {0, 1, (byte) 0xff}));
    assertThat(aws("secretsmanager", "get-secret-value", "--secret-id", "app/db").get("SecretString").asText())
        .isEqualTo("two");
    assertThat(aws("secretsmanager", "get-secret-value", "--secret-id", "app/db", "--version-stage", "AWSPREVIOUS")
        .get("SecretString").asText()).isEqualTo("one");
    assertThat(Base64.getDecoder().decode(aws("secretsmanager", "get-secret-value", "--secret-id", "app/bin")
        .get("SecretBinary").asText())).containsExactly(0, 1, 0xff);

    aws("secretsmanager", "create-secret", "--name", "cli/token", "--secret-string", "from-cli");
    assertThat(store.get("cli/token")).map(SecretValue::reveal).contains("from-cli");
    assertThat(store.put("cli/token", SecretValue.of("from-cli"))).isEqualTo(PutResult.UNCHANGED);
    assertThat(store.list()).containsExactly("app/bin", "app/db", "cli/token");
    assertThat(store.delete("cli/token")).isTrue();
    assertThat(aws("secretsmanager", "list-secrets").get("SecretList")).extracting(n -> n.get("Name").asText())
        .containsExactlyInAnyOrder("app/db", "app/bin");
  }
}
