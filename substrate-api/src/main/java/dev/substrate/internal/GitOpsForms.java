package dev.substrate.internal;

import static dev.substrate.spi.Resources.map;

import dev.substrate.GitOps;
import dev.substrate.HelmChart;
import dev.substrate.RenderOptions;
import dev.substrate.SubstrateException;
import dev.substrate.spi.Resources;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link HelmChart} in each GitOps tool's form. Fields of the Flux kinds are those of their CRDs
 * ({@code config/crd/bases/}) in fluxcd/source-controller at 39b711b (latest tag v1.9.1), fluxcd/helm-controller at
 * 0f61a86 (v1.6.3) and fluxcd/kustomize-controller at 186fb3b (latest tag v1.9.4); the rendered objects validate
 * against them (copies in examples/cli/src/test/resources/crds/flux, GitOpsCliTest).
 */
public final class GitOpsForms {
  /** Where Argo CD looks for Applications. */
  public static final String ARGOCD_NAMESPACE = "argocd";
  /** Where Flux runs and {@code flux bootstrap} puts its GitRepository and Kustomization. */
  public static final String FLUX_NAMESPACE = "flux-system";
  /** The name of the rendered Flux Kustomization. */
  public static final String FLUX_KUSTOMIZATION = "substrate";
  /** The directory of the values files {@code helm-values} writes. */
  public static final String VALUES_DIR = "values";
  /** The file listing the {@code helm} commands {@code helm-values} writes. */
  public static final String NOTES = "NOTES.md";

  private GitOpsForms() {}

  /**
   * A facet's {@code resources} with the Argo CD Application of each of its {@code charts} swapped for
   * {@code target}'s form: Flux's HelmRepository and HelmRelease, or nothing for {@code helm-values}; unchanged for
   * Argo CD. {@code who} names the facet in the error thrown when a chart's Application is missing or differs.
   */
  public static List<HasMetadata> swap(List<HasMetadata> resources, List<HelmChart> charts, GitOps target, String who) {
    List<HasMetadata> out = new ArrayList<>(resources);
    for (HelmChart chart : charts) {
      GenericKubernetesResource application = argoApplication(chart);
      String yaml = ManifestWriter.toYaml(application);
      int at = -1;
      for (int i = 0; i < out.size() && at < 0; i++) {
        HasMetadata r = out.get(i);
        if (r.getKind().equals(application.getKind()) && r.getApiVersion().equals(application.getApiVersion())
            && ARGOCD_NAMESPACE.equals(r.getMetadata().getNamespace())
            && chart.releaseName().equals(r.getMetadata().getName())) {
          at = i;
        }
      }
      if (at < 0 || !ManifestWriter.toYaml(out.get(at)).equals(yaml)) {
        throw new SubstrateException(who + " declares Helm chart " + chart.chart() + " (release "
            + chart.releaseName() + ") but its resources() " + (at < 0 ? "lack" : "hold a different")
            + " Argo CD Application " + ARGOCD_NAMESPACE + "/" + chart.releaseName()
            + "; render it with Resources.application(chart)");
      }
      if (target != GitOps.ARGOCD) {
        out.remove(at);
        if (target == GitOps.FLUX) {
          out.addAll(at, flux(chart));
        }
      }
    }
    return out;
  }

  /** The Argo CD Application installing {@code chart}; see {@link Resources#application(HelmChart)}. */
  public static GenericKubernetesResource argoApplication(HelmChart chart) {
    return Resources.application(chart);
  }

