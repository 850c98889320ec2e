package dev.substrate.node.internal;

import dev.substrate.node.Gpu;
import dev.substrate.node.PciFunction;
import dev.substrate.spi.gpu.SecureBoot;
import java.util.List;
import java.util.Optional;

/** What {@link FactsReader} read; {@code dev.substrate.node.NodeFacts} exposes it. */
public record Facts(String source, boolean nvidiaSmi, Optional<String> driverVersion,
    Optional<String> kernelModule, List<Gpu> gpus, List<PciFunction> pciFunctions,
    Optional<List<String>> loadedModules, Optional<String> kernelRelease, Optional<String> os,
    SecureBoot secureBoot, String secureBootEvidence, Optional<Boolean> kernelHeaders) {}
