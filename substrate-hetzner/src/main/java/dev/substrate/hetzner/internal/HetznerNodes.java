package dev.substrate.hetzner.internal;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What Hetzner nodes and add-ons say about themselves: providerIDs, Robot labels, GPU labels, CCM env. */
final class HetznerNodes {
  static final String PROVIDED_BY = "instance.hetzner.cloud/provided-by";
  static final String IS_ROOT_SERVER = "instance.hetzner.cloud/is-root-server";
  static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";
  static final String GPU_PRODUCT = "nvidia.com/gpu.product";
  static final String GPU_MEMORY = "nvidia.com/gpu.memory";
  static final String CCM_NAMESPACE = "kube-system";
  static final String CCM_NAME = "hcloud-cloud-controller-manager";

  private HetznerNodes() {}

  static String providerId(Node node) {
    return node.getSpec() == null || node.getSpec().getProviderID() == null ? "" : node.getSpec().getProviderID();
  }

  static Optional<String> label(Node node, String key) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return Optional.ofNullable(labels == null ? null : labels.get(key));
  }

  /** A dedicated (Robot) server: {@code hrobot://}, legacy {@code hcloud://bm-}, or labelled so. */
  static boolean isRobot(Node node) {
    String id = providerId(node);
    return id.startsWith("hrobot://") || id.startsWith("hcloud://bm-")
        || label(node, PROVIDED_BY).filter("robot"::equals).isPresent()
        || label(node, IS_ROOT_SERVER).filter("true"::equals).isPresent();
  }

  /** The GPU memory of one GPU on {@code node} in GiB, with where the figure came from. */
  static Optional<Map.Entry<Double, String>> vramGib(Node node) {
    Optional<String> memory = label(node, GPU_MEMORY);
    if (memory.isPresent()) {
      try {
        double mib = Double.parseDouble(memory.get());
        return Optional.of(Map.entry(mib / 1024, GPU_MEMORY + "=" + memory.get() + " MiB"));
      } catch (NumberFormatException e) {
        // fall through to the product
      }
    }
    return product(node).map(p -> Map.entry(p.vramGib(), p.name()));
  }

  /** The GPU product from GFD's label, else from the Robot server type. */
  static Optional<GpuCatalog.Product> product(Node node) {
    return label(node, GPU_PRODUCT).flatMap(GpuCatalog::byProductLabel)
        .or(() -> label(node, INSTANCE_TYPE).flatMap(GpuCatalog::byInstanceType));
  }

  /** Whether the node is a GPU node by its labels or its Robot server type. */
  static boolean isGpuNode(Node node) {
    return label(node, "nvidia.com/gpu.present").filter("true"::equals).isPresent()
        || label(node, "feature.node.kubernetes.io/pci-10de.present").filter("true"::equals).isPresent()
        || label(node, GPU_PRODUCT).isPresent()
        || label(node, INSTANCE_TYPE).flatMap(GpuCatalog::byInstanceType).isPresent();
  }

  /** The CCM Deployment: {@code kube-system/hcloud-cloud-controller-manager}, else one named or labelled so. */
  static Optional<Deployment> ccm(List<Deployment> deployments) {
    Deployment byName = null;
    for (Deployment d : deployments) {
      boolean named = CCM_NAME.equals(d.getMetadata().getName());
      if (named && CCM_NAMESPACE.equals(d.getMetadata().getNamespace())) {
        return Optional.of(d);
      }
      Map<String, String> labels = d.getMetadata().getLabels();
      if (byName == null && (named || (labels != null && CCM_NAME.equals(labels.get("app.kubernetes.io/name"))))) {
        byName = d;
      }
    }
    return Optional.ofNullable(byName);
  }

  /**
   * The env of the CCM's containers: a literal value, or a description such as {@code <from secret hcloud>} when it
   * comes from elsewhere.
   */
  static Map<String, String> env(Deployment d) {
    Map<String, String> env = new LinkedHashMap<>();
    if (d.getSpec() == null || d.getSpec().getTemplate() == null || d.getSpec().getTemplate().getSpec() == null) {
      return env;
    }
    for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
      if (c.getEnv() == null) {
        continue;
      }
      for (EnvVar e : c.getEnv()) {
        if (e.getValue() != null) {
          env.put(e.getName(), e.getValue());
        } else if (e.getValueFrom() != null) {
          env.put(e.getName(), "<from " + (e.getValueFrom().getConfigMapKeyRef() != null ? "ConfigMap "
              + e.getValueFrom().getConfigMapKeyRef().getName() : e.getValueFrom().getSecretKeyRef() != null
              ? "Secret " + e.getValueFrom().getSecretKeyRef().getName() : "a reference") + ">");
        }
      }
    }
    return env;
  }

  static int readyReplicas(Deployment d) {
    return d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
  }

  static int desiredReplicas(Deployment d) {
    return d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }
}
