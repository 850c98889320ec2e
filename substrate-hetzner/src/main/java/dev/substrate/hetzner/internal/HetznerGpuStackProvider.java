package dev.substrate.hetzner.internal;

import dev.substrate.Capability;
import dev.substrate.CapabilityIds;
import dev.substrate.CapabilityState;
import dev.substrate.ConfigException;
import dev.substrate.GpuConfig;
import dev.substrate.GpuStack;
import dev.substrate.ProviderLoader;
import dev.substrate.RenderContext;
import dev.substrate.spi.Check;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * GPU stack {@code hetzner-gpu}: byo's {@code operator} stack (the NVIDIA GPU Operator, rendered and checked exactly
 * as there) with what is true of Hetzner's dedicated GPU servers: they never scale to zero, the driver's prerequisites
 * are the user's, Ada GPUs have no MIG; plus the checks {@value GpuTenancyChecks#FIT} and
 * {@value GpuTenancyChecks#MIG_CAPABLE}.
 *
 * <p>Why a wrapper with its own id rather than {@code operator}: the id {@code operator} belongs to substrate-byo and
 * one id has one provider; its capabilities are those of a bring-your-own cluster. The operator is found through
 * {@link ProviderLoader#serviceLoader(ClassLoader)}, so no byo class is imported.
 */
public final class HetznerGpuStackProvider implements GpuStackProvider {
  static final String ID = "hetzner-gpu";
  static final String DELEGATE_ID = "operator";
  private static final Set<String> OVERRIDDEN = Set.of(CapabilityIds.GPU_SCALE_TO_ZERO,
      CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityIds.GPU_MIG);

  @Override
  public String id() {
    return ID;
  }

  @Override
  public GpuStack create(ProviderContext context) {
    GpuStackProvider operator = ProviderLoader.serviceLoader(HetznerGpuStackProvider.class.getClassLoader())
        .load(GpuStackProvider.class).stream().filter(p -> DELEGATE_ID.equals(p.id())).findFirst()
        .orElseThrow(() -> new ConfigException("gpu_stack " + ID + " runs the GPU Operator through gpu_stack "
            + DELEGATE_ID + ", which is provided by dev.substrate:substrate-byo; add it to the class path"));
    return new Stack(operator.create(context), context.config().gpu());
  }

  private static final class Stack implements GpuStack {
    private final GpuStack operator;
    private final GpuConfig gpu;

    Stack(GpuStack operator, GpuConfig gpu) {
      this.operator = operator;
      this.gpu = gpu;
    }

    @Override
    public String id() {
      return ID;
    }

    @Override
    public List<Capability> capabilities() {
      List<Capability> out = new ArrayList<>();
      out.add(Capability.of(CapabilityIds.GPU_SCALE_TO_ZERO, CapabilityState.UNSUPPORTED,
          "Hetzner's GPU servers are dedicated Robot machines (GEX44, GEX130): bare metal, provisioned in days and "
              + "paid 24/7, so no autoscaler adds or removes GPU nodes",
          "keep the GPU nodes and scale the workload pods to zero instead, e.g. with KEDA, on a node the model is "
              + "pinned to (nodeSelector node.kubernetes.io/instance-type)"));
      out.add(driverManagement());
      out.add(Capability.of(CapabilityIds.GPU_MIG, CapabilityState.UNSUPPORTED,
          "Hetzner's GEX44 and GEX130 carry Ada Lovelace GPUs without MIG, " + GpuCatalog.RTX_4000_SFF_ADA.describe()
              + " and " + GpuCatalog.RTX_6000_ADA.describe() + "; only a GEX131's "
              + GpuCatalog.RTX_PRO_6000_BLACKWELL.describe() + " partitions (1g.24gb x4, 2g.48gb x2, 4g.96gb x1)",
          "share Ada GPUs by time-slicing or MPS (gpu.tenancy.mode), which isolate softly and do not isolate "
              + "memory; order a GEX131 for MIG"));
      for (Capability c : operator.capabilities()) {
        if (!OVERRIDDEN.contains(c.id())) {
          out.add(c);
        }
      }
      return out;
    }

    private Capability driverManagement() {
      if (!gpu.driverEnabled()) {
        return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
            "gpu.operator.driver.enabled is false, so the NVIDIA driver must already be installed on every Robot "
                + "GPU server",
            "install the NVIDIA driver on each GPU server's host (installimage, then the driver packages), or set "
                + "gpu.operator.driver.enabled: true");
      }
      return Capability.of(CapabilityIds.GPU_DRIVER_MANAGEMENT, CapabilityState.NEEDS_ACTION,
          "the GPU Operator installs the NVIDIA driver, but the Robot servers' operating system is yours: "
              + (gpu.driverPrecompiled() ? "precompiled driver containers exist only for some kernels"
                  : "the driver is compiled on each node against its kernel headers")
              + ", and an unsigned driver does not load with Secure Boot on",
          (gpu.driverPrecompiled() ? "run a kernel NVIDIA publishes precompiled driver containers for"
              : "set gpu.operator.driver.precompiled: true (recommended) or install kernel headers matching the "
                  + "running kernel")
              + ", and turn Secure Boot off in the GPU servers' firmware (Ada GPUs)");
    }

    @Override
    public List<HasMetadata> resources(RenderContext context) {
      return operator.resources(context);
    }

    @Override
    public List<Check> checks() {
      List<Check> checks = new ArrayList<>(operator.checks());
      checks.add(GpuTenancyChecks.fit(gpu));
      checks.add(GpuTenancyChecks.migCapable(gpu));
      return checks;
    }
  }
}
