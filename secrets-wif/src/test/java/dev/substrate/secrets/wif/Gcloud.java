package dev.substrate.secrets.wif;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.substrate.cloudfakes.google.FakeSecretManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code gcloud} pointed at a {@link FakeSecretManager}: its own config directory, the fake's endpoint (plain
 * HTTP is accepted for endpoint overrides), the fake's token through {@code --access-token-file}, no prompts, no
 * metadata-server probe, no usage reporting or update check. Nothing touches the user's gcloud config.
 */
public final class Gcloud {
  public static final Path BINARY = Path.of(System.getProperty("substrate.gcloud", "/usr/bin/gcloud"));

  private final FakeSecretManager fake;
  private final Path config;
  private final Path tokenFile;
  private final String project;

  public Gcloud(FakeSecretManager fake, Path dir, String project) throws IOException {
    this.fake = fake;
    this.project = project;
    this.config = Files.createDirectories(dir.resolve("gcloud-config"));
    this.tokenFile = Files.writeString(dir.resolve("gcloud-token"), fake.token());
  }

  public static void assumeInstalled() {
    assumeTrue(Files.isExecutable(BINARY), "gcloud is not installed at " + BINARY
        + " (set -Dsubstrate.gcloud=PATH); the gcloud interoperability tests are skipped");
  }

  /** One run: exit code, stdout, stderr. */
  public record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  public Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(List.of(args));
    command.add("--project=" + project);
    command.add("--access-token-file=" + tokenFile);
    command.add("--verbosity=error");
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("CLOUDSDK_") || k.startsWith("GOOGLE_") || k.startsWith("GCE_"));
    env.put("CLOUDSDK_CONFIG", config.toString());
    env.put("CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER", fake.url() + "/");
    env.put("CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
    env.put("CLOUDSDK_CORE_CHECK_GCE_METADATA", "false");
    env.put("CLOUDSDK_CORE_DISABLE_USAGE_REPORTING", "true");
    env.put("CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK", "true");
    env.put("CLOUDSDK_CORE_SHOW_STRUCTURED_LOGS", "never");
    Path out = Files.createTempFile(config, "out", ".txt");
    Path err = Files.createTempFile(config, "err", ".txt");
    Process p = pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("gcloud " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
