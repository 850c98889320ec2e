package dev.substrate;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** The {@code gpu:} section: how GPUs are shared ({@code tenancy}) and how the GPU Operator is set up. */
@Value.Immutable
public abstract class GpuConfig {
  /** How workloads share one GPU ({@code gpu.tenancy.mode}). */
  public enum TenancyMode {
    EXCLUSIVE("exclusive"),
    TIME_SLICING("time-slicing"),
    MPS("mps"),
    MIG("mig");

    private final String id;

    TenancyMode(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  /** A model that shares a GPU, with the VRAM it needs ({@code gpu.tenancy.models[]}). */
  @Value.Immutable
  public abstract static class Model {
    public abstract String name();

    public abstract double vramGib();

    public static Model of(String name, double vramGib) {
      return ImmutableModel.builder().name(name).vramGib(vramGib).build();
    }
  }

  @Value.Default
  public TenancyMode tenancyMode() {
    return TenancyMode.EXCLUSIVE;
  }

  /** Time-slicing or MPS replicas per physical GPU ({@code gpu.tenancy.replicas}, at least 2 when sharing). */
  @Value.Default
  public int tenancyReplicas() {
    return 1;
  }

  public abstract List<Model> tenancyModels();

  /** The GPU Operator Helm chart version ({@code gpu.operator.version}). */
  @Value.Default
  public String operatorVersion() {
    return "v26.7.0";
  }

  @Value.Default
  public String operatorNamespace() {
    return "gpu-operator";
  }

  /** Whether the operator installs the driver ({@code gpu.operator.driver.enabled}). */
  @Value.Default
  public boolean driverEnabled() {
    return true;
  }

  /** Precompiled driver containers ({@code gpu.operator.driver.precompiled}). */
  @Value.Default
  public boolean driverPrecompiled() {
    return false;
  }

  /** The driver version for compiled driver containers ({@code gpu.operator.driver.version}); the chart's if empty. */
  public abstract Optional<String> driverVersion();

  /**
   * The driver branch of precompiled driver containers ({@code gpu.operator.driver.branch}, digits only): their image
   * tag is {@code <branch>-<kernel>-<os>}, so the chart's full default version names no image. 595 is the branch of
   * the default chart's driver (595.91.07) and is published for Ubuntu 22.04, 24.04 and 26.04 (NVIDIA/cloud-native-docs
   * gpu-operator/platform-support.rst "Supported Precompiled Drivers": R580, R595; 26.04 only R595).
   */
  @Value.Default
  public String driverBranch() {
    return "595";
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableGpuConfig.Builder {}
}
