package dev.substrate.internal;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares the text values nodes repeat (label values, quantities, conditions, node info, image names) between the
 * nodes of one read, so that 10,000 nodes hold one {@code "amd64"}, not 10,000. Only strings are shared: they are
 * immutable, so every node still equals what it was parsed as. Pages of one read may be compacted at once.
 */
final class NodeStrings {
  private final Map<String, String> seen = new ConcurrentHashMap<>();

  void compact(Node node) {
    if (node.getMetadata() != null) {
      values(node.getMetadata().getLabels());
      values(node.getMetadata().getAnnotations());
      node.getMetadata().setCreationTimestamp(one(node.getMetadata().getCreationTimestamp()));
    }
    if (node.getSpec() != null && node.getSpec().getTaints() != null) {
      for (Taint t : node.getSpec().getTaints()) {
        t.setKey(one(t.getKey()));
        t.setValue(one(t.getValue()));
        t.setEffect(one(t.getEffect()));
      }
    }
    NodeStatus status = node.getStatus();
    if (status == null) {
      return;
    }
    quantities(status.getCapacity());
    quantities(status.getAllocatable());
    if (status.getConditions() != null) {
      for (NodeCondition c : status.getConditions()) {
        c.setType(one(c.getType()));
        c.setStatus(one(c.getStatus()));
        c.setReason(one(c.getReason()));
        c.setMessage(one(c.getMessage()));
        c.setLastHeartbeatTime(one(c.getLastHeartbeatTime()));
        c.setLastTransitionTime(one(c.getLastTransitionTime()));
      }
    }
    if (status.getAddresses() != null) {
      for (NodeAddress a : status.getAddresses()) {
        a.setType(one(a.getType()));
      }
    }
    NodeSystemInfo info = status.getNodeInfo();
    if (info != null) {
      info.setArchitecture(one(info.getArchitecture()));
      info.setContainerRuntimeVersion(one(info.getContainerRuntimeVersion()));
      info.setKernelVersion(one(info.getKernelVersion()));
      info.setKubeProxyVersion(one(info.getKubeProxyVersion()));
      info.setKubeletVersion(one(info.getKubeletVersion()));
      info.setOperatingSystem(one(info.getOperatingSystem()));
      info.setOsImage(one(info.getOsImage()));
    }
    if (status.getImages() != null) {
      for (ContainerImage image : status.getImages()) {
        strings(image.getNames());
      }
    }
  }

  private String one(String s) {
    return s == null ? null : seen.computeIfAbsent(s, k -> k);
  }

  private void values(Map<String, String> map) {
    if (map != null) {
      map.replaceAll((k, v) -> one(v));
    }
  }

  private void strings(List<String> list) {
    if (list != null) {
      list.replaceAll(this::one);
    }
  }

  private void quantities(Map<String, Quantity> map) {
    if (map != null) {
      for (Quantity q : map.values()) {
        if (q != null) {
          q.setAmount(one(q.getAmount()));
          q.setFormat(one(q.getFormat()));
        }
      }
    }
  }
}
