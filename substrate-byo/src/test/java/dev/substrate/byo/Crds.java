package dev.substrate.byo;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;

/** Minimal CRDs for the operators whose custom resources the substrate layer renders. */
final class Crds {
  private Crds() {}

  static CustomResourceDefinition crd(String group, String version, String kind, String plural, boolean namespaced) {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + "." + group).endMetadata()
        .withNewSpec().withGroup(group).withScope(namespaced ? "Namespaced" : "Cluster")
        .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).endNames()
        .addNewVersion().withName(version).withServed(true).withStorage(true)
        .withNewSchema().withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
            .withXKubernetesPreserveUnknownFields(true).build()).endSchema()
        .endVersion().endSpec().build();
  }

  /** Argo CD's Application, ESO's ClusterSecretStore and MetalLB's pools, as installed operators would leave them. */
  static CustomResourceDefinition[] operators() {
    return new CustomResourceDefinition[] {
      crd("argoproj.io", "v1alpha1", "Application", "applications", true),
      crd("external-secrets.io", "v1", "ClusterSecretStore", "clustersecretstores", false),
      crd("metallb.io", "v1beta1", "IPAddressPool", "ipaddresspools", true),
      crd("metallb.io", "v1beta1", "L2Advertisement", "l2advertisements", true),
    };
  }
}
