package dev.substrate.aws.internal;

import dev.substrate.GpuStack;
import dev.substrate.spi.GpuStackProvider;
import dev.substrate.spi.ProviderContext;

/**
 * GPU stack {@code eks-accelerated}: the EKS-optimised accelerated AMI brings the NVIDIA driver and container toolkit;
 * NVIDIA's device plugin is rendered on AL2023 and comes with the AMI on Bottlerocket.
 */
public final class EksAcceleratedGpuStackProvider implements GpuStackProvider {
  static final String ID = "eks-accelerated";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public GpuStack create(ProviderContext context) {
    return new EksAcceleratedGpuStack(context.config(), AwsSettings.from(context.config()));
  }
}
