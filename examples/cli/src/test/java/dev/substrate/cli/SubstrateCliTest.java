package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.substrate.Capability;
import dev.substrate.Portability;
import dev.substrate.PortabilityDiff;
import dev.substrate.Rendering;
import dev.substrate.Substrate;
import dev.substrate.SubstrateConfig;
import dev.substrate.Substrates;
import dev.substrate.kubefake.ClusterPreset;
import dev.substrate.kubefake.EmbeddedCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SubstrateCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SUMMARY =
      Pattern.compile("(\\d+) passed / (\\d+) failed / (\\d+) warnings?( \\(\\d+ skipped\\))?");

  @TempDir Path tmp;

  private static Substrate substrate(String id) {
    return Substrates.create(SubstrateConfig.builder().substrate(id).build());
  }

  /** The last line of a text report is its summary; the exit code follows the failures. */
  private static void assertReport(Cli.Result r, String failOn) {
    List<String> lines = r.out().lines().toList();
    assertThat(lines).as(r.toString()).isNotEmpty();
    // the summary, then one line per API that was asked (Kubernetes API: 12 requests, 1 a write: ...; hcloud API: 3 requests)
    int last = lines.size() - 1;
    while (last > 0 && lines.get(last).matches("\\S+ API: \\d+ requests?(, .*)?")) {
      last--;
    }
    Matcher m = SUMMARY.matcher(lines.get(last));
    assertThat(m.matches()).as(r.toString()).isTrue();
    boolean failing = Integer.parseInt(m.group(2)) > 0 || (failOn.equals("warn") && Integer.parseInt(m.group(3)) > 0);
    assertThat(r.code()).as(r.toString()).isEqualTo(failing ? 1 : 0);
  }

  private static void assertOneLineError(Cli.Result r) {
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).as(r.toString()).hasSize(1);
    assertThat(r.err()).as(r.toString()).startsWith("substrate: ").doesNotContain("Exception").doesNotContain("at dev.")
        .doesNotContain("\tat ");
    assertThat(r.out()).as(r.toString()).isEmpty();
  }

  private static Map<String, byte[]> contents(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        files.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  @Nested
  class Capabilities {
    @Test
    void lists_every_capability_of_the_named_substrate_by_facet() {
      Cli.Result r = Cli.run("capabilities", "--substrate", "byo");

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).startsWith("substrate byo");
      Substrate byo = substrate("byo");
      byo.facets().forEach(f -> assertThat(r.out()).contains(f.type().displayName() + ": " + f.id()));
      for (Capability c : byo.capabilities()) {
        assertThat(r.out()).contains(c.id()).contains(c.state().name());
        c.remedy().ifPresent(remedy -> assertThat(r.out()).contains("→ " + remedy));
      }
    }

    @Test
    void prints_json_and_yaml_with_the_same_capabilities() throws IOException {
      List<String> ids = substrate("byo").capabilities().stream().map(Capability::id).toList();
      for (String format : List.of("json", "yaml")) {
        Cli.Result r = Cli.run("capabilities", "--substrate", "byo", "-o", format);
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode tree = (format.equals("json") ? JSON : YAML).readTree(r.out());
        assertThat(tree.path("substrate").asText()).isEqualTo("byo");
        assertThat(tree.path("facets")).hasSize(4);
        List<String> listed = tree.path("facets").findValues("capabilities").stream()
            .flatMap(caps -> caps.findValues("id").stream()).map(JsonNode::asText).toList();
        assertThat(listed).containsExactlyElementsOf(ids);
      }
    }

    @Test
    void detects_the_substrate_from_an_embedded_cluster() {
      Cli.Result r = Cli.run("capabilities", "--embedded", "byo");

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).startsWith("substrate byo");
      assertThat(r.err()).contains("detected substrate byo");
    }

    @Test
    void without_a_substrate_or_a_cluster_says_how_to_choose_one() {
      Cli.Result r = Cli.run("capabilities");

      assertOneLineError(r);
      assertThat(r.err()).contains("--substrate").contains("substrate.id");
    }
  }

  @Nested
  class Diff {
    @Test
    void prints_the_capability_differences_between_two_substrates() throws IOException {
      Path config = Files.writeString(tmp.resolve("config.yaml"), "secret_backend: kubernetes\n");
      SubstrateConfig base = SubstrateConfig.load(config);
      PortabilityDiff expected = Portability.diff(
          Substrates.create(SubstrateConfig.builder().from(base).substrate("byo").build()),
          Substrates.create(SubstrateConfig.builder().from(base).substrate("hetzner").build()));

      Cli.Result r = Cli.run("diff", "byo", "hetzner", "-c", config.toString());

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).isEqualTo(expected.toText()).contains("capabilities (byo → hetzner)");
      assertThat(expected.capabilities()).isNotEmpty();

      Cli.Result json = Cli.run("diff", "byo", "hetzner", "-c", config.toString(), "-o", "json");
      JsonNode tree = JSON.readTree(json.out());
      assertThat(tree.path("from").asText()).isEqualTo("byo");
      assertThat(tree.path("to").asText()).isEqualTo("hetzner");
      assertThat(tree.path("capabilities").findValues("id").stream().map(JsonNode::asText).distinct().toList())
          .containsAll(expected.capabilities().stream().map(PortabilityDiff.CapabilityChange::id).toList());
    }

    @Test
    void of_an_unknown_substrate_lists_the_known_ones() {
      Cli.Result r = Cli.run("diff", "byo", "azure");

      assertOneLineError(r);
      assertThat(r.err()).contains("'azure'").contains("byo").contains("gke").contains("hetzner");
    }
  }

  @Nested
  class Render {
    @Test
    void writes_one_file_per_resource_and_a_kustomization() throws IOException {
      Path dir = tmp.resolve("layer");
      Rendering expected = substrate("byo").render();

      Cli.Result r = Cli.run("render", "--substrate", "byo", "-o", dir.toString());

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).isEmpty();
      int count = expected.resources().size();
      assertThat(r.err()).contains("wrote " + count + (count == 1 ? " resource" : " resources") + " to " + dir);
      assertThat(contents(dir).keySet()).containsAll(expected.files().keySet()).contains("kustomization.yaml")
          .contains(".substrate-rendering").hasSize(expected.files().size() + 2);
      expected.files().forEach((name, yaml) -> assertThat(dir.resolve(name)).hasContent(yaml));
    }

    @Test
    void rendering_twice_gives_identical_bytes() throws IOException {
      Path dir = tmp.resolve("layer");
      assertThat(Cli.run("render", "--substrate", "byo", "-o", dir.toString()).code()).isZero();
      Map<String, byte[]> first = contents(dir);

      assertThat(Cli.run("render", "--substrate", "byo", "-o", dir.toString()).code()).isZero();

      Map<String, byte[]> second = contents(dir);
      assertThat(second.keySet()).isEqualTo(first.keySet());
      first.forEach((name, bytes) -> assertThat(second.get(name)).as(name).isEqualTo(bytes));
    }

    @Test
    void refuses_a_directory_whose_kustomization_it_did_not_write_and_leaves_it_untouched() throws IOException {
      Path dir = Files.createDirectories(tmp.resolve("mine"));
      Files.writeString(dir.resolve("notes.txt"), "my notes\n");
      Files.writeString(dir.resolve("kustomization.yaml"), "resources: [app.yaml]\n");
      Map<String, byte[]> before = contents(dir);

      Cli.Result r = Cli.run("render", "--substrate", "byo", "-o", dir.toString());

      assertOneLineError(r);
      assertThat(r.err()).contains(dir.resolve("kustomization.yaml").toString());
      Map<String, byte[]> after = contents(dir);
      assertThat(after.keySet()).isEqualTo(before.keySet());
      before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
      try (Stream<Path> siblings = Files.list(tmp)) {
        assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("mine");
      }
    }

    @Test
    void prints_the_yaml_stream_with_stdout() {
      Cli.Result r = Cli.run("render", "--substrate", "byo", "--stdout");

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).isEqualTo(substrate("byo").render().toYaml());
    }

    @Test
    void needs_an_output_directory_or_stdout() {
      assertOneLineError(Cli.run("render", "--substrate", "byo"));
      assertOneLineError(Cli.run("render", "--substrate", "byo", "--stdout", "-o", tmp.toString()));
    }
  }

  @Nested
  class Doctor {
    @Test
    void reports_on_an_embedded_hetzner_cluster() {
      Cli.Result r = Cli.run("doctor", "--embedded", "hetzner");

      assertReport(r, "fail");
      assertThat(r.out()).contains("substrate.nodes");
      assertThat(r.err()).contains("detected substrate hetzner").contains("read 4 nodes");
    }

    @Test
    void reports_on_an_embedded_byo_cluster() {
      Cli.Result r = Cli.run("doctor", "--embedded", "byo", "--substrate", "byo");

      assertReport(r, "fail");
      assertThat(r.out()).contains("nodes match substrate byo");
    }

    @Test
    void fails_on_warnings_when_asked() {
      assertReport(Cli.run("doctor", "--embedded", "byo", "--fail-on", "warn"), "warn");
    }

    @Test
    void prints_json_with_the_api_requests_it_made() throws IOException {
      Cli.Result r = Cli.run("doctor", "--embedded", "byo", "-o", "json");

      assertThat(r.code()).as(r.toString()).isIn(0, 1);
      JsonNode report = JSON.readTree(r.out());
      assertThat(report.path("substrate").asText()).isEqualTo("byo");
      assertThat(report.path("apiRequests").asInt()).isPositive();
      assertThat(report.path("checks")).isNotEmpty();
      assertThat(r.code()).isEqualTo(report.path("summary").path("failed").asInt() > 0 ? 1 : 0);

      JsonNode yaml = YAML.readTree(Cli.run("doctor", "--embedded", "byo", "-o", "yaml").out());
      assertThat(yaml.path("checks").size()).isEqualTo(report.path("checks").size());
    }

    @Test
    void turns_a_forbidden_kind_into_a_finding_not_a_crash() throws IOException {
      try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.BYO)
          .start()) {
        cluster.forbid("external-secrets.io", "clustersecretstores");
        Path kubeconfig = cluster.writeKubeconfig(tmp.resolve("kubeconfig"));

        Cli.Result r = Cli.run("doctor", "--kubeconfig", kubeconfig.toString(), "--substrate", "byo");

        assertReport(r, "fail");
        assertThat(r.errors()).as(r.toString()).isEmpty();
        assertThat(r.out().lines()).as(r.toString())
            .anyMatch(l -> l.matches("(WARN|FAIL|SKIP) .*") && l.contains("clustersecretstores") && l.contains("403"));
        assertThat(r.err()).contains("could not read clustersecretstores.external-secrets.io (403)");
      }
    }

    @Test
    void runs_offline_on_a_kubectl_dump() throws IOException {
      Path dump = tmp.resolve("dump.json");
      try (EmbeddedCluster cluster = EmbeddedCluster.start(ClusterPreset.BYO)) {
        NodeList nodes = cluster.client().nodes().list();
        nodes.setApiVersion("v1");
        nodes.setKind("List");
        Files.writeString(dump, new KubernetesSerialization().asJson(nodes));
      }

      Cli.Result r = Cli.run("doctor", "--from-dump", dump.toString(), "--substrate", "byo");

      assertReport(r, "fail");
      assertThat(r.out()).contains("nodes match substrate byo");
      assertOneLineError(Cli.run("doctor", "--from-dump", dump.toString()));
    }

    @Test
    void needs_a_cluster() {
      Cli.Result r = Cli.run("doctor", "--substrate", "byo");

      assertOneLineError(r);
      assertThat(r.err()).contains("--kubeconfig").contains("--embedded");
    }
  }

  @Nested
  class Apply {
    @Test
    void applies_server_side_and_a_second_apply_changes_nothing() {
      try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.BYO)
          .start()) {
        String kubeconfig = cluster.writeKubeconfig(tmp.resolve("kubeconfig")).toString();
        List<HasMetadata> rendered = substrate("byo").render().resources();

        Cli.Result first = Cli.run("apply", "--kubeconfig", kubeconfig, "--substrate", "byo");

        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.out()).contains(rendered.size() + " created, 0 configured, 0 unchanged");
        rendered.forEach(r -> assertThat(cluster.client().resource(r).get()).as(r.getKind()).isNotNull());

        Cli.Result second = Cli.run("apply", "--kubeconfig", kubeconfig, "--substrate", "byo", "-o", "json");

        assertThat(second.code()).as(second.toString()).isZero();
        assertThat(second.out()).doesNotContain("CREATED").doesNotContain("CONFIGURED");
        assertThat(second.out()).contains("\"unchanged\" : " + rendered.size());
      }
    }

    @Test
    void dry_run_stores_nothing() {
      try (EmbeddedCluster cluster = EmbeddedCluster.builder().preset(ClusterPreset.BYO)
          .start()) {
        String kubeconfig = cluster.writeKubeconfig(tmp.resolve("kubeconfig")).toString();

        Cli.Result r = Cli.run("apply", "--kubeconfig", kubeconfig, "--substrate", "byo", "--dry-run");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("dry run");
        for (HasMetadata resource : substrate("byo").render().resources()) {
          assertThat(cluster.client().resource(resource).get()).as(resource.getKind()).isNull();
        }
        GenericKubernetesResourceList stores = cluster.client()
            .genericKubernetesResources("external-secrets.io/v1", "ClusterSecretStore").list();
        assertThat(stores.getItems()).isEmpty();
      }
    }

    @Test
    void to_an_embedded_cluster_creates_every_rendered_resource() {
      Cli.Result r = Cli.run("apply", "--embedded", "byo", "--substrate", "byo");
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).containsPattern("\\d+ created, 0 configured, 0 unchanged");
    }

    @Test
    void of_an_object_whose_crd_is_missing_names_it_in_one_line() {
      Cli.Result r = Cli.run("apply", "--embedded", "bare", "--substrate", "byo");
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.errors()).as(r.toString()).hasSize(1);
      assertThat(r.errors().get(0)).contains("install its CustomResourceDefinition first").doesNotContain("Exception");
    }
  }

  @Nested
  class Bad_input {
    @Test
    void malformed_yaml_config() throws IOException {
      Path config = Files.writeString(tmp.resolve("config.yaml"), "substrate: {id: byo\nprofile: [\n");

      Cli.Result r = Cli.run("capabilities", "-c", config.toString());

      assertOneLineError(r);
      assertThat(r.err()).contains("not valid YAML");
    }

    @Test
    void a_config_with_several_problems_reports_each_on_its_own_line() throws IOException {
      Path config = Files.writeString(tmp.resolve("config.yaml"), "profile: huge\nstorage: {shared_weight: true}\n");

      Cli.Result r = Cli.run("capabilities", "--substrate", "byo", "-c", config.toString());

      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.errLines()).hasSizeGreaterThanOrEqualTo(2).allMatch(l -> l.startsWith("substrate: "));
      assertThat(r.err()).contains("profile").contains("shared_weight").doesNotContain("Exception");
    }

    @Test
    void a_missing_config_file() {
      assertOneLineError(Cli.run("capabilities", "-c", tmp.resolve("nope.yaml").toString()));
    }

    @Test
    void unknown_substrate_id_lists_the_known_ones() {
      Cli.Result r = Cli.run("capabilities", "--substrate", "azure");

      assertOneLineError(r);
      assertThat(r.err()).contains("'azure'");
      Substrates.availableIds().get("substrate").forEach(id -> assertThat(r.err()).contains(id));
    }

    @Test
    void missing_kubeconfig_file() {
      Cli.Result r = Cli.run("doctor", "--kubeconfig", tmp.resolve("missing.kubeconfig").toString());

      assertOneLineError(r);
      assertThat(r.err()).contains("missing.kubeconfig").contains("does not exist");
    }

    @Test
    void unknown_kubeconfig_context() throws IOException {
      Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), unreachableKubeconfig());

      Cli.Result r = Cli.run("doctor", "--kubeconfig", kubeconfig.toString(), "--context", "prod");

      assertOneLineError(r);
      assertThat(r.err()).contains("'prod'").contains("nowhere");
    }

    @Test
    @Timeout(60)
    void unreachable_api_server() throws IOException {
      Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), unreachableKubeconfig());

      for (String command : List.of("doctor", "apply")) {
        long started = System.nanoTime();
        Cli.Result r = Cli.run(command, "--kubeconfig", kubeconfig.toString(), "--substrate", "byo");

        assertOneLineError(r);
        assertThat(r.err()).contains("https://127.0.0.1:1").contains("cannot reach");
        assertThat((System.nanoTime() - started) / 1_000_000_000).isLessThan(30);
      }
    }

    @Test
    @Timeout(60)
    void a_server_whose_host_does_not_resolve_is_not_called_connection_refused() throws IOException {
      Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"),
          unreachableKubeconfig().replace("https://127.0.0.1:1", "https://no-such-host.invalid:6443"));

      Cli.Result r = Cli.run("doctor", "--kubeconfig", kubeconfig.toString(), "--substrate", "byo");

      assertOneLineError(r);
      assertThat(r.err()).contains("https://no-such-host.invalid:6443").contains("does not resolve")
          .doesNotContain("connection refused");
    }

    @Test
    void a_missing_certificate_authority_file_is_a_usage_error_naming_it() throws IOException {
      Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), unreachableKubeconfig()
          .replace("{server: 'https://127.0.0.1:1'}", "{server: 'https://127.0.0.1:1', certificate-authority: "
              + "/nonexistent/ca.crt}"));

      Cli.Result r = Cli.run("doctor", "--kubeconfig", kubeconfig.toString(), "--substrate", "byo");

      assertOneLineError(r);
      assertThat(r.err()).contains("/nonexistent/ca.crt").contains(kubeconfig.toString())
          .contains("certificate-authority");
    }

    @Test
    @Timeout(60)
    void credentials_in_the_server_url_are_never_printed() throws IOException {
      Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), unreachableKubeconfig()
          .replace("https://127.0.0.1:1", "https://admin:s3cr3t-pw@127.0.0.1:1/?token=s3cr3t-tok"));

      Cli.Result r = Cli.run("doctor", "--kubeconfig", kubeconfig.toString(), "--substrate", "byo");

      assertOneLineError(r);
      assertThat(r.err()).contains("https://127.0.0.1:1").doesNotContain("s3cr3t").doesNotContain("admin");
    }

    @Test
    void a_kubeconfig_with_an_alias_or_not_utf8_is_one_line_naming_it() throws IOException {
      Path alias = Files.writeString(tmp.resolve("alias.kubeconfig"), unreachableKubeconfig()
          .replace("user: {token: not-a-secret}", "user: {token: *t}").replace("- name: nobody", "- name: &t nobody"));
      Cli.Result r = Cli.run("doctor", "--kubeconfig", alias.toString(), "--substrate", "byo");
      assertOneLineError(r);
      assertThat(r.err()).contains(alias + " line ").contains("'users[0].user.token' is the YAML alias *t");

      Path latin1 = Files.write(tmp.resolve("latin1.kubeconfig"),
          unreachableKubeconfig().replace("nobody", "n\u00f6body").getBytes(StandardCharsets.ISO_8859_1));
      r = Cli.run("doctor", "--kubeconfig", latin1.toString(), "--substrate", "byo");
      assertOneLineError(r);
      assertThat(r.err()).isEqualTo("substrate: kubeconfig file " + latin1 + " is not UTF-8 text\n");
    }

    @Test
    void a_dump_that_is_garbage_exits_2_even_with_fail_on_warn() throws IOException {
      Path dump = Files.writeString(tmp.resolve("dump.json"), "{\"apiVersion\": \"v1\", \"kind\": \"List\",\n \"items\": [");

      Cli.Result r = Cli.run("doctor", "--from-dump", dump.toString(), "--substrate", "byo", "--fail-on", "warn");

      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.errors()).as(r.toString()).singleElement().asString()
          .startsWith("substrate: dump " + dump + " is not valid JSON at line 2, column");
      assertThat(r.out()).isEmpty();
      Files.writeString(dump, "just some text\n");
      assertThat(Cli.run("doctor", "--from-dump", dump.toString(), "--substrate", "byo").code()).isEqualTo(2);
    }

    @Test
    void unknown_embedded_preset() {
      Cli.Result r = Cli.run("doctor", "--embedded", "azure");

      assertOneLineError(r);
      assertThat(r.err()).contains("'azure'").contains("bare, gke, hetzner, byo");
    }

    @Test
    void unknown_option() {
      Cli.Result r = Cli.run("doctor", "--embeded", "byo");

      assertOneLineError(r);
      assertThat(r.err()).contains("--embeded");
    }

    @Test
    void unknown_output_format() {
      assertOneLineError(Cli.run("capabilities", "--substrate", "byo", "-o", "xml"));
    }

    @Test
    void two_clusters_at_once() throws IOException {
      Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), unreachableKubeconfig());

      assertOneLineError(Cli.run("doctor", "--kubeconfig", kubeconfig.toString(), "--embedded", "byo"));
    }

    @Test
    void cluster_serve_will_not_overwrite_a_file_it_did_not_write() throws IOException {
      Path mine = Files.writeString(tmp.resolve("config"), "apiVersion: v1\nkind: Config\ncurrent-context: prod\n");

      Cli.Result r = Cli.run("cluster", "serve", "--preset", "bare", "--write-kubeconfig", mine.toString());

      assertOneLineError(r);
      assertThat(mine).hasContent("apiVersion: v1\nkind: Config\ncurrent-context: prod\n");
    }

    @Test
    void no_command() {
      assertOneLineError(Cli.run());
    }

    @Test
    void help_and_version_are_not_errors() {
      Cli.Result help = Cli.run("doctor", "--help");
      assertThat(help.code()).isZero();
      assertThat(help.out()).contains("--kubeconfig").contains("--embedded").contains("--fail-on");
      Cli.Result version = Cli.run("--version");
      assertThat(version.code()).isZero();
      assertThat(version.out()).startsWith("substrate ");
    }

    private String unreachableKubeconfig() {
      return Stream.of(
          "apiVersion: v1",
          "kind: Config",
          "clusters:",
          "- name: nowhere",
          "  cluster: {server: 'https://127.0.0.1:1'}",
          "contexts:",
          "- name: nowhere",
          "  context: {cluster: nowhere, user: nobody}",
          "current-context: nowhere",
          "users:",
          "- name: nobody",
          "  user: {token: not-a-secret}").collect(Collectors.joining("\n", "", "\n"));
    }
  }
}
