package dev.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.substrate.spi.Check;
import dev.substrate.spi.Resources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Substrate#render(RenderOptions)}: a facet's Helm charts as Argo CD, Flux or Helm values. */
class GitOpsRenderingTest {
  private static final HelmChart WIDGETS = HelmChart.builder().repoUrl("https://charts.example.com/stable")
      .chart("widgets").version("1.2.3").releaseName("widgets").namespace("widgets")
      .values(values()).build();
  private static final HelmChart OCI = HelmChart.builder().repoUrl("oci://registry.example.com/charts")
      .chart("gadgets").version("0.4.0").releaseName("gadgets").namespace("gadgets").build();

  private static Map<String, Object> values() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("replicas", 2);
    values.put("config", Map.of("text", "line one\nline two\n"));
    return values;
  }

  /** A GPU stack installing {@code charts}, rendering their Applications unless {@code withApplications} is false. */
  private static GpuStack stack(List<HelmChart> charts, boolean withApplications) {
    return new GpuStack() {
      @Override
      public String id() {
        return "charted";
      }

      @Override
      public List<Capability> capabilities() {
        return List.of();
      }

      @Override
      public List<HasMetadata> resources(RenderContext context) {
        List<HasMetadata> out = new ArrayList<>();
        out.add(new NamespaceBuilder().withNewMetadata().withName("widgets").endMetadata().build());
        if (withApplications) {
          charts.forEach(c -> out.add(Resources.application(c)));
        }
        return out;
      }

      @Override
      public List<HelmChart> charts(RenderContext context) {
        return charts;
      }

      @Override
      public List<Check> checks() {
        return List.of();
      }
    };
  }

  private static Substrate substrate(GpuStack stack) {
    return Substrates.builder().loader(TestProviders.loader()).gpuStack(stack)
        .config(SubstrateConfig.parse("substrate: {id: alpha}")).build();
  }

  private final Substrate substrate = substrate(stack(List.of(WIDGETS, OCI), true));

  private static List<String> kinds(Rendering r) {
    return r.resources().stream().map(HasMetadata::getKind).toList();
  }

  @Nested
  class For_argo_cd {
    @Test
    void the_default_rendering_is_the_argo_cd_one_and_holds_each_chart_as_an_application() {
      assertThat(substrate.render().files()).isEqualTo(substrate.render(RenderOptions.defaults()).files());
      assertThat(substrate.render().gitOps()).isEqualTo(GitOps.ARGOCD);
      assertThat(substrate.render().charts()).containsExactly(WIDGETS, OCI);
      assertThat(kinds(substrate.render())).containsExactly("Namespace", "Application", "Application",
          "ClusterSecretStore");
    }

    @Test
    void an_application_names_the_release_and_carries_the_values_in_order() {
      assertThat(substrate.render().files().get("01-application-argocd-widgets.yaml")).isEqualTo("""
          apiVersion: argoproj.io/v1alpha1
          kind: Application
          metadata:
            labels:
              app.kubernetes.io/managed-by: substrate
            name: widgets
            namespace: argocd
          spec:
            project: default
            source:
              repoURL: https://charts.example.com/stable
              chart: widgets
              targetRevision: 1.2.3
              helm:
                valuesObject:
                  replicas: 2
                  config:
                    text: |
                      line one
                      line two
            destination:
              server: https://kubernetes.default.svc
              namespace: widgets
            syncPolicy:
              automated:
                prune: true
                selfHeal: true
              syncOptions:
              - ServerSideApply=true
          """);
    }

    @Test
    void an_oci_chart_has_its_repo_url_without_the_scheme_and_no_values_block_when_it_has_no_values() {
      String app = substrate.render().files().get("02-application-argocd-gadgets.yaml");
      assertThat(app).contains("repoURL: registry.example.com/charts\n").doesNotContain("oci://")
          .doesNotContain("helm:");
    }
  }

  @Nested
  class For_flux {
    private final Rendering flux = substrate.render(RenderOptions.builder().gitOps(GitOps.FLUX)
        .gitopsPath("./clusters/prod/substrate").fluxSource("platform").build());

    @Test
    void each_application_becomes_a_helm_repository_and_a_helm_release_and_one_kustomization_comes_last() {
      assertThat(kinds(flux)).containsExactly("Namespace", "HelmRepository", "HelmRelease", "HelmRepository",
          "HelmRelease", "ClusterSecretStore", "Kustomization");
      assertThat(flux.toYaml()).doesNotContain("argoproj.io");
      assertThat(flux.files().keySet()).last().isEqualTo("06-kustomization-flux-system-substrate.yaml");
    }

    @Test
    void the_release_is_made_in_the_charts_namespace_from_a_repository_of_its_own() {
      assertThat(flux.files().get("01-helmrepository-flux-system-widgets.yaml")).endsWith("""
          spec:
            interval: 1h
            url: https://charts.example.com/stable
          """);
      assertThat(flux.files().get("02-helmrelease-flux-system-widgets.yaml")).endsWith("""
            name: widgets
            namespace: flux-system
          spec:
            interval: 10m
            releaseName: widgets
            targetNamespace: widgets
            storageNamespace: widgets
            chart:
              spec:
                chart: widgets
                version: 1.2.3
                sourceRef:
                  kind: HelmRepository
                  name: widgets
            values:
              replicas: 2
              config:
                text: |
                  line one
                  line two
          """);
    }

    @Test
    void an_oci_chart_comes_from_a_repository_of_type_oci() {
      assertThat(flux.files().get("03-helmrepository-flux-system-gadgets.yaml"))
          .contains("url: oci://registry.example.com/charts\n  type: oci\n");
      assertThat(flux.files().get("04-helmrelease-flux-system-gadgets.yaml")).doesNotContain("values:");
    }

    @Test
    void the_kustomization_reconciles_the_given_path_of_the_given_git_repository() {
      assertThat(flux.files().get("06-kustomization-flux-system-substrate.yaml")).endsWith("""
          spec:
            interval: 10m
            path: ./clusters/prod/substrate
            prune: true
            sourceRef:
              kind: GitRepository
              name: platform
          """);
      assertThat(substrate.render(RenderOptions.of(GitOps.FLUX)).toYaml())
          .contains("path: ./substrate\n").contains("name: flux-system\n");
    }
  }

  @Nested
  class For_helm_values {
    private final Rendering helm = substrate.render(RenderOptions.of(GitOps.HELM_VALUES));

    @Test
    void the_charts_leave_the_resources_and_each_gets_a_values_file() {
      assertThat(kinds(helm)).containsExactly("Namespace", "ClusterSecretStore");
      assertThat(helm.files()).containsKeys("values/widgets.yaml", "values/gadgets.yaml", "NOTES.md");
      assertThat(helm.files().get("values/widgets.yaml")).isEqualTo("""
          # values of Helm release widgets: chart widgets 1.2.3 from https://charts.example.com/stable, namespace widgets
          replicas: 2
          config:
            text: |
              line one
              line two
          """);
      assertThat(helm.files().get("values/gadgets.yaml")).endsWith("\n{}\n");
    }

    @Test
    void the_notes_give_the_helm_command_of_each_chart() {
      assertThat(helm.files().get("NOTES.md"))
          .contains("kubectl apply -k .\n")
          .contains("helm upgrade --install widgets widgets --repo https://charts.example.com/stable --version 1.2.3 "
              + "--namespace widgets -f values/widgets.yaml\n")
          .contains("helm upgrade --install gadgets oci://registry.example.com/charts/gadgets --version 0.4.0 "
              + "--namespace gadgets -f values/gadgets.yaml\n");
    }

    @Test
    void writing_puts_the_values_in_a_subdirectory_that_goes_again_with_the_last_values_file(@TempDir Path dir)
        throws Exception {
      Path out = dir.resolve("out");
      helm.writeTo(out);
      assertThat(Files.readString(out.resolve("values/widgets.yaml"))).isEqualTo(helm.files().get("values/widgets.yaml"));
      assertThat(Files.readString(out.resolve(".substrate-rendering"))).contains("  values/widgets.yaml\n");
      assertThat(Files.readString(out.resolve("kustomization.yaml"))).doesNotContain("values").doesNotContain("NOTES");
      helm.writeTo(out);
      substrate.render().writeTo(out);
      assertThat(out.resolve("values")).doesNotExist();
      assertThat(out.resolve("NOTES.md")).doesNotExist();
    }

    @Test
    void a_file_of_the_users_in_the_values_directory_stays_and_so_does_the_directory(@TempDir Path dir)
        throws Exception {
      Path out = dir.resolve("out");
      helm.writeTo(out);
      Files.writeString(out.resolve("values/mine.yaml"), "mine: true\n");
      substrate.render().writeTo(out);
      assertThat(Files.readString(out.resolve("values/mine.yaml"))).isEqualTo("mine: true\n");
      assertThat(out.resolve("values/widgets.yaml")).doesNotExist();
    }

    @Test
    void a_values_directory_that_is_a_link_or_a_file_is_refused_before_anything_is_written(@TempDir Path dir)
        throws Exception {
      Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
      Path linked = Files.createDirectories(dir.resolve("linked"));
      Files.createSymbolicLink(linked.resolve("values"), elsewhere);
      assertThatThrownBy(() -> helm.writeTo(linked)).isInstanceOf(ConfigException.class)
          .hasMessageContaining(linked.resolve("values") + " is a symbolic link");
      Path file = Files.createDirectories(dir.resolve("file"));
      Files.writeString(file.resolve("values"), "x");
      assertThatThrownBy(() -> helm.writeTo(file)).isInstanceOf(ConfigException.class)
          .hasMessageContaining(file.resolve("values") + " is not a directory");
      try (Stream<Path> s = Files.list(elsewhere)) {
        assertThat(s).isEmpty();
      }
      try (Stream<Path> s = Files.list(linked)) {
        assertThat(s).containsExactly(linked.resolve("values"));
      }
    }

    @Test
    void apply_refuses_it_as_it_leaves_the_charts_to_helm() {
      assertThatThrownBy(() -> substrate.apply(null, ApplyOptions.builder()
          .rendering(RenderOptions.of(GitOps.HELM_VALUES)).build()))
          .isInstanceOf(ConfigException.class).hasMessageContaining("gitops was 'helm-values'");
    }
  }

  @Test
  void a_facet_declaring_a_chart_it_does_not_render_as_an_application_is_named() {
    Substrate broken = substrate(stack(List.of(WIDGETS), false));
    for (GitOps target : GitOps.values()) {
      assertThatThrownBy(() -> broken.render(RenderOptions.of(target))).isInstanceOf(SubstrateException.class)
          .hasMessage("the GPU stack 'charted' declares Helm chart widgets (release widgets) but its resources() lack "
              + "Argo CD Application argocd/widgets; render it with Resources.application(chart)");
    }
  }

  @Test
  void bad_options_are_one_line_naming_what_they_must_be() {
    for (String path : List.of("/abs", "../up", "a/../../b", "", "with space")) {
      assertThatThrownBy(() -> RenderOptions.builder().gitopsPath(path).build()).as(path)
          .isInstanceOf(ConfigException.class).hasMessage("gitops path was '" + path + "' but must be a directory "
              + "relative to the Git repository's root, without '..' or spaces, such as ./substrate");
    }
    assertThatThrownBy(() -> RenderOptions.builder().fluxSource("Flux_System").build())
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("flux source was 'Flux_System' but must be");
    assertThatThrownBy(() -> GitOps.of("fluxcd")).isInstanceOf(ConfigException.class)
        .hasMessage("gitops was 'fluxcd' but must be one of argocd, flux, helm-values");
    assertThat(GitOps.of("helm-values")).isEqualTo(GitOps.HELM_VALUES);
  }

  @Test
  void a_chart_checks_what_helm_and_flux_would_refuse() {
    HelmChart.Builder ok = HelmChart.builder().repoUrl("https://x.example").chart("c").version("1")
        .releaseName("r").namespace("n");
    assertThat(ok.build().oci()).isFalse();
    assertThatThrownBy(() -> HelmChart.builder().from(ok.build()).repoUrl("ftp://x").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://, http:// or oci://");
    assertThatThrownBy(() -> HelmChart.builder().from(ok.build()).releaseName("r".repeat(54)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 53");
    assertThatThrownBy(() -> HelmChart.builder().from(ok.build()).namespace("Bad").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DNS-1123");
  }
}
