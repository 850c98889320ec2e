package dev.substrate.kubefake.internal.preset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * Running model servers that request GPUs, so that the presets' GPUs are partly in use: one pod on every other GPU
 * node (the first, third, ...), in namespace {@value #NAMESPACE}.
 */
final class GpuPods {
  static final String NAMESPACE = "inference";

  private GpuPods() {
  }

  /** Whether the {@code i}-th GPU node (from 0) runs a model server. */
  static boolean busy(int i) {
    return i % 2 == 0;
  }

  /** A Running vLLM pod on {@code node} requesting one {@code nvidia.com/gpu}, tolerating the GPU taint. */
  static Pod vllm(String node, String selectorKey, String selectorValue, String started) {
    return new PodBuilder()
        .withNewMetadata().withNamespace(NAMESPACE).withName("vllm-" + node)
            .addToLabels("app.kubernetes.io/name", "vllm").endMetadata()
        .withNewSpec()
            .withNodeName(node)
            .addToNodeSelector(selectorKey, selectorValue)
            .addNewToleration().withKey("nvidia.com/gpu").withOperator("Exists").withEffect("NoSchedule")
                .endToleration()
            .addNewContainer().withName("vllm").withImage("docker.io/vllm/vllm-openai:v0.10.1")
                .withArgs("--model", "Qwen/Qwen2.5-7B-Instruct")
                .withNewResources()
                    .withRequests(Map.of("cpu", new Quantity("2"), "memory", new Quantity("12Gi"),
                        "nvidia.com/gpu", new Quantity("1")))
                    .withLimits(Map.of("nvidia.com/gpu", new Quantity("1")))
                .endResources()
            .endContainer()
        .endSpec()
        .withNewStatus().withPhase("Running").withStartTime(started).endStatus()
        .build();
  }
}
