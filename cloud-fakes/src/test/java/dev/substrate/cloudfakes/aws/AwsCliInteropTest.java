package dev.substrate.cloudfakes.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.substrate.kubefake.OidcIssuer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real AWS CLI (Debian package awscli, installed by .ci/run) against the AWS fakes through {@code --endpoint-url};
 * skipped, saying so, where it is not installed. No user configuration is read: AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE point at empty files and the credentials come from the environment.
 */
class AwsCliInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/CLI";
  private static final String ROLE = "arn:aws:iam::123456789012:role/eso";

  private final Path binary = Path.of(System.getProperty("substrate.aws", "/usr/bin/aws"));
  private FakeAwsSecretsManager sm;
  private FakeAwsSts sts;

  @TempDir
  Path home;

  @BeforeEach
  void aws_is_installed() {
    assumeTrue(Files.isExecutable(binary), "the AWS CLI is not installed at " + binary
        + " (apt-get install awscli, or set -Dsubstrate.aws=PATH); the aws CLI tests are skipped");
    sm = FakeAwsSecretsManager.start();
    sts = FakeAwsSts.start();
  }

  @AfterEach
  void close() {
    if (sm != null) {
      sm.close();
      sts.close();
    }
  }

  private JsonNode aws(Map<String, String> credentials, String... args) throws Exception {
    Result r = run(credentials, args);
    assertThat(r.exit).as(r.err).isZero();
    return r.out.isBlank() ? JSON.createObjectNode() : JSON.readTree(r.out);
  }

  private record Result(int exit, String out, String err) {}

  private Result run(Map<String, String> credentials, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--region", "us-east-1", "--output", "json"));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    Path config = Files.writeString(home.resolve("config"), "");
    Path shared = Files.writeString(home.resolve("credentials"), "");
    pb.environment().put("AWS_CONFIG_FILE", config.toString());
    pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", shared.toString());
    pb.environment().put("AWS_PAGER", "");
    pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    pb.environment().put("HOME", home.toString());
    pb.environment().putAll(credentials);
    Path err = home.resolve("stderr");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out, Files.readString(err));
  }

  private Map<String, String> staticKey() {
    return Map.of("AWS_ACCESS_KEY_ID", sm.accessKeyId(), "AWS_SECRET_ACCESS_KEY", sm.secretAccessKey());
  }

  @Test
  void creates_reads_updates_and_lists_secrets() throws Exception {
    JsonNode created = aws(staticKey(), "secretsmanager", "create-secret", "--name", "app/db", "--secret-string",
        "{\"password\":\"one\"}", "--endpoint-url", sm.url());
    assertThat(created.get("ARN").asText()).startsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-");
    aws(staticKey(), "secretsmanager", "put-secret-value", "--secret-id", "app/db", "--secret-string", "two",
        "--endpoint-url", sm.url());
    for (int i = 0; i < 4; i++) {
      aws(staticKey(), "secretsmanager", "create-secret", "--name", "app/s" + i, "--secret-string", "v" + i,
          "--endpoint-url", sm.url());
    }

    JsonNode value = aws(staticKey(), "secretsmanager", "get-secret-value", "--secret-id", "app/db",
        "--endpoint-url", sm.url());
    assertThat(value.get("SecretString").asText()).isEqualTo("two");
    assertThat(value.get("VersionStages")).extracting(JsonNode::asText).containsExactly("AWSCURRENT");
    JsonNode previous = aws(staticKey(), "secretsmanager", "get-secret-value", "--secret-id", "app/db",
        "--version-stage", "AWSPREVIOUS", "--endpoint-url", sm.url());
    assertThat(previous.get("SecretString").asText()).isEqualTo("{\"password\":\"one\"}");

    sm.journal().clear();
    JsonNode listed = aws(staticKey(), "secretsmanager", "list-secrets", "--page-size", "2", "--endpoint-url",
        sm.url());
    assertThat(listed.get("SecretList")).extracting(n -> n.get("Name").asText())
        .containsExactly("app/db", "app/s0", "app/s1", "app/s2", "app/s3");
    assertThat(sm.journal().size()).as("the CLI follows NextToken over pages of two").isEqualTo(3);
  }

  @Test
  void errors_reach_the_cli_as_aws_words_them() throws Exception {
    Result missing = run(staticKey(), "secretsmanager", "get-secret-value", "--secret-id", "nope", "--endpoint-url",
        sm.url());
    assertThat(missing.exit).isNotZero();
    assertThat(missing.err).contains("ResourceNotFoundException").contains("can't find the specified secret");

    Result stranger = run(Map.of("AWS_ACCESS_KEY_ID", "AKIASTRANGER0000000", "AWS_SECRET_ACCESS_KEY", "x"),
        "secretsmanager", "list-secrets", "--endpoint-url", sm.url());
    assertThat(stranger.exit).isNotZero();
    assertThat(stranger.err).contains("UnrecognizedClientException");
  }

  @Test
  void assumes_a_role_with_a_web_identity_and_reads_a_secret_with_the_session() throws Exception {
    OidcIssuer oidc = OidcIssuer.create(ISSUER);
    sts.role(ROLE).trustIssuer(ISSUER, oidc::jwksJson).audience("sts.amazonaws.com")
        .subject("system:serviceaccount:es:eso").add();
    sm.trust(sts, ROLE);
    sm.seed("db", dev.substrate.SecretValue.of("pw"));
    String token = oidc.mint("es", "eso", List.of("sts.amazonaws.com"), Duration.ofHours(1));

    JsonNode assumed = aws(Map.of(), "sts", "assume-role-with-web-identity", "--role-arn", ROLE,
        "--role-session-name", "cli", "--web-identity-token", token, "--endpoint-url", sts.url());
    assertThat(assumed.get("SubjectFromWebIdentityToken").asText()).isEqualTo("system:serviceaccount:es:eso");
    assertThat(assumed.at("/AssumedRoleUser/Arn").asText())
        .isEqualTo("arn:aws:sts::123456789012:assumed-role/eso/cli");
    JsonNode c = assumed.get("Credentials");

    JsonNode value = aws(Map.of("AWS_ACCESS_KEY_ID", c.get("AccessKeyId").asText(), "AWS_SECRET_ACCESS_KEY",
        c.get("SecretAccessKey").asText(), "AWS_SESSION_TOKEN", c.get("SessionToken").asText()),
        "secretsmanager", "get-secret-value", "--secret-id", "db", "--endpoint-url", sm.url());
    assertThat(value.get("SecretString").asText()).isEqualTo("pw");

    Result wrongAudience = run(Map.of(), "sts", "assume-role-with-web-identity", "--role-arn", ROLE,
        "--role-session-name", "cli", "--web-identity-token",
        oidc.mint("es", "eso", List.of("sts.googleapis.com"), Duration.ofHours(1)), "--endpoint-url", sts.url());
    assertThat(wrongAudience.exit).isNotZero();
    assertThat(wrongAudience.err).contains("InvalidIdentityToken").contains("Incorrect token audience");
  }
}
