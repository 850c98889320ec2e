package dev.substrate.internal;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;

/**
 * What a snapshot keeps of a pod: name, namespace, node, phase, the containers' names and resources (init
 * containers' restart policy too, as a sidecar's requests count while the pod runs) and the pod's overhead. A cluster
 * has many more pods than nodes, and a pod's spec and status are large; GPU accounting needs only these.
 */
final class PodFields {
  private PodFields() {}

  static Pod keep(Pod pod) {
    Pod kept = new Pod();
    kept.setApiVersion(pod.getApiVersion());
    kept.setKind(pod.getKind());
    ObjectMeta meta = new ObjectMeta();
    if (pod.getMetadata() != null) {
      meta.setName(pod.getMetadata().getName());
      meta.setNamespace(pod.getMetadata().getNamespace());
    }
    kept.setMetadata(meta);
    PodSpec spec = new PodSpec();
    if (pod.getSpec() != null) {
      spec.setNodeName(pod.getSpec().getNodeName());
      spec.setOverhead(pod.getSpec().getOverhead());
      spec.setContainers(containers(pod.getSpec().getContainers(), false));
      spec.setInitContainers(containers(pod.getSpec().getInitContainers(), true));
    }
    kept.setSpec(spec);
    PodStatus status = new PodStatus();
    if (pod.getStatus() != null) {
      status.setPhase(pod.getStatus().getPhase());
    }
    kept.setStatus(status);
    return kept;
  }

  private static List<Container> containers(List<Container> containers, boolean init) {
    List<Container> kept = new ArrayList<>();
    if (containers == null) {
      return kept;
    }
    for (Container c : containers) {
      Container k = new Container();
      k.setName(c.getName());
      ResourceRequirements r = c.getResources();
      if (r != null && (r.getRequests() != null || r.getLimits() != null)) {
        ResourceRequirements resources = new ResourceRequirements();
        resources.setRequests(r.getRequests());
        resources.setLimits(r.getLimits());
        k.setResources(resources);
      }
      if (init) {
        k.setRestartPolicy(c.getRestartPolicy());
      }
      kept.add(k);
    }
    return kept;
  }
}
