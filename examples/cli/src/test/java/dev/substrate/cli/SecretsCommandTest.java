package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.substrate.SecretValue;
import dev.substrate.cloudfakes.aws.FakeAwsSecretsManager;
import dev.substrate.cloudfakes.google.FakeSecretManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SecretsCommandTest {
  @TempDir Path tmp;
  private FakeSecretManager fake;

  @BeforeEach
  void start() {
    fake = FakeSecretManager.start();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  /** A config that points the gcp-secret-manager backend at the fake with its token. */
  private Path gcpConfig(String extra) throws Exception {
    Path token = Files.writeString(tmp.resolve("token"), fake.token());
    return Files.writeString(tmp.resolve("config.yaml"), "substrate: {id: gke}\nsecret_backend: gcpsm\n"
        + "cluster: {projectID: acme-ml}\n"
        + "secret_manager: {endpoint: '" + fake.url() + "', access_token_file: '" + token + "'" + extra + "}\n");
  }

  /** 50 names in an order that is not sorted, each with a distinctive value. */
  private static List<String> names() {
    return IntStream.range(0, 50).mapToObj(i -> String.format("key-%02d", (i * 17) % 50)).toList();
  }

  private static String value(String name, int generation) {
    return "v4lue-" + generation + "-of-" + name + "-xyzzy";
  }

  private Path secretsFile(List<String> names, int generation) throws Exception {
    StringBuilder yaml = new StringBuilder("# secrets to seed\n");
    names.forEach(n -> yaml.append(n).append(": \"").append(value(n, generation)).append("\"\n"));
    return Files.writeString(tmp.resolve("secrets-" + generation + ".yaml"), yaml.toString());
  }

  private static void assertNoValues(Cli.Result r) {
    assertThat(r.out()).doesNotContain("v4lue-").doesNotContain("xyzzy");
    assertThat(r.err()).doesNotContain("v4lue-").doesNotContain("xyzzy");
  }

  private static void assertOneLineError(Cli.Result r, String startsWith) {
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.errors()).as(r.toString()).hasSize(1);
    assertThat(r.errors().get(0)).as(r.toString()).startsWith("substrate: " + startsWith);
    assertThat(r.out()).as(r.toString()).isEmpty();
    assertNoValues(r);
  }

  @Nested
  class Seed_into_gcp_secret_manager {
    @Test
    void seeding_50_keys_twice_creates_them_then_changes_nothing_and_never_prints_a_value() throws Exception {
      Path config = gcpConfig("");
      List<String> names = names();
      Cli.Result first = Cli.run("secrets", "seed", "--from", secretsFile(names, 1).toString(), "-c", config.toString());
      assertThat(first.code()).as(first.toString()).isZero();
      assertThat(first.out().lines().toList()).containsExactlyElementsOf(names.stream().map(n -> "created  " + n)
          .toList());
      assertThat(first.err()).contains("seeding 50 secrets into gcp-secret-manager, 8 at a time")
          .contains("50 created, 0 updated, 0 unchanged, 0 failed");
      assertNoValues(first);
      assertThat(fake.secretIds("acme-ml")).hasSize(50);
      assertThat(fake.latestValue("acme-ml", "key-07")).contains(SecretValue.of(value("key-07", 1)));

      Cli.Result second = Cli.run("secrets", "seed", "--from", secretsFile(names, 1).toString(), "-c",
          config.toString(), "--parallelism", "16");
      assertThat(second.code()).as(second.toString()).isZero();
      assertThat(second.out().lines().toList()).containsExactlyElementsOf(names.stream().map(n -> "unchanged  " + n)
          .toList());
      assertThat(second.err()).contains("16 at a time").contains("0 created, 0 updated, 50 unchanged, 0 failed");
      assertNoValues(second);
      assertThat(fake.versionCount("acme-ml", "key-07")).isEqualTo(1);
    }

    @Test
    void a_changed_value_is_updated_and_the_rest_unchanged() throws Exception {
      Path config = gcpConfig(", parallelism: 3");
      Cli.run("secrets", "seed", "--from", secretsFile(List.of("a", "b", "c"), 1).toString(), "-c", config.toString());
      Files.writeString(tmp.resolve("next.json"), "{\"c\": \"" + value("c", 1) + "\", \"a\": \"" + value("a", 2)
          + "\", \"d\": \"" + value("d", 1) + "\", \"b\": \"" + value("b", 1) + "\"}");
      Cli.Result r = Cli.run("secrets", "seed", "--from", tmp.resolve("next.json").toString(), "-c", config.toString());
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).isEqualTo(String.join(System.lineSeparator(), "unchanged  c", "updated  a", "created  d",
          "unchanged  b") + System.lineSeparator());
      assertThat(r.err()).contains("3 at a time");
      assertNoValues(r);
    }

    @Test
    void a_failing_key_is_one_line_with_the_reason_and_exit_1_while_the_others_are_stored() throws Exception {
      Path config = gcpConfig("");
      fake.faults().failNextOn("/secrets/db-password/versions/latest:access", 403);
      Path file = Files.writeString(tmp.resolve("s.yaml"), "hf-token: \"" + value("hf", 1) + "\"\n"
          + "db-password: \"" + value("db", 1) + "\"\nnot.a.name: \"" + value("bad", 1) + "\"\n");
      Cli.Result r = Cli.run("secrets", "seed", "--from", file.toString(), "-c", config.toString());
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      List<String> lines = r.out().lines().toList();
      assertThat(lines).hasSize(3);
      assertThat(lines.get(0)).isEqualTo("created  hf-token");
      assertThat(lines.get(1)).isEqualTo("failed  db-password  gcp-secret-manager: put 'db-password' failed "
          + "(status 403): PERMISSION_DENIED: The caller does not have permission");
      assertThat(lines.get(2)).startsWith("failed  not.a.name  gcp-secret-manager: put 'not.a.name' failed: not a "
          + "Secret Manager secret id");
      assertThat(r.err()).contains("1 created, 0 updated, 0 unchanged, 2 failed");
      assertNoValues(r);
      assertThat(fake.secretIds("acme-ml")).containsExactly("hf-token");
    }

    @Test
    void list_prints_the_names_sorted_as_text_or_json() throws Exception {
      Path config = gcpConfig("");
      fake.seed("acme-ml", "zeta", SecretValue.of(value("z", 1)));
      fake.seed("acme-ml", "alpha", SecretValue.of(value("a", 1)));
      Cli.Result text = Cli.run("secrets", "list", "-c", config.toString());
      assertThat(text.code()).as(text.toString()).isZero();
      assertThat(text.out().lines().toList()).containsExactly("alpha", "zeta");
      Cli.Result json = Cli.run("secrets", "list", "-c", config.toString(), "-o", "json");
      assertThat(new ObjectMapper().readTree(json.out()).toString()).isEqualTo("[\"alpha\",\"zeta\"]");
      assertNoValues(json);
    }

    @Test
    void an_unreachable_backend_fails_each_key_after_its_retries() throws Exception {
      Path config = gcpConfig("");
      fake.close();
      Cli.Result r = Cli.run("secrets", "seed", "--from", secretsFile(List.of("a"), 1).toString(), "-c",
          config.toString());
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).startsWith("failed  a  gcp-secret-manager: put 'a' failed: UNAVAILABLE after 4 attempts");
      assertNoValues(r);
    }
  }

  @Nested
  class Seed_into_aws_secrets_manager {
    FakeAwsSecretsManager aws;

    @BeforeEach
    void startAws() {
      aws = FakeAwsSecretsManager.builder().region("eu-central-1").start();
    }

    @AfterEach
    void stopAws() {
      aws.close();
    }

    /** A config that points the aws-secrets-manager backend at the fake, with its key in a credentials file. */
    private Path awsConfig() throws Exception {
      Path credentials = Files.writeString(tmp.resolve("aws-credentials"), "[default]\naws_access_key_id = "
          + aws.accessKeyId() + "\naws_secret_access_key = " + aws.secretAccessKey() + "\n");
      return Files.writeString(tmp.resolve("aws.yaml"), "substrate: {id: byo}\nsecret_backend: aws-secrets-manager\n"
          + "cluster: {location: eu-central-1a}\n"
          + "aws: {secrets_manager: {endpoint: '" + aws.url() + "', credentials_file: '" + credentials + "'}}\n");
    }

    @Test
    void seeding_50_keys_twice_creates_them_then_changes_nothing_and_a_changed_value_is_updated() throws Exception {
      Path config = awsConfig();
      List<String> names = names();
      Cli.Result first = Cli.run("secrets", "seed", "--from", secretsFile(names, 1).toString(), "-c", config.toString());
      assertThat(first.code()).as(first.toString()).isZero();
      assertThat(first.out().lines().toList()).containsExactlyElementsOf(names.stream().map(n -> "created  " + n)
          .toList());
      assertThat(first.err()).contains("seeding 50 secrets into aws-secrets-manager")
          .contains("50 created, 0 updated, 0 unchanged, 0 failed");
      assertNoValues(first);
      assertThat(aws.secretNames()).hasSize(50);
      assertThat(aws.currentValue("key-07")).contains(SecretValue.of(value("key-07", 1)));

      Cli.Result second = Cli.run("secrets", "seed", "--from", secretsFile(names, 1).toString(), "-c",
          config.toString(), "--parallelism", "16");
      assertThat(second.code()).as(second.toString()).isZero();
      assertThat(second.err()).contains("0 created, 0 updated, 50 unchanged, 0 failed");
      assertThat(aws.versionCount("key-07")).isEqualTo(1);

      Path changed = Files.writeString(tmp.resolve("changed.yaml"), "key-07: \"" + value("key-07", 2) + "\"\n");
      Cli.Result third = Cli.run("secrets", "seed", "--from", changed.toString(), "-c", config.toString());
      assertThat(third.out()).isEqualTo("updated  key-07" + System.lineSeparator());
      assertThat(aws.versionCount("key-07")).isEqualTo(2);
      assertNoValues(third);
    }

    @Test
    void a_refused_key_is_one_line_with_the_services_code_and_exit_1() throws Exception {
      Path config = awsConfig();
      aws.faults().failNext(403);
      Cli.Result r = Cli.run("secrets", "seed", "--from", secretsFile(List.of("a", "b"), 1).toString(), "-c",
          config.toString(), "--parallelism", "1");
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.out().lines().toList()).containsExactly("failed  a  aws-secrets-manager: put 'a' failed (status "
          + "403): AccessDeniedException: injected failure (HTTP 403)", "created  b");
      assertNoValues(r);
    }

    @Test
    void list_prints_the_names_sorted() throws Exception {
      aws.seed("zeta", SecretValue.of(value("z", 1)));
      aws.seed("alpha", SecretValue.of(value("a", 1)));
      Cli.Result r = Cli.run("secrets", "list", "-c", awsConfig().toString());
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out().lines().toList()).containsExactly("alpha", "zeta");
    }
  }

  @Nested
  class Other_backends {
    @Test
    void the_kubernetes_backend_of_byo_seeds_into_the_embedded_cluster() throws Exception {
      Cli.Result r = Cli.run("secrets", "seed", "--from", secretsFile(List.of("b", "a"), 1).toString(),
          "--substrate", "byo", "--embedded", "byo");
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out().lines().toList()).containsExactly("created  b", "created  a");
      assertThat(r.err()).contains("into kubernetes");
      assertNoValues(r);
    }

    @Test
    void the_kubernetes_backend_without_a_cluster_is_one_line_and_exit_2() throws Exception {
      assertOneLineError(Cli.run("secrets", "seed", "--from", secretsFile(List.of("a"), 1).toString(),
          "--substrate", "byo"), "secrets seed with secret backend kubernetes needs a cluster: pass --kubeconfig");
    }

    @Test
    void the_testkit_fake_backend_is_not_selectable_from_the_command() throws Exception {
      Path config = Files.writeString(tmp.resolve("fake.yaml"), "secret_backend: fake\n");
      Cli.Result r = Cli.run("secrets", "seed", "--from", secretsFile(List.of("a", "b"), 1).toString(),
          "--substrate", "byo", "-c", config.toString(), "--parallelism", "1");
      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.errors()).hasSize(1);
      assertThat(r.errors().get(0)).isEqualTo("substrate: no secret backend provider has id 'fake': it is provided by "
          + "dev.substrate:substrate-testkit, which is not on the class path; known ids: aws-secrets-manager, "
          + "gcp-secret-manager, kubernetes, vault");
    }
  }

  @Nested
  class Bad_input {
    private Cli.Result seed(String content) throws Exception {
      Path file = Files.writeString(tmp.resolve("bad.yaml"), content);
      return Cli.run("secrets", "seed", "--from", file.toString(), "-c", gcpConfig("").toString());
    }

    @Test
    void a_missing_file() {
      assertOneLineError(Cli.run("secrets", "seed", "--from", tmp.resolve("nope.yaml").toString(), "--substrate",
          "byo"), "secrets file " + tmp.resolve("nope.yaml") + " does not exist");
    }

    @Test
    void a_file_that_is_not_yaml_says_where_but_not_what() throws Exception {
      Cli.Result r = seed("a: \"v4lue-xyzzy\n  b: [\n");
      assertOneLineError(r, "secrets file ");
      assertThat(r.errors().get(0)).contains("is not valid YAML or JSON at line");
    }

    @Test
    void a_file_that_is_not_a_mapping_or_is_empty() throws Exception {
      assertOneLineError(seed("- a\n- b\n"), "secrets file ");
      assertOneLineError(seed(""), "secrets file ");
      assertThat(seed("{}").errors().get(0)).contains("must be a non-empty mapping of secret names to values");
    }

    @Test
    void a_value_that_is_not_a_string_must_be_quoted() throws Exception {
      Cli.Result r = seed("port: 5432\n");
      assertOneLineError(r, "secrets file ");
      assertThat(r.errors().get(0)).endsWith(": the value of 'port' is a number, not a string: quote it");
      assertThat(seed("nested: {a: b}\n").errors().get(0)).endsWith("the value of 'nested' is not a single value");
    }

    @Test
    void a_yaml_alias_is_refused_with_its_line_and_key_never_stored_as_its_name() throws Exception {
      Cli.Result r = seed("a: &b \"v4lue-xyzzy\"\ncopy: *b\n");
      assertOneLineError(r, "secrets file ");
      assertThat(r.errors().get(0)).contains("bad.yaml line 2: 'copy' is the YAML alias *b");
    }

    @Test
    void a_file_that_is_not_utf8_is_named() throws Exception {
      Path file = Files.write(tmp.resolve("latin1.yaml"), "a: \"caf\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1));
      Cli.Result r = Cli.run("secrets", "seed", "--from", file.toString(), "-c", gcpConfig("").toString());
      assertOneLineError(r, "secrets file " + file + " is not UTF-8 text");
    }

    @Test
    void a_name_given_twice() throws Exception {
      Cli.Result r = seed("a: \"v4lue-1\"\na: \"v4lue-2\"\n");
      assertOneLineError(r, "secrets file ");
      assertThat(r.errors().get(0)).endsWith("a key appears twice");
    }

    @Test
    void a_parallelism_out_of_range_and_a_missing_subcommand() throws Exception {
      assertOneLineError(Cli.run("secrets", "seed", "--from", secretsFile(List.of("a"), 1).toString(),
          "--substrate", "byo", "--parallelism", "0"), "--parallelism was 0 but must be from 1 to 256");
      assertOneLineError(Cli.run("secrets"), "secrets needs a subcommand: seed or list");
      assertThat(Cli.run("secrets", "seed").code()).isEqualTo(2);
    }

    @Test
    void a_bad_secret_manager_section_lists_every_problem() throws Exception {
      Path config = Files.writeString(tmp.resolve("bad-config.yaml"), "substrate: {id: gke}\nsecret_backend: gcpsm\n"
          + "cluster: {projectID: p}\nsecret_manager: {endpoint: 'ftp://x', colour: red}\n");
      Cli.Result r = Cli.run("secrets", "list", "-c", config.toString());
      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      List<String> errors = new ArrayList<>(r.errors());
      assertThat(errors).hasSize(2);
      assertThat(errors.get(0)).startsWith("substrate: secret_manager.colour is not a known key");
      assertThat(errors.get(1)).startsWith("substrate: secret_manager.endpoint was 'ftp://x'");
    }
  }
}
