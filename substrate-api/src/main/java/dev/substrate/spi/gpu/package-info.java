/**
 * The NVIDIA GPUs substrates meet, as a {@link dev.substrate.spi.gpu.GpuCatalog} of
 * {@link dev.substrate.spi.gpu.GpuModel}s: found by GPU feature discovery's {@code nvidia.com/gpu.product} label or by
 * PCI device id, with VRAM and MIG profiles, and extended by each substrate with what it sells (a server type, an
 * accelerator id).
 *
 * <p>It lives under {@code spi} because provider authors use it to reason about nodes and to describe what they sell;
 * users configure GPUs through {@code gpu:} and read capabilities, so the user API stays free of it and it may grow
 * with the providers.
 */
@dev.substrate.SubstrateStyle
package dev.substrate.spi.gpu;
