package dev.substrate.kubefake.internal.preset;


import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A readable builder for one realistic Node: identity, labels, taints, machine shape, node info. */
final class NodeSpec {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** A machine shape: what the node's capacity reports. */
  record Machine(String type, int cpus, int memoryGi, int gpus) {
  }

  /** What the kubelet reports about its software. */
  record Software(String kubeletVersion, String containerRuntimeVersion, String osImage, String kernelVersion) {
  }

  private final String name;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, String> annotations = new LinkedHashMap<>();
  private final List<String[]> taints = new ArrayList<>();
  private String providerId;
  private Machine machine = new Machine("", 4, 16, 0);
  private Software software;
  private String internalIp;
  private String externalIp;

  NodeSpec(String name) {
    this.name = name;
    labels.put("beta.kubernetes.io/arch", "amd64");
    labels.put("beta.kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
  }

  String name() {
    return name;
  }

  NodeSpec providerId(String id) {
    this.providerId = id;
    return this;
  }

  NodeSpec label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  NodeSpec annotation(String key, String value) {
    annotations.put(key, value);
    return this;
  }

  /** Instance type and topology labels as a cloud controller manager sets them. */
  NodeSpec cloud(String instanceType, String region, String zone) {
    labels.put("beta.kubernetes.io/instance-type", instanceType);
    labels.put("node.kubernetes.io/instance-type", instanceType);
    labels.put("failure-domain.beta.kubernetes.io/region", region);
    labels.put("failure-domain.beta.kubernetes.io/zone", zone);
    labels.put("topology.kubernetes.io/region", region);
    labels.put("topology.kubernetes.io/zone", zone);
    return this;
  }

  NodeSpec taint(String key, String value, String effect) {
    taints.add(new String[] {key, value, effect});
    return this;
  }

  NodeSpec machine(Machine m) {
    this.machine = m;
    return this;
  }

  NodeSpec software(Software s) {
    this.software = s;
    return this;
  }

  NodeSpec addresses(String internal, String external) {
    this.internalIp = internal;
    this.externalIp = external;
    return this;
  }

  /** The Node as JSON, built directly (no model classes): seeding ten thousand nodes stays fast. */
  ObjectNode build(String creationTimestamp, String heartbeat) {
    ObjectNode node = JSON.objectNode();
    node.put("apiVersion", "v1").put("kind", "Node");
    ObjectNode meta = node.putObject("metadata");
    meta.put("name", name);
    if (!annotations.isEmpty()) {
      ObjectNode a = meta.putObject("annotations");
      annotations.forEach(a::put);
    }
    ObjectNode l = meta.putObject("labels");
    labels.forEach(l::put);
    ObjectNode spec = node.putObject("spec");
    if (providerId != null) {
      spec.put("providerID", providerId);
    }
    if (!taints.isEmpty()) {
      ArrayNode t = spec.putArray("taints");
      for (String[] taint : taints) {
        ObjectNode o = t.addObject().put("key", taint[0]);
        if (taint[1] != null) {
          o.put("value", taint[1]);
        }
        o.put("effect", taint[2]);
      }
    }
    ObjectNode status = node.putObject("status");
    ObjectNode capacity = status.putObject("capacity");
    capacity.put("cpu", String.valueOf(machine.cpus()));
    capacity.put("ephemeral-storage", "98831908Ki");
    capacity.put("hugepages-1Gi", "0");
    capacity.put("hugepages-2Mi", "0");
    capacity.put("memory", machine.memoryGi() * 1024L * 1024L + "Ki");
    capacity.put("pods", "110");
    ObjectNode allocatable = status.putObject("allocatable");
    allocatable.put("cpu", (machine.cpus() * 1000 - 60 - 10L * machine.cpus()) + "m");
    allocatable.put("ephemeral-storage", "91083628532");
    allocatable.put("hugepages-1Gi", "0");
    allocatable.put("hugepages-2Mi", "0");
    allocatable.put("memory", (long) (machine.memoryGi() * 1024L * 1024L * 0.9) + "Ki");
    allocatable.put("pods", "110");
    if (machine.gpus() > 0) {
      capacity.put("nvidia.com/gpu", String.valueOf(machine.gpus()));
      allocatable.put("nvidia.com/gpu", String.valueOf(machine.gpus()));
    }
    ArrayNode conditions = status.putArray("conditions");
    condition(conditions, "MemoryPressure", "False", "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available", creationTimestamp, heartbeat);
    condition(conditions, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure",
        creationTimestamp, heartbeat);
    condition(conditions, "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available",
        creationTimestamp, heartbeat);
    condition(conditions, "Ready", "True", "KubeletReady", "kubelet is posting ready status", creationTimestamp,
        heartbeat);
    ArrayNode addresses = status.putArray("addresses");
    addresses.addObject().put("type", "InternalIP").put("address", internalIp);
    if (externalIp != null) {
      addresses.addObject().put("type", "ExternalIP").put("address", externalIp);
    }
    addresses.addObject().put("type", "Hostname").put("address", name);
    status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", 10250);
    String id = UUID.nameUUIDFromBytes(("node/" + name).getBytes(StandardCharsets.UTF_8)).toString();
    status.putObject("nodeInfo")
        .put("machineID", id.replace("-", ""))
        .put("systemUUID", id)
        .put("bootID", id)
        .put("kernelVersion", software.kernelVersion())
        .put("osImage", software.osImage())
        .put("containerRuntimeVersion", software.containerRuntimeVersion())
        .put("kubeletVersion", software.kubeletVersion())
        .put("kubeProxyVersion", software.kubeletVersion())
        .put("operatingSystem", "linux")
        .put("architecture", "amd64");
    return node;
  }

  private static void condition(ArrayNode conditions, String type, String status, String reason, String message,
      String since, String heartbeat) {
    conditions.addObject().put("type", type).put("status", status).put("lastHeartbeatTime", heartbeat)
        .put("lastTransitionTime", since).put("reason", reason).put("message", message);
  }
}
