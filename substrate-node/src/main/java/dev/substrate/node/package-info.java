/**
 * What a GPU node knows about itself, and whether the NVIDIA GPU Operator's driver can start on it:
 * {@link dev.substrate.node.NodeFacts} reads {@code nvidia-smi}, {@code /proc} and {@code /sys} (live or captured in a
 * directory) and {@link dev.substrate.node.NodePreflight} turns them into GPUs and findings with remedies.
 *
 * <pre>{@code
 * NodePreflight p = NodePreflight.of(NodeFacts.fromDirectory(Path.of("gpu-nodes/h200")));
 * p.gpus().get(0).vramMib();   // OptionalLong[143771]
 * p.worst();                   // WARN: a host driver means driver.enabled=false
 * }</pre>
 */
package dev.substrate.node;