  /**
   * Flux's HelmRepository and HelmRelease for {@code chart}, both named after the release, in {@code flux-system}. The
   * release is made and stored in the chart's namespace ({@code targetNamespace}, {@code storageNamespace}), where
   * {@code helm upgrade --install -n NAMESPACE} makes it too, so {@code helm list -n NAMESPACE} shows it. An OCI chart's
   * repository is {@code type: oci} (source-controller docs/spec/v1/helmrepositories.md, "Helm OCI repository").
   */
  public static List<HasMetadata> flux(HelmChart chart) {
    Map<String, Object> repository = map("interval", "1h", "url", chart.repoUrl());
    if (chart.oci()) {
      repository.put("type", "oci");
    }
    Map<String, Object> release = map(
        "interval", "10m",
        "releaseName", chart.releaseName(),
        "targetNamespace", chart.namespace(),
        "storageNamespace", chart.namespace(),
        "chart", map("spec", map(
            "chart", chart.chart(),
            "version", chart.version(),
            "sourceRef", map("kind", "HelmRepository", "name", chart.releaseName()))));
    if (!chart.values().isEmpty()) {
      release.put("values", chart.values());
    }
    return List.of(
        Resources.custom("source.toolkit.fluxcd.io/v1", "HelmRepository", FLUX_NAMESPACE, chart.releaseName(),
            repository),
        Resources.custom("helm.toolkit.fluxcd.io/v2", "HelmRelease", FLUX_NAMESPACE, chart.releaseName(), release));
  }

  /**
   * The Flux Kustomization that reconciles the rendering from {@code options.gitopsPath()} of the GitRepository
   * {@code options.fluxSource()}; it is part of the rendering, so once applied it manages itself, as the one
   * {@code flux bootstrap} writes does. Typed {@link HasMetadata}, so that verifying {@code Substrate} loads no Fabric8
   * class (a command that renders nothing stays light).
   */
  public static HasMetadata fluxKustomization(RenderOptions options) {
    return Resources.custom("kustomize.toolkit.fluxcd.io/v1", "Kustomization", FLUX_NAMESPACE, FLUX_KUSTOMIZATION,
        map("interval", "10m",
            "path", options.gitopsPath(),
            "prune", true,
            "sourceRef", map("kind", "GitRepository", "name", options.fluxSource())));
  }

  /** The file name of {@code chart}'s values: {@code values/<release>.yaml}. */
  public static String valuesFile(HelmChart chart) {
    return VALUES_DIR + "/" + chart.releaseName() + ".yaml";
  }

  /** {@code chart}'s values as a YAML file, after a comment naming the chart. */
  public static String values(HelmChart chart) {
    return "# values of Helm release " + chart.releaseName() + ": chart " + chart.chart() + " " + chart.version()
        + " from " + chart.repoUrl() + ", namespace " + chart.namespace() + "\n"
        + (chart.values().isEmpty() ? "{}\n" : ManifestWriter.yaml(chart.values()));
  }

  /** The {@code helm upgrade --install} command for {@code chart}, run from the rendering's directory. */
  public static String helmCommand(HelmChart chart) {
    String source = chart.oci() ? chart.repoUrl().replaceAll("/+$", "") + "/" + chart.chart()
        : chart.chart() + " --repo " + chart.repoUrl();
    return "helm upgrade --install " + chart.releaseName() + " " + source + " --version " + chart.version()
        + " --namespace " + chart.namespace() + " -f " + valuesFile(chart);
  }

  /** {@value #NOTES}: the order to install in, and one {@code helm} command per chart. */
  public static String notes(List<HelmChart> charts) {
    StringBuilder b = new StringBuilder("# Installing the substrate layer with Helm\n\n"
        + "Written by `substrate render --gitops helm-values`. First apply the other resources (namespaces and the\n"
        + "ConfigMaps the charts read), then install or upgrade each chart with its values file, from this directory:\n\n"
        + "```sh\nkubectl apply -k .\n");
    charts.forEach(c -> b.append(helmCommand(c)).append('\n'));
    b.append("```\n\n| release | namespace | chart | version | repository |\n|---|---|---|---|---|\n");
    charts.forEach(c -> b.append("| ").append(c.releaseName()).append(" | ").append(c.namespace()).append(" | ")
        .append(c.chart()).append(" | ").append(c.version()).append(" | ").append(c.repoUrl()).append(" |\n"));
    return b.toString();
  }
}
