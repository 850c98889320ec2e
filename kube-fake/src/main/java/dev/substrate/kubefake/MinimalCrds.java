package dev.substrate.kubefake;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import java.util.List;
import java.util.Locale;

/**
 * Minimal CustomResourceDefinitions (any fields accepted) for the operators a platform cluster runs, so tests can
 * apply custom resources to an {@link EmbeddedCluster}.
 *
 * <pre>{@code
 * EmbeddedCluster.builder().preset(ClusterPreset.BARE).objects(MinimalCrds.of("example.com", "v1", "Widget", "widgets", true))
 * }</pre>
 */
public final class MinimalCrds {
  private MinimalCrds() {}

  /** A served, stored CRD for {@code group/version kind} whose schema accepts any fields. */
  public static CustomResourceDefinition of(String group, String version, String kind, String plural,
      boolean namespaced) {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + "." + group).endMetadata()
        .withNewSpec().withGroup(group).withScope(namespaced ? "Namespaced" : "Cluster")
        .withNewNames().withKind(kind).withListKind(kind + "List").withPlural(plural).withSingular(kind.toLowerCase(Locale.ROOT)).endNames()
        .addNewVersion().withName(version).withServed(true).withStorage(true)
        .withNewSchema().withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
            .withXKubernetesPreserveUnknownFields(true).build()).endSchema()
        .withNewSubresources().withNewStatus().endStatus().endSubresources()
        .endVersion().endSpec().build();
  }

  /**
   * Argo CD's Application; Flux's HelmRepository, HelmRelease and Kustomization (the one version each CRD serves in
   * fluxcd/source-controller v1.9.1, helm-controller v1.6.3 and kustomize-controller v1.9.4); and External Secrets Operator's
   * ClusterSecretStore and ExternalSecret. A platform runs Argo CD or Flux; both are here so that either rendering
   * applies.
   */
  public static List<CustomResourceDefinition> platform() {
    return List.of(
        of("argoproj.io", "v1alpha1", "Application", "applications", true),
        of("source.toolkit.fluxcd.io", "v1", "HelmRepository", "helmrepositories", true),
        of("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases", true),
        of("kustomize.toolkit.fluxcd.io", "v1", "Kustomization", "kustomizations", true),
        of("external-secrets.io", "v1", "ClusterSecretStore", "clustersecretstores", false),
        of("external-secrets.io", "v1", "ExternalSecret", "externalsecrets", true));
  }

  /** MetalLB's IPAddressPool and L2Advertisement. */
  public static List<CustomResourceDefinition> metallb() {
    return List.of(
        of("metallb.io", "v1beta1", "IPAddressPool", "ipaddresspools", true),
        of("metallb.io", "v1beta1", "L2Advertisement", "l2advertisements", true));
  }
}
