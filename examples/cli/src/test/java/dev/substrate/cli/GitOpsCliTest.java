package dev.substrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code render --gitops} and {@code apply --gitops}: Argo CD as before, Flux, or values files for helm. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GitOpsCliTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String WIF = "wif:\n"
      + "  audience: //iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/llm-prod/providers/k3s-oidc\n"
      + "  service_account_email: external-secrets@acme-ml.iam.gserviceaccount.com\n";
  /**
   * Per embedded preset, a config that renders a chart there: the GPU Operator (on Talos in the hybrid cluster, where
   * pools add their storage), or NVIDIA's device plugin on EKS.
   */
  private static final Map<String, String> CONFIGS = Map.of(
      "gke", "gpu_stack: operator\ncluster: {name: prod, projectID: acme-ml, location: europe-west4}\n",
      "hetzner", "cluster: {name: llm-prod, projectID: acme-ml, location: europe-west4}\n"
          + "gpu: {tenancy: {mode: time-slicing, replicas: 2}}\nload_balancer: {location: fsn1}\n" + WIF,
      "aws", "cluster: {name: llm-prod, location: eu-west-1}\ngpu: {tenancy: {mode: mps, replicas: 3}}\n",
      "hybrid", "substrate: {id: hetzner, pools: {home: {substrate: proxmox}}}\ngpu_stack: talos\n"
          + "proxmox: {storage: local-lvm}\nsecret_backend: vault\n"
          + "vault: {server: https://vault.home.arpa:8200, auth: {kubernetes: {role: external-secrets}}}\n");

  @TempDir Path tmp;

  private String config(String preset) throws IOException {
    return Files.writeString(tmp.resolve(preset + ".yaml"), CONFIGS.get(preset)).toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gke", "hetzner", "aws", "hybrid"})
  void flux_on_an_embedded_cluster_validates_against_fluxs_crds_and_holds_no_argo_cd_object(String preset)
      throws Exception {
    Path argo = tmp.resolve("argo");
    Path flux = tmp.resolve("flux");
    String config = config(preset);
    Cli.Result a = Cli.run("render", "--embedded", preset, "-c", config, "-o", argo.toString());
    Cli.Result f = Cli.run("render", "--embedded", preset, "-c", config, "--gitops", "flux", "-o", flux.toString());
    assertThat(a.code()).as(a.toString()).isZero();
    assertThat(f.code()).as(f.toString()).isZero();

    Map<String, JsonNode> argoObjects = objects(argo);
    Map<String, JsonNode> fluxObjects = objects(flux);
    List<JsonNode> applications = ofKind(argoObjects, "Application");
    assertThat(applications).as("a chart is rendered on " + preset).isNotEmpty();
    assertThat(fluxObjects.values()).noneMatch(o -> o.path("apiVersion").asText().startsWith("argoproj.io"));
    assertThat(read(flux).values()).noneMatch(text -> text.contains("argoproj.io"));
    for (JsonNode app : applications) {
      String release = app.at("/metadata/name").asText();
      JsonNode helmRelease = ofKind(fluxObjects, "HelmRelease").stream()
          .filter(r -> r.at("/metadata/name").asText().equals(release)).findFirst().orElseThrow();
      assertThat(helmRelease.at("/spec/values")).isEqualTo(app.at("/spec/source/helm/valuesObject"));
      assertThat(helmRelease.at("/spec/chart/spec/version")).isEqualTo(app.at("/spec/source/targetRevision"));
      assertThat(helmRelease.at("/spec/targetNamespace")).isEqualTo(app.at("/spec/destination/namespace"));
      JsonNode repository = ofKind(fluxObjects, "HelmRepository").stream()
          .filter(r -> r.at("/metadata/name").asText().equals(release)).findFirst().orElseThrow();
      assertThat(repository.at("/spec/url")).isEqualTo(app.at("/spec/source/repoURL"));
    }
    assertThat(ofKind(fluxObjects, "Kustomization")).singleElement()
        .satisfies(k -> assertThat(k.at("/spec/path").asText()).isEqualTo("./substrate"));
    // everything else is the same object as in the Argo CD rendering
    assertThat(fluxObjects.size()).isEqualTo(argoObjects.size() + applications.size() + 1);
    assertKustomizationListsEveryResource(flux);
    validate(flux, 2 * applications.size() + 1);
  }

  @Test
  void flux_with_a_substrate_and_a_path_of_the_repository_validates_too() throws Exception {
    Path flux = tmp.resolve("flux");
    Cli.Result r = Cli.run("render", "--substrate", "byo", "--gitops", "flux", "--gitops-path",
        "./clusters/prod/substrate", "--flux-source", "platform", "-o", flux.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode kustomization = ofKind(objects(flux), "Kustomization").get(0);
    assertThat(kustomization.at("/spec/path").asText()).isEqualTo("./clusters/prod/substrate");
    assertThat(kustomization.at("/spec/sourceRef/name").asText()).isEqualTo("platform");
    assertThat(objects(flux).values()).noneMatch(o -> o.path("apiVersion").asText().startsWith("argoproj.io"));
    validate(flux, 3);
  }

  @Test
  void argocd_is_the_default_and_byte_for_byte_what_render_wrote_before() throws Exception {
    Path plain = tmp.resolve("plain");
    Path argo = tmp.resolve("argo");
    assertThat(Cli.run("render", "--substrate", "byo", "-o", plain.toString()).code()).isZero();
    assertThat(Cli.run("render", "--substrate", "byo", "--gitops", "argocd", "-o", argo.toString()).code()).isZero();
    assertThat(read(argo)).isEqualTo(read(plain));
    assertThat(read(plain).get("01-application-argocd-gpu-operator.yaml")).contains("apiVersion: argoproj.io/v1alpha1");
  }

  @Test
  void helm_values_writes_one_values_file_per_chart_with_the_applications_values_and_the_helm_commands()
      throws Exception {
    Path argo = tmp.resolve("argo");
    Path helm = tmp.resolve("helm");
    String config = Files.writeString(tmp.resolve("pools.yaml"), "substrate:\n  id: hetzner\n"
        + "  pools: {cloud: {substrate: aws}}\ncluster: {name: c, projectID: p, location: eu-central-1}\n"
        + "load_balancer: {location: fsn1}\ngpu: {tenancy: {mode: time-slicing, replicas: 2}}\n"
        + "secret_backend: kubernetes\n").toString();
    assertThat(Cli.run("render", "-c", config, "-o", argo.toString()).code()).isZero();
    Cli.Result r = Cli.run("render", "-c", config, "--gitops", "helm-values", "-o", helm.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).contains("wrote 5 resources and 2 values files to " + helm);

    List<JsonNode> applications = ofKind(objects(argo), "Application");
    assertThat(applications).hasSize(2);
    try (Stream<Path> files = Files.list(helm.resolve("values"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("gpu-operator.yaml", "nvidia-device-plugin.yaml");
    }
    String notes = Files.readString(helm.resolve("NOTES.md"));
    for (JsonNode app : applications) {
      String release = app.at("/metadata/name").asText();
      Path values = helm.resolve("values/" + release + ".yaml");
      assertThat(YAML.readTree(values.toFile())).isEqualTo(app.at("/spec/source/helm/valuesObject"));
      assertThat(notes).contains("helm upgrade --install " + release + " " + app.at("/spec/source/chart").asText()
          + " --repo " + app.at("/spec/source/repoURL").asText() + " --version "
          + app.at("/spec/source/targetRevision").asText() + " --namespace "
          + app.at("/spec/destination/namespace").asText() + " -f values/" + release + ".yaml\n");
    }
    Map<String, JsonNode> rest = objects(helm);
    assertThat(rest.values()).noneMatch(o -> o.path("kind").asText().startsWith("Helm")
        || o.path("apiVersion").asText().startsWith("argoproj.io"));
    assertThat(rest).hasSize(objects(argo).size() - 2);
    assertKustomizationListsEveryResource(helm);
  }

  @Test
  void apply_with_flux_serves_fluxs_kinds_on_the_embedded_cluster() {
    Cli.Result r = Cli.run("apply", "--embedded", "hetzner", "--gitops", "flux");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("helmrepository flux-system/gpu-operator created")
        .contains("helmrelease flux-system/gpu-operator created")
        .contains("kustomization flux-system/substrate created").doesNotContain("application");
  }

  @Test
  void a_bad_gitops_value_is_one_line_naming_the_option_and_the_allowed_values() {
    Cli.Result r = Cli.run("render", "--substrate", "byo", "--stdout", "--gitops", "fluxcd");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines()).containsExactly("substrate: Invalid value for option '--gitops': expected one of argocd, "
        + "flux, helm-values but was 'fluxcd' (see 'substrate render --help')");

    Cli.Result apply = Cli.run("apply", "--embedded", "byo", "--gitops", "helm-values");
    assertThat(apply.code()).isEqualTo(2);
    assertThat(apply.errLines()).singleElement().asString()
        .startsWith("substrate: Invalid value for option '--gitops': expected argocd or flux but was 'helm-values'");
  }

  @Test
  void flux_options_without_flux_and_helm_values_on_stdout_are_usage_errors() {
    Cli.Result path = Cli.run("render", "--substrate", "byo", "--stdout", "--gitops-path", "./x");
    assertThat(path.code()).isEqualTo(2);
    assertThat(path.errLines()).containsExactly("substrate: --gitops-path says where Flux finds the rendering: pass "
        + "--gitops flux too");
    Cli.Result absolute = Cli.run("render", "--substrate", "byo", "--stdout", "--gitops", "flux", "--gitops-path", "/x");
    assertThat(absolute.code()).isEqualTo(2);
    assertThat(absolute.errLines()).singleElement().asString()
        .startsWith("substrate: Invalid value for option '--gitops-path': gitops path was '/x' but must be");
    Cli.Result stdout = Cli.run("render", "--substrate", "byo", "--stdout", "--gitops", "helm-values");
    assertThat(stdout.code()).isEqualTo(2);
    assertThat(stdout.errLines()).singleElement().asString().contains("pass -o DIR instead");
  }

  /** File name to content of every regular file under {@code dir}, but the manifest. */
  private static Map<String, String> read(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        if (!p.getFileName().toString().equals(".substrate-rendering")) {
          files.put(dir.relativize(p).toString(), Files.readString(p));
        }
      }
    }
    return files;
  }

  /** The numbered resource files of {@code dir}, parsed. */
  private static Map<String, JsonNode> objects(Path dir) throws IOException {
    Map<String, JsonNode> objects = new TreeMap<>();
    for (Map.Entry<String, String> f : read(dir).entrySet()) {
      if (f.getKey().matches("\\d\\d-.*\\.yaml")) {
        objects.put(f.getKey(), YAML.readTree(f.getValue()));
      }
    }
    return objects;
  }

  private static List<JsonNode> ofKind(Map<String, JsonNode> objects, String kind) {
    return objects.values().stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  private static void assertKustomizationListsEveryResource(Path dir) throws IOException {
    List<String> listed = new ArrayList<>();
    YAML.readTree(dir.resolve("kustomization.yaml").toFile()).path("resources").forEach(n -> listed.add(n.asText()));
    assertThat(listed).containsExactlyElementsOf(objects(dir).keySet());
  }

  /**
   * Validates against the shared CRDs and Flux's (test resources, see crds/flux/README.md). The rendering holds
   * {@code fluxObjects} Flux objects; every custom resource of a kind among those CRDs must be checked, with no problem.
   */
  private void validate(Path dir, int fluxObjects) throws IOException, InterruptedException {
    Set<String> known = ManifestValidator.kinds("crds/flux");
    Map<String, JsonNode> objects = objects(dir);
    long checked = objects.values().stream()
        .filter(o -> known.contains(o.path("apiVersion").asText() + " " + o.path("kind").asText())).count();
    long flux = objects.values().stream().filter(o -> o.path("apiVersion").asText().contains(".toolkit.fluxcd.io/"))
        .count();
    assertThat(flux).isEqualTo(fluxObjects);
    assertThat(ManifestValidator.validate(dir, tmp, "crds/flux"))
        .contains("validate-manifests: " + checked + " custom resources checked");
  }
}
