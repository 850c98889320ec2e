package dev.substrate.kubefake.internal.preset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.storage.CSIDriver;
import io.fabric8.kubernetes.api.model.storage.CSIDriverBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small factories for the cluster objects presets seed. */
final class Kube {

  static final String DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";

  private Kube() {
  }

  static Namespace namespace(String name) {
    return new NamespaceBuilder()
        .withNewMetadata().withName(name).addToLabels("kubernetes.io/metadata.name", name).endMetadata()
        .withNewSpec().addToFinalizers("kubernetes").endSpec()
        .withNewStatus().withPhase("Active").endStatus()
        .build();
  }

  static ServiceAccount serviceAccount(String namespace, String name) {
    return new ServiceAccountBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata().build();
  }

  static Service clusterIpService(String namespace, String name, String clusterIp, int port, int targetPort,
      Map<String, String> labels, Map<String, String> selector) {
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).endMetadata()
        .withNewSpec()
            .withType("ClusterIP")
            .withClusterIP(clusterIp)
            .withClusterIPs(clusterIp)
            .withSelector(selector)
            .addNewPort().withName("https").withProtocol("TCP").withPort(port)
                .withTargetPort(new IntOrString(targetPort)).endPort()
            .withSessionAffinity("None")
        .endSpec()
        .withNewStatus().withNewLoadBalancer().endLoadBalancer().endStatus()
        .build();
  }

  static StorageClass storageClass(String name, String provisioner, boolean isDefault, String bindingMode,
      boolean allowExpansion, Map<String, String> parameters) {
    return new StorageClassBuilder()
        .withNewMetadata().withName(name).addToAnnotations(DEFAULT_CLASS, String.valueOf(isDefault)).endMetadata()
        .withProvisioner(provisioner)
        .withParameters(parameters.isEmpty() ? null : parameters)
        .withReclaimPolicy("Delete")
        .withVolumeBindingMode(bindingMode)
        .withAllowVolumeExpansion(allowExpansion)
        .build();
  }

  static CSIDriver csiDriver(String name, boolean attachRequired, boolean podInfoOnMount) {
    return new CSIDriverBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
            .withAttachRequired(attachRequired)
            .withPodInfoOnMount(podInfoOnMount)
            .withVolumeLifecycleModes("Persistent")
            .withFsGroupPolicy("File")
        .endSpec()
        .build();
  }

  static Secret opaqueSecret(String namespace, String name, Map<String, String> values) {
    Map<String, String> data = new LinkedHashMap<>();
    values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /** A CRD with one served storage version, an open schema and the status subresource. */
  static CustomResourceDefinition crd(String group, String version, String kind, String plural, boolean namespaced,
      List<String> shortNames) {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + "." + group).endMetadata()
        .withNewSpec()
            .withGroup(group)
            .withScope(namespaced ? "Namespaced" : "Cluster")
            .withNewNames()
                .withKind(kind)
                .withListKind(kind + "List")
                .withPlural(plural)
                .withSingular(kind.toLowerCase(java.util.Locale.ROOT))
                .withShortNames(shortNames)
            .endNames()
            .addNewVersion()
                .withName(version)
                .withServed(true)
                .withStorage(true)
                .withNewSchema().withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
                    .withXKubernetesPreserveUnknownFields(true).build()).endSchema()
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
            .endVersion()
        .endSpec()
        .build();
  }

  /** Objects of the kind every preset has: namespaces, default service accounts, the kubernetes Service. */
  static List<HasMetadata> common(String serviceIp, String dnsIp) {
    List<HasMetadata> out = new java.util.ArrayList<>();
    for (String ns : List.of("default", "kube-node-lease", "kube-public", "kube-system")) {
      out.add(namespace(ns));
      out.add(serviceAccount(ns, "default"));
    }
    out.add(clusterIpService("default", "kubernetes", serviceIp, 443, 6443,
        Map.of("component", "apiserver", "provider", "kubernetes"), null));
    Service dns = clusterIpService("kube-system", "kube-dns", dnsIp, 53, 53,
        Map.of("k8s-app", "kube-dns", "kubernetes.io/name", "CoreDNS"), Map.of("k8s-app", "kube-dns"));
    dns.getSpec().getPorts().get(0).setName("dns");
    dns.getSpec().getPorts().get(0).setProtocol("UDP");
    out.add(dns);
    return out;
  }
}
