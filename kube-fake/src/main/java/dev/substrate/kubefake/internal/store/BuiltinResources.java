package dev.substrate.kubefake.internal.store;

import java.util.ArrayList;
import java.util.List;

/** The built-in resources the embedded API server serves, as a table. */
final class BuiltinResources {

  private BuiltinResources() {
  }

  /** Every built-in resource, in discovery order. */
  static List<ResourceType> all() {
    Table t = new Table();
    // core/v1
    t.group("", "v1")
        .add("configmaps", "ConfigMap", true, "cm", "")
        .add("endpoints", "Endpoints", true, "ep", "")
        .add("events", "Event", true, "ev", "")
        .add("limitranges", "LimitRange", true, "limits", "")
        .add("namespaces", "Namespace", false, "ns", "", "status")
        .add("nodes", "Node", false, "no", "", "status")
        .add("persistentvolumeclaims", "PersistentVolumeClaim", true, "pvc", "", "status")
        .add("persistentvolumes", "PersistentVolume", false, "pv", "", "status")
        .add("pods", "Pod", true, "po", "all", "status")
        .add("podtemplates", "PodTemplate", true, "", "")
        .add("replicationcontrollers", "ReplicationController", true, "rc", "all", "status", "scale")
        .add("resourcequotas", "ResourceQuota", true, "quota", "", "status")
        .add("secrets", "Secret", true, "", "")
        .add("serviceaccounts", "ServiceAccount", true, "sa", "", "token")
        .add("services", "Service", true, "svc", "all", "status");
    t.group("apiregistration.k8s.io", "v1")
        .add("apiservices", "APIService", false, "", "api-extensions", "status");
    t.group("apps", "v1")
        .add("controllerrevisions", "ControllerRevision", true, "", "")
        .add("daemonsets", "DaemonSet", true, "ds", "all", "status")
        .add("deployments", "Deployment", true, "deploy", "all", "status", "scale")
        .add("replicasets", "ReplicaSet", true, "rs", "all", "status", "scale")
        .add("statefulsets", "StatefulSet", true, "sts", "all", "status", "scale");
    t.group("events.k8s.io", "v1")
        .add("events", "Event", true, "ev", "");
    t.group("autoscaling", "v2")
        .add("horizontalpodautoscalers", "HorizontalPodAutoscaler", true, "hpa", "all", "status");
    t.group("batch", "v1")
        .add("cronjobs", "CronJob", true, "cj", "all", "status")
        .add("jobs", "Job", true, "", "all", "status");
    t.group("certificates.k8s.io", "v1")
        .add("certificatesigningrequests", "CertificateSigningRequest", false, "csr", "", "status");
    t.group("networking.k8s.io", "v1")
        .add("ingressclasses", "IngressClass", false, "", "")
        .add("ingresses", "Ingress", true, "ing", "", "status")
        .add("networkpolicies", "NetworkPolicy", true, "netpol", "");
    t.group("policy", "v1")
        .add("poddisruptionbudgets", "PodDisruptionBudget", true, "pdb", "", "status");
    t.group("rbac.authorization.k8s.io", "v1")
        .add("clusterrolebindings", "ClusterRoleBinding", false, "", "")
        .add("clusterroles", "ClusterRole", false, "", "")
        .add("rolebindings", "RoleBinding", true, "", "")
        .add("roles", "Role", true, "", "");
    t.group("storage.k8s.io", "v1")
        .add("csidrivers", "CSIDriver", false, "", "")
        .add("csinodes", "CSINode", false, "", "")
        .add("csistoragecapacities", "CSIStorageCapacity", true, "", "")
        .add("storageclasses", "StorageClass", false, "sc", "")
        .add("volumeattachments", "VolumeAttachment", false, "", "", "status");
    t.group("admissionregistration.k8s.io", "v1")
        .add("mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false, "", "api-extensions")
        .add("validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false, "", "api-extensions");
    t.group("apiextensions.k8s.io", "v1")
        .add("customresourcedefinitions", "CustomResourceDefinition", false, "crd,crds", "api-extensions", "status");
    t.group("scheduling.k8s.io", "v1")
        .add("priorityclasses", "PriorityClass", false, "pc", "");
    t.group("coordination.k8s.io", "v1")
        .add("leases", "Lease", true, "", "");
    t.group("node.k8s.io", "v1")
        .add("runtimeclasses", "RuntimeClass", false, "", "");
    t.group("discovery.k8s.io", "v1")
        .add("endpointslices", "EndpointSlice", true, "", "");
    return List.copyOf(t.types);
  }

  private static final class Table {
    private final List<ResourceType> types = new ArrayList<>();
    private String group;
    private String version;

    Table group(String g, String v) {
      this.group = g;
      this.version = v;
      return this;
    }

    Table add(String plural, String kind, boolean namespaced, String shortNames, String categories,
        String... subresources) {
      types.add(new ResourceType(group, version, plural, kind.toLowerCase(java.util.Locale.ROOT), kind, namespaced,
          split(shortNames), split(categories), List.of(subresources)));
      return this;
    }

    private static List<String> split(String csv) {
      return csv.isEmpty() ? List.of() : List.of(csv.split(","));
    }
  }
}
